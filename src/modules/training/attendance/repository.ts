/**
 * Attendance queries: the half-days declared for a training, their all-or-nothing writes, the
 * corrections of locked months (what a half-day was, is, and why), and the trainings an import
 * file or a grid names, locked before anything is checked.
 */
import { sql, type ExpressionBuilder, type Insertable, type Selectable, type Transaction } from 'kysely';
import { jsonArrayFrom } from 'kysely/helpers/postgres';
import { compiledOnce } from '../../../db/compiled-once.js';
import type { DB } from '../../../db/schema.js';
import type { TrainingScope } from '../policy.js';
import { INSERT_CHUNK, scopedTrainings, type Db } from '../repository.js';
import type { AttendanceRecord, HalfDaySession, Period } from '../rules.js';

type Range = { first: string; last: string };

// ---------------------------------------------------------------------------------------------
// A training's month in one statement (decision 0041): the half-days planned, those declared and
// whether the month is locked come with the training row, as JSON, instead of a statement each.

/** The planned half-days and the declarations of `training` within `range`, and whether `month` is locked. */
function monthOfTraining(eb: ExpressionBuilder<DB, 'training'>, month: string, range: Range) {
  return [
    jsonArrayFrom(
      eb
        .selectFrom('training_session')
        .select(['training_session.date', 'training_session.period', 'training_session.starts_at', 'training_session.ends_at', 'training_session.minutes'])
        .whereRef('training_session.training_id', '=', 'training.id')
        .where('training_session.date', '>=', range.first)
        .where('training_session.date', '<=', range.last)
        .orderBy('training_session.date')
        .orderBy('training_session.period'),
    ).as('month_sessions'),
    jsonArrayFrom(
      eb
        .selectFrom('attendance')
        .select(['attendance.date', 'attendance.period', 'attendance.status', 'attendance.late_minutes', 'attendance.reason', 'attendance.justified'])
        .whereRef('attendance.training_id', '=', 'training.id')
        .where('attendance.date', '>=', range.first)
        .where('attendance.date', '<=', range.last)
        .orderBy('attendance.date')
        .orderBy('attendance.period'),
    ).as('month_records'),
    eb.exists(eb.selectFrom('monthly_statement').select('monthly_statement.month').whereRef('monthly_statement.training_id', '=', 'training.id').where('monthly_statement.month', '=', month)).as('month_locked'),
  ] as const;
}

interface MonthJson {
  month_sessions: Array<{ date: string; period: Period; starts_at: string; ends_at: string; minutes: number }>;
  month_records: Array<{ date: string; period: Period; status: AttendanceRecord['status']; late_minutes: number | null; reason: AttendanceRecord['reason']; justified: boolean | null }>;
  month_locked: boolean;
}

/** The month as the services use it, from the JSON columns of `monthOfTraining`. */
function monthParts(row: MonthJson): { sessions: HalfDaySession[]; records: AttendanceRecord[]; locked: boolean } {
  return {
    sessions: row.month_sessions.map((s) => ({ date: s.date, period: s.period, from: s.starts_at, to: s.ends_at, minutes: s.minutes })),
    records: row.month_records.map((r) => ({ date: r.date, period: r.period, status: r.status, lateMinutes: r.late_minutes, reason: r.reason, justified: r.justified })),
    locked: Boolean(row.month_locked),
  };
}

/**
 * What a month's reader uses of its training: the trainee, for the audit of the view, and the
 * dates that bound the half-days. Not the whole training row: this statement runs at every visit
 * of the month, and each further column is read, sent and parsed for nothing.
 */
const MONTH_TRAINING_COLUMNS = [
  'training.id',
  'training.candidate_id',
  'candidate.identifier',
  'training.start_date',
  'training.end_date',
  'training.entry_date',
  'training.withdrawal_date',
  'training.exit_date',
] as const;

/** The statement of findTrainingMonth, built with the builder (compiled once per scope kind below). */
function trainingMonthQuery(db: Db, scope: TrainingScope, id: string, month: string, range: Range) {
  return scopedTrainings(db, scope)
    .select(MONTH_TRAINING_COLUMNS)
    .select((eb) => [
      ...monthOfTraining(eb, month, range),
      jsonArrayFrom(
        eb
          .selectFrom('attendance_correction')
          .selectAll('attendance_correction')
          .whereRef('attendance_correction.training_id', '=', 'training.id')
          .where('attendance_correction.date', '>=', range.first)
          .where('attendance_correction.date', '<=', range.last)
          .orderBy('attendance_correction.corrected_at')
          .orderBy('attendance_correction.date'),
      ).as('month_corrections'),
    ])
    .where('training.id', '=', id);
}

interface MonthArgs {
  /** The organisation's id (organisation scope) or the account's (advisor, candidate). */
  scopeId: string;
  id: string;
  month: string;
  first: string;
  last: string;
}
const MONTH_ARGS = ['scopeId', 'id', 'month', 'first', 'last'] as const;
const monthQueryOf = (kind: TrainingScope['kind']) =>
  compiledOnce([...MONTH_ARGS], (db, a: MonthArgs) => {
    const scope: TrainingScope = kind === 'organisation' ? { kind, organisationId: a.scopeId, canWrite: false } : { kind, accountId: a.scopeId };
    return trainingMonthQuery(db, scope, a.id, a.month, { first: a.first, last: a.last });
  });
// A training's month is read at every visit of its page and by the API: compiled once per scope
// kind (src/db/compiled-once.ts), each call only binds its values.
const trainingMonth = { organisation: monthQueryOf('organisation'), advisor: monthQueryOf('advisor'), candidate: monthQueryOf('candidate') };

/** A training of the actor's scope with its month: half-days, declarations, lock, corrections. */
export async function findTrainingMonth(db: Db, scope: TrainingScope, id: string, month: string, range: Range) {
  const scopeId = scope.kind === 'organisation' ? scope.organisationId : scope.accountId;
  const row = await trainingMonth[scope.kind].executeTakeFirst(db, { scopeId, id, month, first: range.first, last: range.last });
  if (!row) return undefined;
  const { month_sessions, month_records, month_locked, month_corrections, ...training } = row;
  const corrections: Array<Selectable<DB['attendance_correction']>> = month_corrections.map((c) => ({ ...c, corrected_at: new Date(c.corrected_at) }));
  return { training, ...monthParts({ month_sessions, month_records, month_locked } as MonthJson), corrections };
}

export async function attendanceOf(db: Db, trainingId: string, range?: { first: string; last: string }): Promise<AttendanceRecord[]> {
  let q = db.selectFrom('attendance').select(['date', 'period', 'status', 'late_minutes', 'reason', 'justified']).where('training_id', '=', trainingId);
  if (range) q = q.where('date', '>=', range.first).where('date', '<=', range.last);
  const rows = await q.orderBy('date').orderBy('period').execute();
  return rows.map((r) => ({ date: r.date, period: r.period, status: r.status, lateMinutes: r.late_minutes, reason: r.reason, justified: r.justified }));
}

export interface AttendanceWrite {
  trainingId: string;
  date: string;
  period: Period;
  record: Omit<AttendanceRecord, 'date' | 'period'>;
}

/** Inserts or replaces half-days, many rows per statement (a 10 000-line import stays quick). */
export async function upsertAttendance(trx: Transaction<DB>, writes: AttendanceWrite[], by: string, at: Date, chunk = INSERT_CHUNK) {
  for (let i = 0; i < writes.length; i += chunk) {
    const values: Array<Insertable<DB['attendance']>> = writes.slice(i, i + chunk).map((w) => ({
      training_id: w.trainingId,
      date: w.date,
      period: w.period,
      status: w.record.status,
      late_minutes: w.record.lateMinutes,
      reason: w.record.reason,
      justified: w.record.justified,
      recorded_at: at,
      recorded_by: by,
    }));
    await trx
      .insertInto('attendance')
      .values(values)
      .onConflict((oc) =>
        oc.columns(['training_id', 'date', 'period']).doUpdateSet((eb) => ({
          status: eb.ref('excluded.status'),
          late_minutes: eb.ref('excluded.late_minutes'),
          reason: eb.ref('excluded.reason'),
          justified: eb.ref('excluded.justified'),
          recorded_at: eb.ref('excluded.recorded_at'),
          recorded_by: eb.ref('excluded.recorded_by'),
        })),
      )
      .execute();
  }
}

export function correctionsOf(db: Db, trainingId: string, range?: { first: string; last: string }) {
  let q = db.selectFrom('attendance_correction').selectAll().where('training_id', '=', trainingId);
  if (range) q = q.where('date', '>=', range.first).where('date', '<=', range.last);
  return q.orderBy('corrected_at').orderBy('date').execute();
}

export async function insertCorrection(trx: Transaction<DB>, values: Insertable<DB['attendance_correction']>): Promise<void> {
  await trx.insertInto('attendance_correction').values(values).execute();
}

/** The last day with a presence or lateness (an absence does not contradict a withdrawal). */
export async function lastAttendedDate(db: Db, trainingId: string): Promise<string | null> {
  const row = await db.selectFrom('attendance').select((eb) => eb.fn.max('date').as('last')).where('training_id', '=', trainingId).where('status', '!=', 'absent').executeTakeFirst();
  return (row?.last as string | null | undefined) ?? null;
}

/** Identifiers per statement: a 100 000-line file may name as many, far past a statement's parameters. */
const IDENTIFIER_CHUNK = 1_000;

/** The organisation's trainings of the candidates an import file names, with the candidate's identifier. */
export async function importTargets(trx: Transaction<DB>, organisationId: string, identifiers: string[]) {
  const rows = [];
  for (let i = 0; i < identifiers.length; i += IDENTIFIER_CHUNK) {
    rows.push(
      ...(await trx
        .selectFrom('training')
        .innerJoin('candidate', 'candidate.id', 'training.candidate_id')
        .selectAll('training')
        .select('candidate.identifier')
        .where('training.organisation_id', '=', organisationId)
        .where('candidate.identifier', 'in', identifiers.slice(i, i + IDENTIFIER_CHUNK))
        .execute()),
    );
  }
  return rows;
}

/** Locks trainings in a fixed order, so two imports touching the same trainings cannot deadlock. */
export async function lockTrainings(trx: Transaction<DB>, ids: string[]): Promise<void> {
  await trx.selectFrom('training').select('id').where('id', 'in', ids).orderBy('id').forUpdate().execute();
}

// ---------------------------------------------------------------------------------------------
// The monthly grid of a session

/** The organisation's sessions with at least one entered trainee. */
export async function sessionsWithEntries(db: Db, organisationId: string): Promise<string[]> {
  const rows = await db.selectFrom('training').select('carif_oref_session').distinct().where('organisation_id', '=', organisationId).where('entry_date', 'is not', null).orderBy('carif_oref_session').execute();
  return rows.map((r) => r.carif_oref_session);
}

/** The entered trainees of a session whose followed period overlaps the month, by name, `limit` at most, each with its month. */
export async function gridTrainings(db: Db, organisationId: string, session: string, month: string, range: Range, limit: number) {
  const rows = await db
    .selectFrom('training')
    .innerJoin('candidate', 'candidate.id', 'training.candidate_id')
    .selectAll('training')
    .select(['candidate.identifier', 'candidate.first_name', 'candidate.last_name'])
    .select((eb) => monthOfTraining(eb, month, range))
    // What closed attendance sheets propose for the month, in the same statement.
    .select((eb) =>
      jsonArrayFrom(
        eb
          .selectFrom('attendance_proposal')
          .select(['attendance_proposal.date', 'attendance_proposal.period', 'attendance_proposal.status', 'attendance_proposal.late_minutes'])
          .whereRef('attendance_proposal.training_id', '=', 'training.id')
          .where(sql<boolean>`attendance_proposal.date between ${range.first}::date and ${range.last}::date`),
      ).as('proposals'),
    )
    .where('training.organisation_id', '=', organisationId)
    .where('training.carif_oref_session', '=', session)
    .where('training.entry_date', 'is not', null)
    .where(sql<boolean>`training.entry_date <= ${range.last}::date`)
    .where(sql<boolean>`coalesce(training.withdrawal_date, training.exit_date, training.end_date) >= ${range.first}::date`)
    .orderBy('candidate.last_name')
    .orderBy('candidate.first_name')
    .orderBy('training.id')
    .limit(limit)
    .execute();
  return rows.map(({ month_sessions, month_records, month_locked, proposals, ...training }) => ({
    training,
    ...monthParts({ month_sessions, month_records, month_locked } as MonthJson),
    proposals: proposals.map((p) => ({ date: String(p.date).slice(0, 10), period: p.period, status: p.status, lateMinutes: p.late_minutes })),
  }));
}

/** The grid's trainings among `ids` (the organisation's, in that session), locked in id order. */
export function lockGridTrainings(trx: Transaction<DB>, organisationId: string, session: string, ids: string[]) {
  return trx
    .selectFrom('training')
    .innerJoin('candidate', 'candidate.id', 'training.candidate_id')
    .selectAll('training')
    .select(['candidate.identifier', 'candidate.first_name', 'candidate.last_name'])
    .where('training.id', 'in', ids)
    .where('training.organisation_id', '=', organisationId)
    .where('training.carif_oref_session', '=', session)
    .orderBy('training.id')
    .forUpdate()
    .execute();
}
