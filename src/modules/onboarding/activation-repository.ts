/**
 * SQL of activation: the codes (table activation_code), and the few account rows an activation
 * writes. The account and habilitation tables belong to identity and habilitations; these writes
 * are the activation's own steps and stay with it until those modules offer them as services.
 */
import type { Kysely } from 'kysely';
import type { DB } from '../../db/schema.js';

/** Voids the account's codes still usable (a regenerated letter replaces them). */
export async function voidLiveCodes(trx: Kysely<DB>, accountId: string, now: Date): Promise<void> {
  await trx
    .updateTable('activation_code')
    .set({ voided_at: now })
    .where('account_id', '=', accountId)
    .where('used_at', 'is', null)
    .where('voided_at', 'is', null)
    .execute();
}

export async function insertCode(trx: Kysely<DB>, accountId: string, codeHash: string, now: Date, expiresAt: Date): Promise<void> {
  await trx
    .insertInto('activation_code')
    .values({ account_id: accountId, code_hash: codeHash, created_at: now, expires_at: expiresAt, used_at: null, voided_at: null })
    .execute();
}

/** The account's live code (unused, not voided, not expired), the one with `codeHash` if given. */
export async function findLiveCode(db: Kysely<DB>, accountId: string, now: Date, codeHash?: string) {
  let q = db
    .selectFrom('activation_code')
    .select('id')
    .where('account_id', '=', accountId)
    .where('used_at', 'is', null)
    .where('voided_at', 'is', null)
    .where('expires_at', '>', now);
  if (codeHash !== undefined) q = q.where('code_hash', '=', codeHash);
  return q.executeTakeFirst();
}

export async function spendCode(trx: Kysely<DB>, codeId: string, now: Date): Promise<void> {
  await trx.updateTable('activation_code').set({ used_at: now }).where('id', '=', codeId).execute();
}

/** The roles of the account, for the length its password needs. */
export async function rolesOf(db: Kysely<DB>, accountId: string): Promise<string[]> {
  return (await db.selectFrom('habilitation').select('role').where('account_id', '=', accountId).execute()).map((h) => h.role);
}

export async function setPassword(trx: Kysely<DB>, accountId: string, passwordHash: string, now: Date): Promise<void> {
  await trx.updateTable('account').set({ password_hash: passwordHash, password_changed_at: now }).where('id', '=', accountId).execute();
}

export async function activateAccount(trx: Kysely<DB>, accountId: string): Promise<void> {
  await trx.updateTable('account').set({ status: 'active' }).where('id', '=', accountId).execute();
}
