import type { Kysely } from 'kysely';
import type { DB } from '../../db/schema.js';
import { afterFailure, blockedUntil, type ThrottlePolicy, type ThrottleState } from './throttle-rules.js';

export interface ThrottleKey {
  key: string;
  policy: ThrottlePolicy;
}

async function load(db: Kysely<DB>, key: string): Promise<ThrottleState | null> {
  const row = await db.selectFrom('sign_in_throttle').selectAll().where('key', '=', key).executeTakeFirst();
  return row ? { failures: row.failures, lastFailureAt: row.last_failure_at, lockedUntil: row.locked_until } : null;
}

/** The latest time any of the keys is blocked until, or null if an attempt may proceed. */
export async function throttledUntil(db: Kysely<DB>, keys: ThrottleKey[], now: Date): Promise<Date | null> {
  let until: Date | null = null;
  for (const { key, policy } of keys) {
    const blocked = blockedUntil(await load(db, key), now, policy);
    if (blocked && (!until || blocked > until)) until = blocked;
  }
  return until;
}

export async function recordFailure(db: Kysely<DB>, keys: ThrottleKey[], now: Date): Promise<void> {
  for (const { key, policy } of keys) {
    const next = afterFailure(await load(db, key), now, policy);
    await db
      .insertInto('sign_in_throttle')
      .values({ key, failures: next.failures, last_failure_at: next.lastFailureAt, locked_until: next.lockedUntil })
      .onConflict((oc) =>
        oc.column('key').doUpdateSet({
          failures: next.failures,
          last_failure_at: next.lastFailureAt,
          locked_until: next.lockedUntil,
        }),
      )
      .execute();
  }
}

export async function clearFailures(db: Kysely<DB>, key: string): Promise<void> {
  await db.deleteFrom('sign_in_throttle').where('key', '=', key).execute();
}
