/**
 * Organisation API tokens (docs/api-auth.md, decision 0038): issued by the organisation's
 * account manager for its own organisation, listed and revoked by them or by the agency's
 * administrators. The secret is shown once and kept as its hash.
 */
import { randomBytes } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { AppContext, RequestMeta } from '../../context.js';
import type { DB } from '../../db/schema.js';
import { problems } from '../../http/problem.js';
import { byActor, recordAudit } from '../audit/service.js';
import type { Actor } from '../habilitations/policy.js';
import { hasHabilitation } from '../habilitations/policy.js';
import * as repo from './repository.js';
import { MAX_LIFETIME_MS, SECRET_BYTES, TOKEN_PREFIX, hashSecret, tokenState, type TokenState } from './rules.js';
import { EXPIRES_MESSAGE, type CreateTokenInput } from './schemas.js';

export interface TokenView {
  id: string;
  organisationId: string;
  organisationName: string;
  name: string;
  roles: string[];
  allowedIps: string[];
  createdAt: Date;
  createdBy: string | null;
  expiresAt: Date;
  revokedAt: Date | null;
  lastUsedAt: Date | null;
  lastUsedIp: string | null;
  status: TokenState;
}

function view(r: repo.TokenRow, now: Date): TokenView {
  return {
    id: r.id,
    organisationId: r.organisation_id,
    organisationName: r.organisation_name,
    name: r.name,
    roles: r.roles,
    allowedIps: r.allowed_ips,
    createdAt: r.created_at,
    createdBy: r.created_by_name,
    expiresAt: r.expires_at,
    revokedAt: r.revoked_at,
    lastUsedAt: r.last_used_at,
    lastUsedIp: r.last_used_ip,
    status: tokenState({ expiresAt: r.expires_at, revokedAt: r.revoked_at }, now),
  };
}

/** Agency administrators see every organisation's tokens; account managers their own organisation's. */
function isAgencyAdmin(actor: Actor): boolean {
  return actor.organisation?.kind === 'agency' && hasHabilitation(actor, 'gid', ['agency_admin']);
}

/** The organisation whose tokens `actor` manages, or null for "every one" (the agency). */
function scopeOf(actor: Actor): string | null {
  if (isAgencyAdmin(actor)) return null;
  if (!actor.organisation || !hasHabilitation(actor, 'gid', ['account_manager'])) throw problems.notFound();
  return actor.organisation.id;
}

/** The expiry must lie ahead, a year at most: a token that never ends is a leak that never ends. */
export function checkExpiry(expiresAt: Date, now: Date): void {
  const ms = expiresAt.getTime() - now.getTime();
  if (ms <= 0 || ms > MAX_LIFETIME_MS) throw problems.invalid([{ field: 'expiresAt', message: EXPIRES_MESSAGE }]);
}

export async function createToken(ctx: AppContext, actor: Actor, organisationId: string, input: CreateTokenInput, meta: RequestMeta): Promise<{ id: string; token: string }> {
  const now = ctx.clock.now();
  checkExpiry(input.expiresAt, now);
  const token = TOKEN_PREFIX + randomBytes(SECRET_BYTES).toString('base64url');
  const id = await ctx.db.transaction().execute(async (trx) => {
    const id = await repo.insertToken(trx, {
      organisationId,
      name: input.name,
      secretHash: hashSecret(token),
      roles: input.roles,
      allowedIps: input.allowedIps,
      createdBy: actor.accountId,
      createdAt: now,
      expiresAt: input.expiresAt,
    });
    await recordAudit(trx, {
      at: now,
      ...byActor(actor, meta),
      organisationId,
      action: 'api_token.created',
      target: { type: 'api_token', id },
      details: { name: input.name, roles: input.roles, allowedIps: input.allowedIps, expiresAt: input.expiresAt.toISOString() },
    });
    return id;
  });
  return { id, token };
}

/** The tokens of `organisationId` (the actor's own), or of every organisation for the agency (`organisationId` null). */
export async function listTokens(ctx: AppContext, actor: Actor, organisationId: string | null): Promise<TokenView[]> {
  const scope = scopeOf(actor);
  if (scope !== null && organisationId !== scope) throw problems.notFound();
  const now = ctx.clock.now();
  return (await repo.listTokens(ctx.db, organisationId ?? scope)).map((r) => view(r, now));
}

export async function getToken(ctx: AppContext, actor: Actor, tokenId: string): Promise<TokenView> {
  const row = await repo.findToken(ctx.db, scopeOf(actor), tokenId);
  if (!row) throw problems.notFound();
  return view(row, ctx.clock.now());
}

/**
 * Revokes a token of the actor's scope; `organisationId` (from the path) must be the token's.
 * Revoking a revoked token changes nothing and answers the same.
 */
export async function revokeToken(ctx: AppContext, actor: Actor, organisationId: string | null, tokenId: string, meta: RequestMeta): Promise<void> {
  const scope = scopeOf(actor);
  const row = await repo.findToken(ctx.db, scope, tokenId);
  if (!row || (organisationId !== null && row.organisation_id !== organisationId)) throw problems.notFound();
  const now = ctx.clock.now();
  await ctx.db.transaction().execute(async (trx) => {
    if (!(await repo.revokeToken(trx, tokenId, { at: now, by: actor.accountId, reason: 'manual' }))) return;
    await recordAudit(trx, {
      at: now,
      ...byActor(actor, meta),
      organisationId: row.organisation_id,
      action: 'api_token.revoked',
      target: { type: 'api_token', id: tokenId },
      details: { name: row.name, reason: 'manual' },
    });
  });
}

/**
 * Revokes a token inside the caller's transaction (bulk-access detection); false when it was
 * already revoked, so that only one request raises the alert.
 */
export async function revokeTokenAutomatically(trx: Kysely<DB>, tokenId: string, reason: string, at: Date): Promise<boolean> {
  return repo.revokeToken(trx, tokenId, { at, by: null, reason });
}

