/** Sessions: queries only, no rules. */
import type { Insertable, Kysely, Transaction } from 'kysely';
import { jsonArrayFrom } from 'kysely/helpers/postgres';
import type { DB } from '../../../db/schema.js';
import { compiledOnce } from '../../../db/compiled-once.js';
import type { SessionEndReason } from './session-rules.js';

type Db = Kysely<DB> | Transaction<DB>;

export async function insertSession(db: Db, row: Insertable<DB['session']>): Promise<void> {
  await db.insertInto('session').values(row).execute();
}

/** Ends a live session; already ended ones keep their first reason. */
export async function markSessionEnded(db: Db, sessionId: string, reason: SessionEndReason, now: Date): Promise<void> {
  await db.updateTable('session').set({ ended_at: now, end_reason: reason }).where('id', '=', sessionId).where('ended_at', 'is', null).execute();
}

/** Ends a live session of this account only; false when it is not theirs or already ended. */
export async function markOwnSessionEnded(db: Db, accountId: string, sessionId: string, reason: SessionEndReason, now: Date): Promise<boolean> {
  const r = await db
    .updateTable('session')
    .set({ ended_at: now, end_reason: reason })
    .where('id', '=', sessionId)
    .where('account_id', '=', accountId)
    .where('ended_at', 'is', null)
    .executeTakeFirst();
  return Number(r.numUpdatedRows) === 1;
}

/** Ends every live session of an account; returns how many ended. */
export async function markAccountSessionsEnded(db: Db, accountId: string, reason: SessionEndReason, now: Date): Promise<number> {
  const result = await db
    .updateTable('session')
    .set({ ended_at: now, end_reason: reason })
    .where('account_id', '=', accountId)
    .where('ended_at', 'is', null)
    .executeTakeFirst();
  return Number(result.numUpdatedRows ?? 0);
}

export async function setLastSeen(db: Db, sessionId: string, now: Date): Promise<void> {
  await db.updateTable('session').set({ last_seen_at: now }).where('id', '=', sessionId).execute();
}

const liveSession = compiledOnce(['sessionId'], (db, { sessionId }: { sessionId: string }) =>
  db
    .selectFrom('session')
    .innerJoin('account', 'account.id', 'session.account_id')
    .leftJoin('organisation', 'organisation.id', 'account.organisation_id')
    .select([
      'session.id as sessionId',
      'session.csrf_token as csrfToken',
      'session.created_at',
      'session.last_seen_at',
      'account.id as accountId',
      'account.login',
      'account.display_name as displayName',
      'account.kind',
      'account.status',
      'organisation.id as organisationId',
      'organisation.name as organisationName',
      'organisation.kind as organisationKind',
      'organisation.status as organisationStatus',
      // The habilitations in force come with the session: one round trip per request for both.
      (eb) =>
        jsonArrayFrom(
          eb
            .selectFrom('habilitation')
            .select(['habilitation.application', 'habilitation.role', 'habilitation.organisation_id as organisationId'])
            .whereRef('habilitation.account_id', '=', 'account.id')
            .where('habilitation.suspended_at', 'is', null)
            .orderBy('habilitation.application')
            .orderBy('habilitation.role'),
        ).as('habilitations'),
    ])
    .where('session.id', '=', sessionId)
    .where('session.ended_at', 'is', null),
);

/**
 * A live session with its account and the account's habilitations in force (as the actor carries
 * them: a read of the habilitations module's table at every request, where a service call would
 * add a round trip), or undefined. Expiry is judged by the caller. Read at every request, so
 * compiled once (src/db/compiled-once.ts).
 */
export function findLiveSession(db: Db, sessionId: string) {
  return liveSession.executeTakeFirst(db, { sessionId });
}

export type LiveSession = NonNullable<Awaited<ReturnType<typeof findLiveSession>>>;

/** The account's last 20 sessions, newest first. */
export async function listSessions(db: Db, accountId: string) {
  return db
    .selectFrom('session')
    .select(['id', 'created_at', 'last_seen_at', 'ended_at', 'end_reason', 'ip', 'user_agent'])
    .where('account_id', '=', accountId)
    .orderBy('created_at', 'desc')
    .limit(20)
    .execute();
}
