/**
 * Attendance queries: the half-days declared for a training, their all-or-nothing writes, the
 * corrections of locked months (what a half-day was, is, and why), and the trainings an import
 * file or a grid names, locked before anything is checked.
 */
import { sql, type Insertable, type Transaction } from 'kysely';
import type { DB } from '../../../db/schema.js';
import { INSERT_CHUNK, type Db } from '../repository.js';
import type { AttendanceRecord, Period } from '../rules.js';

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

/** The entered trainees of a session whose followed period overlaps the month, by name, `limit` at most. */
export function gridTrainings(db: Db, organisationId: string, session: string, month: { first: string; last: string }, limit: number) {
  return db
    .selectFrom('training')
    .innerJoin('candidate', 'candidate.id', 'training.candidate_id')
    .selectAll('training')
    .select(['candidate.identifier', 'candidate.first_name', 'candidate.last_name'])
    .where('training.organisation_id', '=', organisationId)
    .where('training.carif_oref_session', '=', session)
    .where('training.entry_date', 'is not', null)
    .where(sql<boolean>`training.entry_date <= ${month.last}::date`)
    .where(sql<boolean>`coalesce(training.withdrawal_date, training.exit_date, training.end_date) >= ${month.first}::date`)
    .orderBy('candidate.last_name')
    .orderBy('candidate.first_name')
    .orderBy('training.id')
    .limit(limit)
    .execute();
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
