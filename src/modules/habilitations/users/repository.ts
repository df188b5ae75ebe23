/**
 * GID queries. Every query on accounts and habilitations takes the organisation and filters by
 * it, so a caller that forgot its tenant check still cannot reach another organisation.
 */
import type { Kysely } from 'kysely';
import type { AccountStatus, DB, SuspensionOrigin } from '../../../db/schema.js';
import type { ListedStatus } from './rules.js';

type Db = Kysely<DB>;

export interface OrganisationRef {
  id: string;
  name: string;
  kind: 'agency' | 'training_provider';
}

export async function findOrganisation(db: Db, organisationId: string): Promise<OrganisationRef | undefined> {
  return db.selectFrom('organisation').select(['id', 'name', 'kind']).where('id', '=', organisationId).executeTakeFirst();
}

export async function listOrganisations(db: Db): Promise<OrganisationRef[]> {
  return db.selectFrom('organisation').select(['id', 'name', 'kind']).orderBy('kind').orderBy('name').execute();
}

/** `%`, `_` and `\` typed in a search box are literal characters, not patterns. */
function containsPattern(q: string): string {
  return `%${q.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
}

function accountsOf(db: Db, organisationId: string) {
  return db
    .selectFrom('account as a')
    .select([
      'a.id',
      'a.login',
      'a.display_name',
      'a.first_name',
      'a.last_name',
      'a.email',
      'a.status',
      'a.suspension_origin',
      'a.created_at',
      (eb) => eb.selectFrom('session as s').select((e) => e.fn.max('s.created_at').as('m')).whereRef('s.account_id', '=', 'a.id').as('last_sign_in_at'),
    ])
    .where('a.organisation_id', '=', organisationId)
    .where('a.kind', '=', 'staff')
    // Deleted accounts are kept as tombstones (their login is never reused) but never shown.
    .where('a.status', '!=', 'deleted');
}

export type AccountRow = Awaited<ReturnType<ReturnType<typeof accountsOf>['executeTakeFirstOrThrow']>>;

export async function listAccounts(db: Db, organisationId: string, filter: { q?: string; status?: ListedStatus }): Promise<AccountRow[]> {
  let query = accountsOf(db, organisationId);
  if (filter.status) query = query.where('a.status', '=', filter.status);
  if (filter.q) {
    const pattern = containsPattern(filter.q);
    query = query.where((eb) =>
      eb.or([
        eb('a.login', 'ilike', pattern),
        eb('a.display_name', 'ilike', pattern),
        eb('a.first_name', 'ilike', pattern),
        eb('a.last_name', 'ilike', pattern),
        eb('a.email', 'ilike', pattern),
      ]),
    );
  }
  return query.orderBy('a.display_name').orderBy('a.login').execute();
}

export async function findAccount(db: Db, organisationId: string, accountId: string): Promise<AccountRow | undefined> {
  return accountsOf(db, organisationId).where('a.id', '=', accountId).executeTakeFirst();
}

/**
 * Locks the account row for the rest of the transaction, so two concurrent changes of the same
 * account (suspend and grant, say) apply one after the other.
 */
export async function lockAccount(
  trx: Db,
  organisationId: string,
  accountId: string,
): Promise<{ id: string; login: string; status: AccountStatus; suspension_origin: SuspensionOrigin | null } | undefined> {
  return trx
    .selectFrom('account')
    .select(['id', 'login', 'status', 'suspension_origin'])
    .where('id', '=', accountId)
    .where('organisation_id', '=', organisationId)
    .where('kind', '=', 'staff')
    .where('status', '!=', 'deleted')
    .forUpdate()
    .executeTakeFirst();
}

/** For agency administrators, who reach a user page without knowing the organisation. */
export async function organisationOfAccount(db: Db, accountId: string): Promise<string | null> {
  const row = await db
    .selectFrom('account')
    .select('organisation_id')
    .where('id', '=', accountId)
    .where('kind', '=', 'staff')
    .where('status', '!=', 'deleted')
    .executeTakeFirst();
  return row?.organisation_id ?? null;
}

export interface HabilitationRow {
  id: string;
  account_id: string;
  application: string;
  role: string;
  granted_at: Date;
  granted_by: string | null;
  granted_by_name: string | null;
}

/** Habilitations that count (not suspended by an access review) of some accounts of the organisation. */
export async function habilitationsOf(db: Db, organisationId: string, accountIds: string[]): Promise<HabilitationRow[]> {
  if (accountIds.length === 0) return [];
  return db
    .selectFrom('habilitation as h')
    .leftJoin('account as g', 'g.id', 'h.granted_by')
    .select(['h.id', 'h.account_id', 'h.application', 'h.role', 'h.granted_at', 'h.granted_by', 'g.display_name as granted_by_name'])
    .where('h.organisation_id', '=', organisationId)
    .where('h.account_id', 'in', accountIds)
    .where('h.suspended_at', 'is', null)
    .orderBy('h.application')
    .orderBy('h.role')
    .execute();
}

export async function holdsRole(db: Db, organisationId: string, accountId: string, application: string, role: string): Promise<boolean> {
  const row = await db
    .selectFrom('habilitation')
    .select('id')
    .where('organisation_id', '=', organisationId)
    .where('account_id', '=', accountId)
    .where('application', '=', application)
    .where('role', '=', role)
    .where('suspended_at', 'is', null)
    .executeTakeFirst();
  return !!row;
}

export async function findHabilitation(db: Db, organisationId: string, accountId: string, habilitationId: string) {
  return db
    .selectFrom('habilitation')
    .select(['id', 'application', 'role'])
    .where('id', '=', habilitationId)
    .where('account_id', '=', accountId)
    .where('organisation_id', '=', organisationId)
    .executeTakeFirst();
}

export interface NewHabilitation {
  organisationId: string;
  accountId: string;
  application: string;
  role: string;
  grantedBy: string;
  now: Date;
}

/**
 * Inserts the habilitation; when the same (account, application, role) exists, a row suspended
 * by an access review is granted afresh, and a live one is reported as already held (null).
 */
export async function grantHabilitationRow(trx: Db, h: NewHabilitation): Promise<{ id: string; reinstated: boolean } | null> {
  const inserted = await trx
    .insertInto('habilitation')
    .values({ account_id: h.accountId, organisation_id: h.organisationId, application: h.application, role: h.role, granted_by: h.grantedBy, granted_at: h.now })
    .onConflict((oc) => oc.columns(['account_id', 'application', 'role']).doNothing())
    .returning('id')
    .executeTakeFirst();
  if (inserted) return { id: inserted.id, reinstated: false };
  const revived = await trx
    .updateTable('habilitation')
    .set({ suspended_at: null, reviewed_at: null, granted_at: h.now, granted_by: h.grantedBy })
    .where('organisation_id', '=', h.organisationId)
    .where('account_id', '=', h.accountId)
    .where('application', '=', h.application)
    .where('role', '=', h.role)
    .where('suspended_at', 'is not', null)
    .returning('id')
    .executeTakeFirst();
  return revived ? { id: revived.id, reinstated: true } : null;
}

export async function deleteHabilitation(trx: Db, organisationId: string, habilitationId: string): Promise<boolean> {
  const r = await trx.deleteFrom('habilitation').where('id', '=', habilitationId).where('organisation_id', '=', organisationId).executeTakeFirst();
  return Number(r.numDeletedRows) === 1;
}

/**
 * Removes every habilitation row of an account of the organisation, including stray rows
 * naming another organisation (they never count, but a deleted account keeps nothing).
 */
export async function deleteAllHabilitations(trx: Db, organisationId: string, accountId: string): Promise<number> {
  const r = await trx
    .deleteFrom('habilitation')
    .where('account_id', '=', (eb) =>
      eb.selectFrom('account').select('id').where('id', '=', accountId).where('organisation_id', '=', organisationId),
    )
    .executeTakeFirst();
  return Number(r.numDeletedRows);
}

export async function roleLabels(db: Db) {
  return db
    .selectFrom('role')
    .innerJoin('application', 'application.code', 'role.application')
    .select(['role.application', 'role.code', 'role.label', 'application.name as application_name', 'application.position'])
    .orderBy('application.position')
    .execute();
}
