/**
 * The training record that every part of the follow-up reads: the training row within the
 * actor's scope, its lock, its planned half-days and its locked months. Every read goes through `scopedTrainings`,
 * which filters by the actor's scope (organisation, advisor's candidates, the candidate
 * themself): a row outside it is never loaded, so a forgotten check cannot leak it. Writes lock
 * the training row first, so two declarations for one trainee never interleave. The queries of
 * each sub-domain are in its own repository.ts.
 */
import type { Kysely, Transaction } from 'kysely';
import type { DB } from '../../db/schema.js';
import type { TrainingScope } from './policy.js';
import type { HalfDaySession } from './rules.js';

export type Db = Kysely<DB> | Transaction<DB>;

/** Rows per multi-row INSERT: well under PostgreSQL's 65 535 parameters per statement. */
export const INSERT_CHUNK = 500;

export function scopedTrainings(db: Db, scope: TrainingScope) {
  const base = db
    .selectFrom('training')
    .innerJoin('candidate', 'candidate.id', 'training.candidate_id')
    .innerJoin('quote', 'quote.id', 'training.quote_id')
    .innerJoin('organisation', 'organisation.id', 'training.organisation_id');
  switch (scope.kind) {
    case 'organisation':
      return base.where('training.organisation_id', '=', scope.organisationId);
    case 'advisor':
      return base.where((eb) => eb.or([eb('candidate.created_by', '=', scope.accountId), eb('quote.decided_by', '=', scope.accountId)]));
    case 'candidate':
      return base.where('candidate.account_id', '=', scope.accountId);
  }
}

export const TRAINING_COLUMNS = [
  'training.id',
  'training.status',
  'training.title',
  'training.carif_oref_session',
  'training.start_date',
  'training.end_date',
  'training.entry_date',
  'training.withdrawal_date',
  'training.withdrawal_reason',
  'training.withdrawal_comment',
  'training.exit_date',
  'training.organisation_id',
  'training.candidate_id',
  'training.quote_id',
  'training.created_at',
  'training.updated_at',
  'candidate.identifier',
  'candidate.first_name',
  'candidate.last_name',
  'organisation.name as organisation_name',
  'quote.type as quote_type',
  'quote.decided_at',
  'quote.agreement_reference',
] as const;

export type TrainingRow = Awaited<ReturnType<typeof findTraining>> & {};

export function findTraining(db: Db, scope: TrainingScope, id: string) {
  return scopedTrainings(db, scope).select(TRAINING_COLUMNS).where('training.id', '=', id).executeTakeFirst();
}

/** The training row, locked for the rest of the transaction; its organisation's only. */
export function lockOwnTraining(trx: Transaction<DB>, organisationId: string, id: string) {
  return trx.selectFrom('training').selectAll().where('id', '=', id).where('organisation_id', '=', organisationId).forUpdate().executeTakeFirst();
}

export async function insertSessions(trx: Transaction<DB>, trainingId: string, sessions: HalfDaySession[]) {
  for (let i = 0; i < sessions.length; i += INSERT_CHUNK) {
    const values = sessions.slice(i, i + INSERT_CHUNK).map((s) => ({ training_id: trainingId, date: s.date, period: s.period, starts_at: s.from, ends_at: s.to, minutes: s.minutes }));
    await trx.insertInto('training_session').values(values).execute();
  }
}

export async function sessionsOf(db: Db, trainingId: string, range?: { first: string; last: string }): Promise<HalfDaySession[]> {
  let q = db.selectFrom('training_session').select(['date', 'period', 'starts_at', 'ends_at', 'minutes']).where('training_id', '=', trainingId);
  if (range) q = q.where('date', '>=', range.first).where('date', '<=', range.last);
  const rows = await q.orderBy('date').orderBy('period').execute();
  return rows.map((r) => ({ date: r.date, period: r.period, from: r.starts_at, to: r.ends_at, minutes: r.minutes }));
}

/** The months whose statement is submitted: their half-days change only by a correction. */
export async function lockedMonthsOf(db: Db, trainingId: string): Promise<Set<string>> {
  const rows = await db.selectFrom('monthly_statement').select('month').where('training_id', '=', trainingId).execute();
  return new Set(rows.map((r) => r.month));
}

/** The identifier of a training's candidate (alerts and mails name trainees by it, never by name). */
export async function candidateIdentifier(db: Db, candidateId: string): Promise<string> {
  return (await db.selectFrom('candidate').select('identifier').where('id', '=', candidateId).executeTakeFirstOrThrow()).identifier;
}
