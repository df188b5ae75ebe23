/** The second factor's columns of the account (sealed TOTP secrets, last step) and recovery codes: queries only. */
import type { Kysely, Transaction } from 'kysely';
import type { DB } from '../../../db/schema.js';

type Db = Kysely<DB> | Transaction<DB>;

export async function setPendingSecret(db: Db, accountId: string, sealed: string): Promise<void> {
  await db.updateTable('account').set({ totp_pending_sealed: sealed }).where('id', '=', accountId).execute();
}

export async function findPendingSecret(db: Db, accountId: string): Promise<string | null> {
  const row = await db.selectFrom('account').select('totp_pending_sealed').where('id', '=', accountId).executeTakeFirst();
  return row?.totp_pending_sealed ?? null;
}

/** The pending secret becomes the account's factor, its first step counted as used. */
export async function adoptSecret(db: Db, accountId: string, sealed: string, step: number): Promise<void> {
  await db
    .updateTable('account')
    .set({ totp_secret_sealed: sealed, totp_pending_sealed: null, totp_last_step: step })
    .where('id', '=', accountId)
    .execute();
}

export async function findSecret(db: Db, accountId: string): Promise<string | null> {
  const row = await db.selectFrom('account').select('totp_secret_sealed').where('id', '=', accountId).executeTakeFirst();
  return row?.totp_secret_sealed ?? null;
}

/** Records the TOTP step used; false if that step (or a later one) was already used (replay). */
export async function advanceTotpStep(db: Db, accountId: string, step: number): Promise<boolean> {
  const r = await db
    .updateTable('account')
    .set({ totp_last_step: step })
    .where('id', '=', accountId)
    .where((eb) => eb.or([eb('totp_last_step', 'is', null), eb('totp_last_step', '<', step)]))
    .executeTakeFirst();
  return Number(r.numUpdatedRows) === 1;
}

/** The account's recovery codes are replaced by these (hashed) ones. */
export async function replaceRecoveryCodes(db: Db, accountId: string, codeHashes: string[]): Promise<void> {
  await db.deleteFrom('recovery_code').where('account_id', '=', accountId).execute();
  await db
    .insertInto('recovery_code')
    .values(codeHashes.map((code_hash) => ({ account_id: accountId, code_hash, used_at: null })))
    .execute();
}

export async function findUnusedRecoveryCode(db: Db, accountId: string, codeHash: string) {
  return db
    .selectFrom('recovery_code')
    .select('id')
    .where('account_id', '=', accountId)
    .where('code_hash', '=', codeHash)
    .where('used_at', 'is', null)
    .executeTakeFirst();
}

/** Marks a recovery code used; false if another request used it first. */
export async function useRecoveryCode(db: Db, id: string, now: Date): Promise<boolean> {
  const r = await db.updateTable('recovery_code').set({ used_at: now }).where('id', '=', id).where('used_at', 'is', null).executeTakeFirst();
  return Number(r.numUpdatedRows) === 1;
}
