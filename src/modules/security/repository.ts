/**
 * Security queries: alerts (read within the actor's scope, resolved once), the per-account counts
 * of candidate reads behind bulk-access detection, and who hears about an alert.
 */
import { sql, type Kysely } from 'kysely';
import type { DB } from '../../db/schema.js';
import type { AccessKind } from './bulk-access.js';

type Db = Kysely<DB>;

const NIL_UUID = '00000000-0000-0000-0000-000000000000';

/** Alerts with their account and organisation; `organisationId` null means every organisation (the agency). */
function alerts(db: Db, organisationId: string | null | 'all') {
  let q = db.selectFrom('security_alert').innerJoin('account', 'account.id', 'security_alert.account_id').leftJoin('organisation', 'organisation.id', 'security_alert.organisation_id');
  if (organisationId !== 'all') q = q.where('security_alert.organisation_id', '=', organisationId ?? NIL_UUID);
  return q.select([
    'security_alert.id',
    'security_alert.kind',
    'security_alert.at',
    'security_alert.status',
    'security_alert.details',
    'security_alert.resolved_at',
    'security_alert.resolution',
    'security_alert.account_id',
    'account.login',
    'account.status as account_status',
    'organisation.name as organisation_name',
  ]);
}

export type AlertRow = Awaited<ReturnType<ReturnType<typeof alerts>['executeTakeFirstOrThrow']>>;

/** `scope` is 'all' for the agency, else the organisation whose alerts the actor may see (none without one). */
export async function listAlerts(db: Db, scope: string | null | 'all'): Promise<AlertRow[]> {
  return alerts(db, scope).orderBy('security_alert.at', 'desc').limit(200).execute();
}

export async function findAlert(db: Db, scope: string | null | 'all', id: string): Promise<AlertRow | undefined> {
  return alerts(db, scope).where('security_alert.id', '=', id).executeTakeFirst();
}

/** The candidates an account touched since `since` (identifiers only), newest first. */
export async function candidatesTouched(db: Db, accountId: string, since: Date, limit: number) {
  return db
    .selectFrom('candidate_access')
    .innerJoin('candidate', 'candidate.id', 'candidate_access.candidate_id')
    .select(['candidate.identifier', 'candidate_access.kind', 'candidate_access.at'])
    .where('candidate_access.account_id', '=', accountId)
    .where('candidate_access.at', '>=', since)
    .orderBy('candidate_access.at', 'desc')
    .limit(limit)
    .execute();
}

/** What an account did (its audit rows) between two instants, newest first. */
export async function actionsOf(db: Db, accountId: string, since: Date, until: Date, limit: number) {
  return db
    .selectFrom('audit_log')
    .select(['at', 'action', 'ip', 'request_id', 'target_type', 'target_id'])
    .where('actor_id', '=', accountId)
    .where('at', '>=', since)
    .where('at', '<=', until)
    .orderBy('id', 'desc')
    .limit(limit)
    .execute();
}

/** Resolves an open alert; false when it was already resolved (a concurrent review won). */
export async function resolveAlert(trx: Db, id: string, r: { at: Date; by: string; resolution: string }): Promise<boolean> {
  const updated = await trx
    .updateTable('security_alert')
    .set({ status: 'resolved', resolved_at: r.at, resolved_by: r.by, resolution: r.resolution })
    .where('id', '=', id)
    .where('status', '=', 'open')
    .executeTakeFirst();
  return Number(updated.numUpdatedRows) === 1;
}

export async function insertBulkAccessAlert(trx: Db, a: { at: Date; accountId: string; organisationId: string | null; details: Record<string, unknown> }): Promise<string> {
  const row = await trx
    .insertInto('security_alert')
    .values({ kind: 'bulk_access', at: a.at, account_id: a.accountId, organisation_id: a.organisationId, details: JSON.stringify(a.details) })
    .returning('id')
    .executeTakeFirstOrThrow();
  return row.id;
}

/**
 * Counts the candidates as accessed now (one row per account, kind and candidate, its time
 * refreshed), and `lookups` (hashed identifiers that matched nobody) as register look-ups, which
 * count as reads; returns, per kind, the distinct candidates the account accessed since `since`,
 * in one statement. The count cannot see the CTE's own writes (one snapshot for the statement),
 * so it adds the candidates just written to the others still in the window.
 */
/**
 * A candidate read again within this delay keeps the time of the earlier read. Rewriting the
 * row on every read made one row per (account, candidate) the hottest in the database: each
 * update leaves a dead version behind and holds the row's lock until its commit is flushed, so
 * an account reading one dossier repeatedly queued on itself and bloated the table (163,000
 * dead versions of 44 rows after a few minutes of load). The window therefore ends up to this
 * much earlier for a candidate read repeatedly — negligible against an hour.
 */
export const ACCESS_REFRESH_SECONDS = 60;

type AccessWrite = { accountId: string; candidateIds: readonly string[]; kinds: readonly AccessKind[]; at: Date; since: Date; lookups?: readonly string[] };

/** The accesses written and the rows counted, per kind, in `counted` (recordAccessAndCount; guard_reads, migration 0022, does the same in plpgsql). */
function accessCounted(a: AccessWrite) {
  return sql`
    with written as (
      insert into candidate_access (account_id, candidate_id, kind, at)
      select ${a.accountId}::uuid, c.value::uuid, k.value, ${a.at}::timestamptz
        from jsonb_array_elements_text(${JSON.stringify(a.candidateIds)}::jsonb) c,
             jsonb_array_elements_text(${JSON.stringify(a.kinds)}::jsonb) k
       where not exists (select 1 from candidate_access fresh
                          where fresh.account_id = ${a.accountId}::uuid and fresh.kind = k.value and fresh.candidate_id = c.value::uuid
                            and fresh.at > ${a.at}::timestamptz - ${`${ACCESS_REFRESH_SECONDS} seconds`}::interval)
      on conflict (account_id, kind, candidate_id) do update set at = excluded.at
      returning kind, candidate_id
    ),
    looked as (
      insert into register_lookup (account_id, lookup, at)
      select ${a.accountId}::uuid, l.value, ${a.at}::timestamptz
        from jsonb_array_elements_text(${JSON.stringify(a.lookups ?? [])}::jsonb) l
      on conflict (account_id, lookup) do update set at = excluded.at
      returning lookup
    ),
    counted as (
      select kind, count(*) as n from written group by kind
      union all
      select kind, count(*) from candidate_access
       where account_id = ${a.accountId}::uuid and at > ${a.since}::timestamptz
         and not exists (select 1 from written w where w.kind = candidate_access.kind and w.candidate_id = candidate_access.candidate_id)
       group by kind
      union all
      select 'read', count(*) from looked
      union all
      select 'read', count(*) from register_lookup
       where account_id = ${a.accountId}::uuid and at > ${a.since}::timestamptz
         and not exists (select 1 from looked l where l.lookup = register_lookup.lookup)
    )`;
}

const countsOf = (row: { read: string | number; export: string | number } | undefined): Record<AccessKind, number> => ({ read: Number(row?.read ?? 0), export: Number(row?.export ?? 0) });

export async function recordAccessAndCount(db: Db, a: AccessWrite): Promise<Record<AccessKind, number>> {
  const { rows } = await sql<{ read: string | number; export: string | number }>`${accessCounted(a)}
    select coalesce(sum(n) filter (where kind = 'read'), 0) as read,
           coalesce(sum(n) filter (where kind = 'export'), 0) as export
      from counted
  `.execute(db);
  return countsOf(rows[0]);
}

/** One audited read to guard (see guard_reads, migration 0022): `audit` is the payload audit_append takes. */
export type ReadGuardRequest = AccessWrite & { readsAtMost: number; audit: unknown[] };
export type ReadGuardResult = Record<AccessKind, number> & { audited: number };

/**
 * Guards `requests` in order in one statement, which is one transaction: each request's accesses
 * written and counted as recordAccessAndCount does, and its audit rows appended only when its
 * reads stay within `readsAtMost`. One result per request, in order (read-guard-batch.ts).
 */
export async function guardReads(db: Db, requests: readonly ReadGuardRequest[]): Promise<ReadGuardResult[]> {
  const payload = requests.map((r) => ({
    accountId: r.accountId,
    candidateIds: r.candidateIds,
    kinds: r.kinds,
    at: r.at.toISOString(),
    since: r.since.toISOString(),
    lookups: r.lookups ?? [],
    refreshSeconds: ACCESS_REFRESH_SECONDS,
    readsAtMost: r.readsAtMost,
    audit: r.audit,
  }));
  const { rows } = await sql<{ results: Array<{ read: number; export: number; audited: number }> }>`select guard_reads(${JSON.stringify(payload)}::jsonb) as results`.execute(db);
  const results = rows[0]?.results ?? [];
  if (results.length !== requests.length) throw new Error(`guard_reads: ${results.length} results for ${requests.length} requests`);
  return results.map((r) => ({ read: Number(r.read), export: Number(r.export), audited: Number(r.audited) }));
}

/** Forgets an account's counts: after a reinstatement the same hour must not suspend it anew. */
export async function forgetAccesses(trx: Db, accountId: string): Promise<void> {
  await trx.deleteFrom('candidate_access').where('account_id', '=', accountId).execute();
  await trx.deleteFrom('register_lookup').where('account_id', '=', accountId).execute();
}

/** Look-ups that matched nobody since `since`: the alert's trail shows how many (never the identifiers). */
export async function unmatchedLookupsSince(db: Db, accountId: string, since: Date): Promise<number> {
  const row = await db.selectFrom('register_lookup').select(sql<number>`count(*)`.as('n')).where('account_id', '=', accountId).where('at', '>=', since).executeTakeFirstOrThrow();
  return Number(row.n);
}

export async function purgeAccessesBefore(db: Db, before: Date): Promise<number> {
  const r = await db.deleteFrom('candidate_access').where('at', '<', before).executeTakeFirst();
  const t = await db.deleteFrom('api_token_candidate_access').where('at', '<', before).executeTakeFirst();
  const l = await db.deleteFrom('register_lookup').where('at', '<', before).executeTakeFirst();
  return Number(r.numDeletedRows) + Number(t.numDeletedRows) + Number(l.numDeletedRows);
}

/** The same window for an API token: its reads counted apart from the account that issued it. */
export async function recordTokenAccess(db: Db, tokenId: string, candidateIds: readonly string[], kind: AccessKind, at: Date): Promise<void> {
  await db
    .insertInto('api_token_candidate_access')
    .values(candidateIds.map((candidate_id) => ({ token_id: tokenId, candidate_id, kind, at })))
    .onConflict((oc) => oc.columns(['token_id', 'kind', 'candidate_id']).doUpdateSet({ at }))
    .execute();
}

export async function distinctTokenAccessedSince(db: Db, tokenId: string, kind: AccessKind, since: Date): Promise<number> {
  const row = await db
    .selectFrom('api_token_candidate_access')
    .select(sql<number>`count(*)`.as('n'))
    .where('token_id', '=', tokenId)
    .where('kind', '=', kind)
    .where('at', '>', since)
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

/** Active holders (with an e-mail address) of a role that counts (own organisation, not suspended). */
function holdersOf(db: Db, application: string, role: string) {
  return db
    .selectFrom('account')
    .innerJoin('habilitation', 'habilitation.account_id', 'account.id')
    .select(['account.id', 'account.email'])
    .distinct()
    .where('account.status', '=', 'active')
    .where('account.email', 'is not', null)
    .whereRef('habilitation.organisation_id', '=', 'account.organisation_id')
    .where('habilitation.application', '=', application)
    .where('habilitation.role', '=', role)
    .where('habilitation.suspended_at', 'is', null);
}

export async function accountManagersOf(db: Db, organisationId: string) {
  return holdersOf(db, 'gid', 'account_manager').where('account.organisation_id', '=', organisationId).execute();
}

export async function agencyAdministrators(db: Db) {
  return holdersOf(db, 'gid', 'agency_admin').execute();
}
