import { timingSafeEqual } from 'node:crypto';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Config } from '../config.js';
import { randomToken } from '../modules/identity/sessions/session-rules.js';
import { cookieNames, cookieOptions } from './cookies.js';
import { HttpProblem, TITLES } from './problem.js';

export const CSRF_FIELD = '_csrf';
export const CSRF_HEADER = 'x-csrf-token';

export function sameToken(a: string | undefined | null, b: string | undefined | null): boolean {
  if (!a || !b) return false;
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

/**
 * The token to embed in a form: the session's when signed in; otherwise a double-submit
 * token kept in its own cookie (sign-in and other public forms).
 */
export function csrfTokenFor(request: FastifyRequest, reply: FastifyReply, config: Config): string {
  if (request.sessionCsrf) return request.sessionCsrf;
  const name = cookieNames(config).csrf;
  const existing = request.cookies[name];
  if (existing && /^[A-Za-z0-9_-]{20,100}$/.test(existing)) return existing;
  const token = randomToken(24);
  reply.setCookie(name, token, { ...cookieOptions(config), sameSite: 'strict' });
  request.cookies[name] = token;
  return token;
}

export function csrfRefused(): HttpProblem {
  return new HttpProblem(
    403,
    TITLES[403],
    'Jeton de sécurité (CSRF) absent ou invalide. Rechargez la page puis réessayez.',
  );
}

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);
export function isStateChanging(method: string): boolean {
  return !SAFE_METHODS.has(method.toUpperCase());
}

/** API calls: a session-authenticated call must echo the session's token in X-CSRF-Token. */
export function checkApiCsrf(request: FastifyRequest): void {
  if (!request.sessionCsrf) return; // no cookie session: nothing a forged request could borrow
  const header = request.headers[CSRF_HEADER];
  if (!sameToken(typeof header === 'string' ? header : null, request.sessionCsrf)) throw csrfRefused();
}

/** HTML forms: the hidden field must match the session's token, or the double-submit cookie. */
export function checkFormCsrf(request: FastifyRequest, config: Config): void {
  const body = request.body as Record<string, unknown> | undefined;
  checkFormToken(request, typeof body?.[CSRF_FIELD] === 'string' ? (body[CSRF_FIELD] as string) : null, config);
}

/** The form token `sent`, wherever it was read (a streaming body checks it before reading on). */
export function checkFormToken(request: FastifyRequest, sent: string | null | undefined, config: Config): void {
  const expected = request.sessionCsrf ?? request.cookies[cookieNames(config).csrf] ?? null;
  if (!sameToken(sent, expected)) throw csrfRefused();
}
