/**
 * Account life as other modules drive it: creating a staff account waiting for activation,
 * suspending, reinstating and deleting. Each status change that takes access away also ends the
 * account's sessions, so the next request of that user is refused. Call these inside the
 * transaction that also writes the audit row.
 */
import type { Kysely } from 'kysely';
import type { DB, SuspensionOrigin } from '../../../db/schema.js';
import { endAllSessions } from '../sessions/service.js';
import {
  findAccountByLogin,
  findAccountById,
  findActivationState,
  insertAccountIfLoginFree,
  markDeleted,
  markSuspended,
  setStatusLiftingSuspension,
} from './repository.js';
import { proposeLogin } from './rules.js';

/** Activation (onboarding) and sign-in look an account up by its login; a passkey names the account by id. */
export { findAccountByLogin, findAccountById };

/**
 * Suspensions set by a security detector (bulk access, account-creation guard): only the agency
 * lifts them, through the alert that explains them, after checking the account was not hijacked.
 * An account manager who could lift them would undo the detector for an attacker holding the
 * organisation's accounts.
 */
export const SECURITY_SUSPENSIONS: ReadonlySet<SuspensionOrigin> = new Set(['bulk_access', 'creation_guard']);

export function isSecuritySuspension(origin: SuspensionOrigin | null | undefined): origin is 'bulk_access' | 'creation_guard' {
  return !!origin && SECURITY_SUSPENSIONS.has(origin);
}

/**
 * Suspends an account and ends its sessions at once; `origin` says who did, and so who may lift
 * it. Returns false when the account was not active or pending (already suspended or deleted).
 */
export async function suspendAccount(trx: Kysely<DB>, accountId: string, reason: string, now: Date, origin: SuspensionOrigin): Promise<boolean> {
  const suspended = await markSuspended(trx, accountId, reason.slice(0, 500), origin);
  await endAllSessions(trx, accountId, 'suspended', now);
  return suspended;
}

/**
 * Lifts a suspension: back to active if the account had been activated (it has a password and
 * a second factor), else back to pending activation.
 */
export async function reinstateAccount(trx: Kysely<DB>, accountId: string): Promise<'active' | 'pending' | null> {
  const account = await findActivationState(trx, accountId);
  if (!account || account.status !== 'suspended') return null;
  const activated = !!account.password_hash && (account.kind === 'candidate' || !!account.totp_secret_sealed);
  const status = activated ? 'active' : 'pending';
  await setStatusLiftingSuspension(trx, accountId, status);
  return status;
}

/** Marks an account deleted (never removed: its login must never be reused) and ends its sessions. */
export async function markAccountDeleted(trx: Kysely<DB>, accountId: string, now: Date): Promise<boolean> {
  const deleted = await markDeleted(trx, accountId);
  await endAllSessions(trx, accountId, 'deleted', now);
  return deleted;
}

export interface NewStaffAccount {
  organisationId: string;
  firstName: string;
  lastName: string;
  email: string;
  phone?: string | null;
  now: Date;
}

/**
 * Creates an inactive staff account with a generated login. Accounts are never deleted (only
 * marked so), so the unique login is never handed out twice.
 */
export async function createPendingStaffAccount(trx: Kysely<DB>, input: NewStaffAccount): Promise<{ id: string; login: string }> {
  for (let attempt = 0; attempt < 8; attempt++) {
    const row = await insertAccountIfLoginFree(trx, {
      login: proposeLogin(input.firstName, input.lastName),
      display_name: `${input.firstName} ${input.lastName}`.trim(),
      first_name: input.firstName,
      last_name: input.lastName,
      email: input.email,
      phone: input.phone ?? null,
      organisation_id: input.organisationId,
      kind: 'staff',
      status: 'pending',
      password_hash: null,
      password_changed_at: null,
      totp_secret_sealed: null,
      totp_last_step: null,
      created_at: input.now,
    });
    if (row) return row;
  }
  throw new Error('Could not generate a free login');
}
