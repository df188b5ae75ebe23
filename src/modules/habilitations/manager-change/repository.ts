/** Changes of account manager (Kysely only). */
import type { Kysely } from 'kysely';
import type { DB } from '../../../db/schema.js';
import type { ChangeStatus } from './rules.js';

type Db = Kysely<DB>;

/** An active staff account of the organisation, or undefined (unknown, other tenant, inactive). */
export async function findActiveStaff(db: Db, organisationId: string, accountId: string) {
  return db
    .selectFrom('account')
    .select(['id', 'login', 'display_name', 'email'])
    .where('id', '=', accountId)
    .where('organisation_id', '=', organisationId)
    .where('kind', '=', 'staff')
    .where('status', '=', 'active')
    .executeTakeFirst();
}

export async function activeStaff(db: Db, organisationId: string) {
  return db
    .selectFrom('account')
    .select(['id', 'login', 'display_name'])
    .where('organisation_id', '=', organisationId)
    .where('kind', '=', 'staff')
    .where('status', '=', 'active')
    .orderBy('display_name')
    .execute();
}

/** Holders of the account manager role in the organisation, suspended rows included. */
export async function managerIds(db: Db, organisationId: string): Promise<string[]> {
  const rows = await db
    .selectFrom('habilitation')
    .select('account_id')
    .where('organisation_id', '=', organisationId)
    .where('application', '=', 'gid')
    .where('role', '=', 'account_manager')
    .execute();
  return rows.map((r) => r.account_id);
}

export async function findPendingChange(db: Db, organisationId: string) {
  return db.selectFrom('account_manager_change').selectAll().where('organisation_id', '=', organisationId).where('status', '=', 'pending').executeTakeFirst();
}

/** Inserts the request; null when another pending one won the race (unique partial index). */
export async function insertChange(trx: Db, c: { organisationId: string; requestedBy: string; newManagerId: string; reason: string; at: Date }) {
  return trx
    .insertInto('account_manager_change')
    .values({ organisation_id: c.organisationId, requested_by: c.requestedBy, new_manager_id: c.newManagerId, reason: c.reason, created_at: c.at, decided_at: null, decided_by: null, decision_reason: null })
    .onConflict((oc) => oc.column('organisation_id').where('status', '=', 'pending').doNothing())
    .returning(['id', 'status'])
    .executeTakeFirst();
}

export function listChanges(db: Db, filter: { status?: ChangeStatus; organisationId?: string }) {
  let q = db
    .selectFrom('account_manager_change as c')
    .innerJoin('organisation as o', 'o.id', 'c.organisation_id')
    .innerJoin('account as req', 'req.id', 'c.requested_by')
    .innerJoin('account as nm', 'nm.id', 'c.new_manager_id')
    .leftJoin('account as dec', 'dec.id', 'c.decided_by')
    .select([
      'c.id',
      'c.status',
      'c.reason',
      'c.created_at',
      'c.decided_at',
      'c.decision_reason',
      'o.id as organisation_id',
      'o.name as organisation_name',
      'o.siret as organisation_siret',
      'req.id as requester_id',
      'req.login as requester_login',
      'req.display_name as requester_name',
      'nm.id as new_manager_id',
      'nm.login as new_manager_login',
      'nm.display_name as new_manager_name',
      'dec.login as decided_by_login',
    ]);
  if (filter.status) q = q.where('c.status', '=', filter.status);
  if (filter.organisationId) q = q.where('c.organisation_id', '=', filter.organisationId);
  return q.orderBy('c.created_at', 'desc').limit(200).execute();
}
export type ChangeRow = Awaited<ReturnType<typeof listChanges>>[number];

export async function lockChange(trx: Db, id: string) {
  return trx.selectFrom('account_manager_change').selectAll().where('id', '=', id).forUpdate().executeTakeFirst();
}

export async function decideChange(trx: Db, id: string, d: { status: 'approved' | 'rejected'; by: string; at: Date; reason: string | null }): Promise<void> {
  await trx
    .updateTable('account_manager_change')
    .set({ status: d.status, decided_by: d.by, decided_at: d.at, decision_reason: d.reason })
    .where('id', '=', id)
    .where('status', '=', 'pending')
    .execute();
}

/** Grants the role; a row suspended by an access review is granted afresh. */
export async function grantManagerRole(trx: Db, organisationId: string, accountId: string, by: string, at: Date): Promise<void> {
  await trx
    .insertInto('habilitation')
    .values({ account_id: accountId, organisation_id: organisationId, application: 'gid', role: 'account_manager', granted_by: by, granted_at: at })
    .onConflict((oc) => oc.columns(['account_id', 'application', 'role']).doUpdateSet({ organisation_id: organisationId, granted_by: by, granted_at: at, suspended_at: null, reviewed_at: null }))
    .execute();
}

/** Removes the role from everybody else in the organisation; returns whose it was. */
export async function revokeOtherManagers(trx: Db, organisationId: string, keepAccountId: string): Promise<string[]> {
  const rows = await trx
    .deleteFrom('habilitation')
    .where('organisation_id', '=', organisationId)
    .where('application', '=', 'gid')
    .where('role', '=', 'account_manager')
    .where('account_id', '!=', keepAccountId)
    .returning('account_id')
    .execute();
  return rows.map((r) => r.account_id);
}

/** Active agency administrators, told that a request awaits them. */
export async function agencyAdministrators(db: Db) {
  return db
    .selectFrom('account as a')
    .innerJoin('organisation as o', 'o.id', 'a.organisation_id')
    .innerJoin('habilitation as h', (j) => j.onRef('h.account_id', '=', 'a.id').onRef('h.organisation_id', '=', 'o.id'))
    .select(['a.id', 'a.email'])
    .where('o.kind', '=', 'agency')
    .where('h.application', '=', 'gid')
    .where('h.role', '=', 'agency_admin')
    .where('h.suspended_at', 'is', null)
    .where('a.status', '=', 'active')
    .execute();
}

export async function accountContact(db: Db, accountId: string) {
  return db.selectFrom('account').select(['id', 'login', 'display_name', 'email']).where('id', '=', accountId).executeTakeFirst();
}

export async function changeExists(db: Db, id: string): Promise<boolean> {
  return !!(await db.selectFrom('account_manager_change').select('id').where('id', '=', id).executeTakeFirst());
}

export async function organisationName(db: Db, organisationId: string): Promise<string> {
  const row = await db.selectFrom('organisation').select('name').where('id', '=', organisationId).executeTakeFirstOrThrow();
  return row.name;
}
