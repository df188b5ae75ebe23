/**
 * `Authorization: Bearer krs_…` on /api/v1 (docs/api-auth.md): the token becomes the request's
 * actor, holding the token's roles inside its organisation and nothing else. Called once from
 * the access hook (src/http/auth.ts); when a bearer is present, cookies are not read at all.
 */
import type { FastifyRequest } from 'fastify';
import type { AppContext } from '../../context.js';
import { HttpProblem } from '../../http/problem.js';
import { requestMeta } from '../../http/request-meta.js';
import { recordAuditAlone } from '../audit/service.js';
import type { Actor } from '../habilitations/policy.js';
import * as repo from './repository.js';
import { LAST_USE_GRANULARITY_MS, hashSecret, ipAllowed, looksLikeToken, tokenState } from './rules.js';

const BEARER = /^Bearer[ \t]+(\S+)[ \t]*$/i;

/** A 401 that tells API clients how to authenticate (RFC 6750). */
function tokenRefused(detail: string): HttpProblem {
  return new HttpProblem(401, 'Authentification requise', detail, undefined, { 'www-authenticate': 'Bearer realm="kairos", error="invalid_token"' });
}

const UNKNOWN = 'Jeton d’API inconnu, expiré ou révoqué. Demandez un nouveau jeton au responsable de gestion des comptes de votre organisme.';
const OUTSIDE_ALLOWLIST =
  'Ce jeton d’API ne peut pas être utilisé depuis cette adresse IP. Appelez depuis une adresse autorisée, ou demandez au responsable de gestion des comptes d’ajouter la vôtre.';

/** Whether the request presents a bearer token; only /api/v1 calls are read this way. */
export function hasBearer(request: FastifyRequest): boolean {
  return request.url.startsWith('/api/v1/') && typeof request.headers.authorization === 'string' && /^Bearer\b/i.test(request.headers.authorization);
}

/**
 * The actor of a bearer token, or a problem: 401 for a malformed, unknown, expired or revoked
 * token (or one whose organisation or issuer is suspended), 403 from an address outside its
 * allowlist. Every use and every refused address is audited with the token as actor.
 */
export async function actorFromBearer(ctx: AppContext, request: FastifyRequest): Promise<Actor> {
  const match = BEARER.exec(request.headers.authorization ?? '');
  if (!match || !looksLikeToken(match[1])) throw tokenRefused(UNKNOWN);
  const token = await repo.tokenBySecretHash(ctx.db, hashSecret(match[1]));
  const now = ctx.clock.now();
  if (
    !token ||
    tokenState({ expiresAt: token.expires_at, revokedAt: token.revoked_at }, now) !== 'active' ||
    token.organisation_status !== 'active' ||
    token.creator_status !== 'active'
  ) {
    throw tokenRefused(UNKNOWN);
  }
  const meta = requestMeta(request);
  const audit = { at: now, actor: { id: token.id, login: `jeton:${token.name}` }, organisationId: token.organisation_id, ip: meta.ip, requestId: meta.requestId, target: { type: 'api_token', id: token.id } };
  const route = { method: request.method, route: request.routeOptions.url ?? request.url.split('?')[0].slice(0, 200) };
  if (!ipAllowed(token.allowed_ips, meta.ip)) {
    await recordAuditAlone(ctx.db, { ...audit, action: 'api_token.refused_address', details: route });
    throw new HttpProblem(403, 'Accès refusé', OUTSIDE_ALLOWLIST);
  }
  await recordAuditAlone(ctx.db, { ...audit, action: 'api_token.used', details: route });
  const noted = token.last_used_at && now.getTime() - token.last_used_at.getTime() < LAST_USE_GRANULARITY_MS && token.last_used_ip === meta.ip;
  if (!noted) await repo.noteUse(ctx.db, token.id, now, meta.ip, LAST_USE_GRANULARITY_MS);
  return {
    accountId: token.created_by,
    sessionId: `api_token:${token.id}`,
    login: `jeton:${token.name}`,
    displayName: `Jeton d’API « ${token.name} »`,
    kind: 'staff',
    organisation: { id: token.organisation_id, name: token.organisation_name, kind: token.organisation_kind },
    habilitations: token.roles.map((role) => ({ application: 'kairos', role })),
    apiToken: { id: token.id, name: token.name },
  };
}
