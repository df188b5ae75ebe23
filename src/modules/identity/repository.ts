import type { Kysely } from 'kysely';
import type { DB } from '../../db/schema.js';
import { effectiveHabilitations, type Actor } from '../habilitations/policy.js';

export function normaliseLogin(login: string): string {
  return login.trim().toLowerCase().slice(0, 100);
}

export async function findAccountByLogin(db: Kysely<DB>, login: string) {
  return db.selectFrom('account').selectAll().where('login', '=', normaliseLogin(login)).executeTakeFirst();
}

/** A live session with its account, or undefined. Expiry is judged by the caller. */
export async function findLiveSession(db: Kysely<DB>, sessionId: string) {
  return db
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
    ])
    .where('session.id', '=', sessionId)
    .where('session.ended_at', 'is', null)
    .executeTakeFirst();
}

export type LiveSession = NonNullable<Awaited<ReturnType<typeof findLiveSession>>>;

export async function loadActor(db: Kysely<DB>, s: LiveSession): Promise<Actor> {
  const organisation =
    s.organisationId && s.organisationName && s.organisationKind
      ? { id: s.organisationId, name: s.organisationName, kind: s.organisationKind }
      : null;
  const rows = organisation
    ? await db
        .selectFrom('habilitation')
        .select(['application', 'role', 'organisation_id as organisationId'])
        .where('account_id', '=', s.accountId)
        .where('suspended_at', 'is', null)
        .orderBy('application')
        .orderBy('role')
        .execute()
    : [];
  return {
    accountId: s.accountId,
    sessionId: s.sessionId,
    login: s.login,
    displayName: s.displayName,
    kind: s.kind,
    organisation,
    habilitations: effectiveHabilitations(rows, organisation),
  };
}

export async function findUnusedRecoveryCode(db: Kysely<DB>, accountId: string, codeHash: string) {
  return db
    .selectFrom('recovery_code')
    .select('id')
    .where('account_id', '=', accountId)
    .where('code_hash', '=', codeHash)
    .where('used_at', 'is', null)
    .executeTakeFirst();
}

/** Marks a recovery code used; false if another request used it first. */
export async function useRecoveryCode(db: Kysely<DB>, id: string, now: Date): Promise<boolean> {
  const r = await db
    .updateTable('recovery_code')
    .set({ used_at: now })
    .where('id', '=', id)
    .where('used_at', 'is', null)
    .executeTakeFirst();
  return Number(r.numUpdatedRows) === 1;
}

/** Records the TOTP step used; false if that step (or a later one) was already used (replay). */
export async function advanceTotpStep(db: Kysely<DB>, accountId: string, step: number): Promise<boolean> {
  const r = await db
    .updateTable('account')
    .set({ totp_last_step: step })
    .where('id', '=', accountId)
    .where((eb) => eb.or([eb('totp_last_step', 'is', null), eb('totp_last_step', '<', step)]))
    .executeTakeFirst();
  return Number(r.numUpdatedRows) === 1;
}

export async function listSessions(db: Kysely<DB>, accountId: string) {
  return db
    .selectFrom('session')
    .select(['id', 'created_at', 'last_seen_at', 'ended_at', 'end_reason', 'ip', 'user_agent'])
    .where('account_id', '=', accountId)
    .orderBy('created_at', 'desc')
    .limit(20)
    .execute();
}
