import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Config } from '../config.js';

/**
 * `__Host-` cookies need Secure, so they are used whenever the site is served over HTTPS;
 * on http://localhost in demo mode the plain names are used (docs/product/security.md#sessions).
 */
export function cookieNames(config: Config) {
  const prefix = config.secureCookies ? '__Host-' : '';
  return { session: `${prefix}kairos_session`, csrf: `${prefix}kairos_csrf` };
}

export function cookieOptions(config: Config) {
  return { path: '/', httpOnly: true, sameSite: 'lax' as const, secure: config.secureCookies };
}

export function setSessionCookie(reply: FastifyReply, config: Config, token: string): void {
  reply.setCookie(cookieNames(config).session, token, cookieOptions(config));
}

export function clearSessionCookie(reply: FastifyReply, config: Config): void {
  reply.clearCookie(cookieNames(config).session, cookieOptions(config));
}

export function readSessionToken(request: FastifyRequest, config: Config): string | null {
  return request.cookies[cookieNames(config).session] ?? null;
}
