/** API-token queries: the tokens, their issuer's standing, and who hears about them. */
import type { Kysely } from 'kysely';
import type { DB } from '../../db/schema.js';

type Db = Kysely<DB>;

function tokens(db: Db) {
  return db
    .selectFrom('api_token')
    .innerJoin('organisation', 'organisation.id', 'api_token.organisation_id')
    .leftJoin('account as creator', 'creator.id', 'api_token.created_by')
    .select([
      'api_token.id',
      'api_token.organisation_id',
      'organisation.name as organisation_name',
      'api_token.name',
      'api_token.roles',
      'api_token.allowed_ips',
      'api_token.created_at',
      'creator.display_name as created_by_name',
      'api_token.expires_at',
      'api_token.revoked_at',
      'api_token.last_used_at',
      'api_token.last_used_ip',
    ]);
}

export type TokenRow = Awaited<ReturnType<ReturnType<typeof tokens>['executeTakeFirstOrThrow']>>;

/** `organisationId` null: every organisation's (the agency's view). */
export async function listTokens(db: Db, organisationId: string | null): Promise<TokenRow[]> {
  let q = tokens(db);
  if (organisationId) q = q.where('api_token.organisation_id', '=', organisationId);
  return q.orderBy('api_token.created_at', 'desc').orderBy('api_token.id').limit(500).execute();
}

export async function findToken(db: Db, organisationId: string | null, id: string): Promise<TokenRow | undefined> {
  let q = tokens(db).where('api_token.id', '=', id);
  if (organisationId) q = q.where('api_token.organisation_id', '=', organisationId);
  return q.executeTakeFirst();
}

export async function insertToken(
  trx: Db,
  t: { organisationId: string; name: string; secretHash: string; roles: string[]; allowedIps: string[]; createdBy: string; createdAt: Date; expiresAt: Date },
): Promise<string> {
  const row = await trx
    .insertInto('api_token')
    .values({
      organisation_id: t.organisationId,
      name: t.name,
      secret_hash: t.secretHash,
      roles: JSON.stringify(t.roles),
      allowed_ips: JSON.stringify(t.allowedIps),
      created_by: t.createdBy,
      created_at: t.createdAt,
      expires_at: t.expiresAt,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return row.id;
}

/** Revokes a live token; false when it was already revoked (a concurrent revocation won). */
export async function revokeToken(trx: Db, id: string, r: { at: Date; by: string | null; reason: string }): Promise<boolean> {
  const updated = await trx
    .updateTable('api_token')
    .set({ revoked_at: r.at, revoked_by: r.by, revoke_reason: r.reason })
    .where('id', '=', id)
    .where('revoked_at', 'is', null)
    .executeTakeFirst();
  return Number(updated.numUpdatedRows) === 1;
}

/**
 * The token a bearer secret names, with its organisation and issuer: one query on every API
 * call, by the unique hash.
 */
export async function tokenBySecretHash(db: Db, secretHash: string) {
  return db
    .selectFrom('api_token')
    .innerJoin('organisation', 'organisation.id', 'api_token.organisation_id')
    .innerJoin('account as creator', 'creator.id', 'api_token.created_by')
    .select([
      'api_token.id',
      'api_token.name',
      'api_token.roles',
      'api_token.allowed_ips',
      'api_token.expires_at',
      'api_token.revoked_at',
      'api_token.last_used_at',
      'api_token.last_used_ip',
      'api_token.created_by',
      'creator.status as creator_status',
      'organisation.id as organisation_id',
      'organisation.name as organisation_name',
      'organisation.kind as organisation_kind',
      'organisation.status as organisation_status',
    ])
    .where('api_token.secret_hash', '=', secretHash)
    .executeTakeFirst();
}

/** Notes the last use, unless it was noted less than `granularityMs` ago from the same address. */
export async function noteUse(db: Db, id: string, at: Date, ip: string | null, granularityMs: number): Promise<void> {
  await db
    .updateTable('api_token')
    .set({ last_used_at: at, last_used_ip: ip })
    .where('id', '=', id)
    .where((eb) =>
      eb.or([
        eb('last_used_at', 'is', null),
        eb('last_used_at', '<=', new Date(at.getTime() - granularityMs)),
        eb('last_used_ip', 'is', null),
        eb('last_used_ip', '!=', ip ?? ''),
      ]),
    )
    .execute();
}

/** Live tokens expiring before `before` whose managers have not been reminded yet. */
export async function tokensToRemind(db: Db, now: Date, before: Date) {
  return db
    .selectFrom('api_token')
    .select(['id', 'organisation_id', 'name', 'expires_at'])
    .where('revoked_at', 'is', null)
    .where('expiry_reminded_at', 'is', null)
    .where('expires_at', '>', now)
    .where('expires_at', '<=', before)
    .orderBy('expires_at')
    .limit(500)
    .execute();
}

/** Marks the reminder sent; false if another instance sent it first. */
export async function markReminded(trx: Db, id: string, at: Date): Promise<boolean> {
  const updated = await trx.updateTable('api_token').set({ expiry_reminded_at: at }).where('id', '=', id).where('expiry_reminded_at', 'is', null).executeTakeFirst();
  return Number(updated.numUpdatedRows) === 1;
}

/** E-mail addresses of the organisation's active account managers. */
export async function accountManagerEmails(db: Db, organisationId: string): Promise<string[]> {
  const rows = await db
    .selectFrom('habilitation')
    .innerJoin('account', 'account.id', 'habilitation.account_id')
    .select('account.email')
    .distinct()
    .where('habilitation.organisation_id', '=', organisationId)
    .where('account.organisation_id', '=', organisationId)
    .where('habilitation.application', '=', 'gid')
    .where('habilitation.role', '=', 'account_manager')
    .where('habilitation.suspended_at', 'is', null)
    .where('account.status', '=', 'active')
    .where('account.email', 'is not', null)
    .execute();
  return rows.map((r) => r.email!);
}
