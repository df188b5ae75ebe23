/** Accounts: queries only, no rules. */
import type { Insertable, Kysely, Transaction } from 'kysely';
import type { DB, SuspensionOrigin } from '../../../db/schema.js';
import { normaliseLogin } from './rules.js';

export type Db = Kysely<DB> | Transaction<DB>;

export function findAccountByLogin(db: Db, login: string) {
  return db.selectFrom('account').selectAll().where('login', '=', normaliseLogin(login)).executeTakeFirst();
}

export function findAccountById(db: Db, accountId: string) {
  return db.selectFrom('account').selectAll().where('id', '=', accountId).executeTakeFirstOrThrow();
}

/** Inserts the account unless its login is taken (then undefined). */
export function insertAccountIfLoginFree(db: Db, row: Insertable<DB['account']>) {
  return db.insertInto('account').values(row).onConflict((oc) => oc.column('login').doNothing()).returning(['id', 'login']).executeTakeFirst();
}

export async function setPasswordHash(db: Db, accountId: string, hash: string, now: Date): Promise<void> {
  await db.updateTable('account').set({ password_hash: hash, password_changed_at: now }).where('id', '=', accountId).execute();
}

/** Active or pending → suspended; false when it was neither. */
export async function markSuspended(db: Db, accountId: string, reason: string, origin: SuspensionOrigin): Promise<boolean> {
  const r = await db
    .updateTable('account')
    .set({ status: 'suspended', suspended_reason: reason, suspension_origin: origin })
    .where('id', '=', accountId)
    .where('status', 'in', ['active', 'pending'])
    .executeTakeFirst();
  return Number(r.numUpdatedRows) === 1;
}

export function findActivationState(db: Db, accountId: string) {
  return db.selectFrom('account').select(['status', 'password_hash', 'totp_secret_sealed', 'kind']).where('id', '=', accountId).executeTakeFirst();
}

export async function setStatusLiftingSuspension(db: Db, accountId: string, status: 'active' | 'pending'): Promise<void> {
  await db.updateTable('account').set({ status, suspended_reason: null, suspension_origin: null }).where('id', '=', accountId).execute();
}

/** Any status but deleted → deleted; false when it already was. */
export async function markDeleted(db: Db, accountId: string): Promise<boolean> {
  const r = await db.updateTable('account').set({ status: 'deleted' }).where('id', '=', accountId).where('status', '!=', 'deleted').executeTakeFirst();
  return Number(r.numUpdatedRows) === 1;
}
