/** Sign-in throttle counters: queries only, the schedule is in throttle-rules.ts. */
import type { Kysely, Transaction } from 'kysely';
import type { DB } from '../../../db/schema.js';
import type { ThrottleState } from './throttle-rules.js';

type Db = Kysely<DB> | Transaction<DB>;

export async function loadThrottleState(db: Db, key: string): Promise<ThrottleState | null> {
  const row = await db.selectFrom('sign_in_throttle').selectAll().where('key', '=', key).executeTakeFirst();
  return row ? { failures: row.failures, lastFailureAt: row.last_failure_at, lockedUntil: row.locked_until } : null;
}

export async function saveThrottleState(db: Db, key: string, state: ThrottleState): Promise<void> {
  await db
    .insertInto('sign_in_throttle')
    .values({ key, failures: state.failures, last_failure_at: state.lastFailureAt, locked_until: state.lockedUntil })
    .onConflict((oc) =>
      oc.column('key').doUpdateSet({
        failures: state.failures,
        last_failure_at: state.lastFailureAt,
        locked_until: state.lockedUntil,
      }),
    )
    .execute();
}

export async function deleteThrottleState(db: Db, key: string): Promise<void> {
  await db.deleteFrom('sign_in_throttle').where('key', '=', key).execute();
}
