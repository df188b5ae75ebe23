/**
 * Passkeys, their pending challenges, and the two columns they add to sessions and accounts:
 * queries only. Reading the account's habilitations crosses into habilitations' table on
 * purpose, as resolving a session does (docs/decisions/0027-identity-sub-domains.md).
 */
import type { Kysely, Transaction } from 'kysely';
import type { DB } from '../../../db/schema.js';

type Db = Kysely<DB> | Transaction<DB>;

export interface StoredPasskey {
  id: string;
  account_id: string;
  credential_id: string;
  public_key: string;
  counter: number;
  transports: string[];
  name: string;
  created_at: Date;
  last_used_at: Date | null;
}

const COLUMNS = ['id', 'account_id', 'credential_id', 'public_key', 'counter', 'transports', 'name', 'created_at', 'last_used_at'] as const;

export async function listPasskeys(db: Db, accountId: string): Promise<StoredPasskey[]> {
  return db.selectFrom('passkey').select(COLUMNS).where('account_id', '=', accountId).orderBy('created_at').orderBy('id').execute();
}

export async function countPasskeys(db: Db, accountId: string): Promise<number> {
  const row = await db.selectFrom('passkey').select((eb) => eb.fn.countAll<number>().as('n')).where('account_id', '=', accountId).executeTakeFirstOrThrow();
  return Number(row.n);
}

export async function findByCredentialId(db: Db, credentialId: string): Promise<StoredPasskey | undefined> {
  return db.selectFrom('passkey').select(COLUMNS).where('credential_id', '=', credentialId).executeTakeFirst();
}

export async function insertPasskey(
  db: Db,
  row: { accountId: string; credentialId: string; publicKey: string; counter: number; transports: string[]; name: string; now: Date },
): Promise<string | null> {
  const inserted = await db
    .insertInto('passkey')
    .values({
      account_id: row.accountId,
      credential_id: row.credentialId,
      public_key: row.publicKey,
      counter: row.counter,
      transports: JSON.stringify(row.transports),
      name: row.name,
      created_at: row.now,
      last_used_at: null,
    })
    .onConflict((oc) => oc.column('credential_id').doNothing())
    .returning('id')
    .executeTakeFirst();
  return inserted?.id ?? null;
}

/** Removes the account's own passkey; null when it is not theirs (or gone already). */
export async function deleteOwnPasskey(db: Db, accountId: string, id: string): Promise<{ name: string } | null> {
  const row = await db.deleteFrom('passkey').where('id', '=', id).where('account_id', '=', accountId).returning('name').executeTakeFirst();
  return row ?? null;
}

/**
 * Records a use: the new counter and the time. Only if the counter is still the one verified
 * against, so two requests racing with one assertion cannot both pass.
 */
export async function recordUse(db: Db, id: string, previousCounter: number, newCounter: number, now: Date): Promise<boolean> {
  const r = await db
    .updateTable('passkey')
    .set({ counter: newCounter, last_used_at: now })
    .where('id', '=', id)
    .where('counter', '=', previousCounter)
    .executeTakeFirst();
  return Number(r.numUpdatedRows) === 1;
}

/** Stores a challenge for a flow, replacing that flow's earlier one; expired challenges go. */
export async function putChallenge(db: Db, row: { id: string; challenge: string; accountId: string | null; now: Date; expiresAt: Date }): Promise<void> {
  await db.deleteFrom('webauthn_challenge').where('expires_at', '<', row.now).execute();
  await db
    .insertInto('webauthn_challenge')
    .values({ id: row.id, challenge: row.challenge, account_id: row.accountId, created_at: row.now, expires_at: row.expiresAt })
    .onConflict((oc) =>
      oc.column('id').doUpdateSet({ challenge: row.challenge, account_id: row.accountId, created_at: row.now, expires_at: row.expiresAt }),
    )
    .execute();
}

/** Takes a flow's challenge: deleted whatever happens next, so it serves once; null when absent or expired. */
export async function takeChallenge(db: Db, id: string, now: Date): Promise<{ challenge: string; accountId: string | null } | null> {
  const row = await db.deleteFrom('webauthn_challenge').where('id', '=', id).returning(['challenge', 'account_id', 'expires_at']).executeTakeFirst();
  if (!row || row.expires_at <= now) return null;
  return { challenge: row.challenge, accountId: row.account_id };
}

export async function markReauthenticated(db: Db, sessionId: string, now: Date): Promise<void> {
  await db.updateTable('session').set({ reauthenticated_at: now }).where('id', '=', sessionId).execute();
}

export async function sessionAuthTimes(db: Db, sessionId: string): Promise<{ createdAt: Date; reauthenticatedAt: Date | null } | undefined> {
  return db
    .selectFrom('session')
    .select(['created_at as createdAt', 'reauthenticated_at as reauthenticatedAt'])
    .where('id', '=', sessionId)
    .executeTakeFirst();
}

/** The account's habilitations in force (application/role), in its own organisation. */
export async function habilitationsInForce(db: Db, accountId: string): Promise<Array<{ application: string; role: string }>> {
  return db
    .selectFrom('habilitation')
    .innerJoin('account', 'account.id', 'habilitation.account_id')
    .select(['habilitation.application', 'habilitation.role'])
    .where('habilitation.account_id', '=', accountId)
    .whereRef('habilitation.organisation_id', '=', 'account.organisation_id')
    .where('habilitation.suspended_at', 'is', null)
    .execute();
}

/** Starts the account's grace period once; false when it had started already (another sign-in did). */
export async function startGrace(db: Db, accountId: string, now: Date): Promise<boolean> {
  const r = await db
    .updateTable('account')
    .set({ passkey_grace_started_at: now })
    .where('id', '=', accountId)
    .where('passkey_grace_started_at', 'is', null)
    .executeTakeFirst();
  return Number(r.numUpdatedRows) === 1;
}

/** Whether the account has a passkey and when its grace period started: one round trip, at each request of a holder of a required role. */
export async function passkeyStanding(db: Db, accountId: string): Promise<{ hasPasskey: boolean; graceStartedAt: Date | null }> {
  const row = await db
    .selectFrom('account')
    .select((eb) => [
      'passkey_grace_started_at as graceStartedAt',
      eb.exists(eb.selectFrom('passkey').select('passkey.id').whereRef('passkey.account_id', '=', 'account.id')).as('hasPasskey'),
    ])
    .where('account.id', '=', accountId)
    .executeTakeFirst();
  return { hasPasskey: !!row?.hasPasskey, graceStartedAt: row?.graceStartedAt ?? null };
}
