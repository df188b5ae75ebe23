import type { Kysely } from 'kysely';
import type { DB } from '../../db/schema.js';
import { endAllSessions } from './sessions.js';

/**
 * Suspends an account and ends its sessions at once: the next request of that user is
 * refused. Call inside the transaction that also writes the audit row. Returns false when the
 * account was not active or pending (already suspended or deleted).
 */
export async function suspendAccount(trx: Kysely<DB>, accountId: string, reason: string, now: Date): Promise<boolean> {
  const r = await trx
    .updateTable('account')
    .set({ status: 'suspended', suspended_reason: reason.slice(0, 500) })
    .where('id', '=', accountId)
    .where('status', 'in', ['active', 'pending'])
    .executeTakeFirst();
  await endAllSessions(trx, accountId, 'suspended', now);
  return Number(r.numUpdatedRows) === 1;
}

/**
 * Lifts a suspension: back to active if the account had been activated (it has a password and
 * a second factor), else back to pending activation.
 */
export async function reinstateAccount(trx: Kysely<DB>, accountId: string): Promise<'active' | 'pending' | null> {
  const account = await trx
    .selectFrom('account')
    .select(['status', 'password_hash', 'totp_secret_sealed', 'kind'])
    .where('id', '=', accountId)
    .executeTakeFirst();
  if (!account || account.status !== 'suspended') return null;
  const activated = !!account.password_hash && (account.kind === 'candidate' || !!account.totp_secret_sealed);
  const status = activated ? 'active' : 'pending';
  await trx.updateTable('account').set({ status, suspended_reason: null }).where('id', '=', accountId).execute();
  return status;
}

/** Marks an account deleted (never removed: its login must never be reused) and ends its sessions. */
export async function markAccountDeleted(trx: Kysely<DB>, accountId: string, now: Date): Promise<boolean> {
  const r = await trx
    .updateTable('account')
    .set({ status: 'deleted' })
    .where('id', '=', accountId)
    .where('status', '!=', 'deleted')
    .executeTakeFirst();
  await endAllSessions(trx, accountId, 'deleted', now);
  return Number(r.numUpdatedRows) === 1;
}
