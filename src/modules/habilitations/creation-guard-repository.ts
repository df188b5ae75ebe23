/**
 * Queries of the account-creation guard (creation-guard.ts): its count of recent GID changes in
 * the audit log, its security alert (one open per account manager; the security module reads and
 * closes it), and the held accounts it releases.
 */
import { sql, type Kysely } from 'kysely';
import type { DB } from '../../db/schema.js';

type Db = Kysely<DB>;

/** How many `action` rows `actorId` has in the audit log since `since` (the log every instance shares). */
export async function countActionsSince(trx: Db, actorId: string, action: string, since: Date): Promise<number> {
  const row = await trx
    .selectFrom('audit_log')
    .select(sql<number>`count(*)`.as('n'))
    .where('actor_id', '=', actorId)
    .where('action', '=', action)
    .where('at', '>', since)
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

/** The account manager's open creation alert, locked so that two held accounts land on the same one. */
export async function lockOpenCreationAlert(trx: Db, managerId: string) {
  return trx
    .selectFrom('security_alert')
    .select(['id', 'details'])
    .where('kind', '=', 'account_creation')
    .where('status', '=', 'open')
    .where('account_id', '=', managerId)
    .forUpdate()
    .executeTakeFirst();
}

export async function updateAlertDetails(trx: Db, alertId: string, details: Record<string, unknown>): Promise<void> {
  await trx.updateTable('security_alert').set({ details: JSON.stringify(details) }).where('id', '=', alertId).execute();
}

export async function insertCreationAlert(trx: Db, a: { at: Date; managerId: string; organisationId: string; details: Record<string, unknown> }): Promise<string> {
  const row = await trx
    .insertInto('security_alert')
    .values({ kind: 'account_creation', at: a.at, account_id: a.managerId, organisation_id: a.organisationId, details: JSON.stringify(a.details) })
    .returning('id')
    .executeTakeFirstOrThrow();
  return row.id;
}

export async function displayNameOf(trx: Db, accountId: string): Promise<string> {
  const row = await trx.selectFrom('account').select('display_name').where('id', '=', accountId).executeTakeFirstOrThrow();
  return row.display_name;
}

/** A held account with what its release needs (status and reason, activation mail fields, organisation name). */
export async function heldAccount(trx: Db, accountId: string) {
  return trx
    .selectFrom('account')
    .innerJoin('organisation', 'organisation.id', 'account.organisation_id')
    .select(['account.id', 'account.login', 'account.email', 'account.first_name', 'account.last_name', 'account.status', 'account.suspension_origin', 'organisation.name as organisation_name'])
    .where('account.id', '=', accountId)
    .executeTakeFirst();
}
