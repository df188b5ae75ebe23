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

/**
 * The passkey sign-in flow: a random token binding the challenge the server issued to the
 * browser that asked for it, for the few minutes the challenge lives (docs/decisions/0044-passkeys.md).
 */
const passkeyFlowName = (config: Config) => `${config.secureCookies ? '__Host-' : ''}kairos_passkey_flow`;

export function setPasskeyFlowCookie(reply: FastifyReply, config: Config, token: string, maxAgeSeconds: number): void {
  reply.setCookie(passkeyFlowName(config), token, { ...cookieOptions(config), sameSite: 'strict', maxAge: maxAgeSeconds });
}

export function readPasskeyFlowCookie(request: FastifyRequest, config: Config): string | null {
  const value = request.cookies[passkeyFlowName(config)];
  return value && value.length <= 100 ? value : null;
}

export function clearPasskeyFlowCookie(reply: FastifyReply, config: Config): void {
  reply.clearCookie(passkeyFlowName(config), { ...cookieOptions(config), sameSite: 'strict' });
}
