/**
 * Training queries. Every read goes through `scopedTrainings`, which filters by the actor's
 * scope (organisation, advisor's candidates, the candidate themself): a row outside it is never
 * loaded, so a forgotten check cannot leak it. Writes lock the training row first, so two
 * declarations for one trainee never interleave.
 */
import { sql, type Insertable, type Kysely, type Transaction } from 'kysely';
import type { DB } from '../../db/schema.js';
import type { TrainingScope } from './policy.js';
import type { AttendanceRecord, HalfDaySession, Period } from './rules.js';

type Db = Kysely<DB> | Transaction<DB>;

export const PAGE_SIZE = 20;
/** Rows per multi-row INSERT: well under PostgreSQL's 65 535 parameters per statement. */
const CHUNK = 500;

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

export interface TrainingFilters {
  status?: string;
  month?: string;
  overdue?: boolean;
  session?: string;
  page: number;
}

/** The trainings of a scope; `month` keeps those running during it, `overdue` those whose report is late on `today`. */
export async function listTrainings(db: Db, scope: TrainingScope, f: TrainingFilters, today: string, monthBounds?: { first: string; last: string }) {
  let q = scopedTrainings(db, scope);
  if (f.status) q = q.where('training.status', '=', f.status as never);
  if (f.session) q = q.where('training.carif_oref_session', '=', f.session);
  if (monthBounds) {
    q = q
      .where(sql<boolean>`coalesce(training.entry_date, training.start_date) <= ${monthBounds.last}::date`)
      .where(sql<boolean>`coalesce(training.withdrawal_date, training.exit_date, training.end_date) >= ${monthBounds.first}::date`);
  }
  if (f.overdue) q = q.where(overdueCondition(today));
  const [{ total }, rows] = await Promise.all([
    q.select((eb) => eb.fn.countAll<number>().as('total')).executeTakeFirstOrThrow(),
    q.select(TRAINING_COLUMNS).orderBy('training.start_date', 'desc').orderBy('candidate.last_name').orderBy('training.id').limit(PAGE_SIZE).offset((f.page - 1) * PAGE_SIZE).execute(),
  ]);
  return { total: Number(total), rows };
}

/** Closed (exit or withdrawal) more than 30 days before `today`, report not filed. */
export function overdueCondition(today: string) {
  return sql<boolean>`training.status in ('exited', 'withdrawn') and coalesce(training.withdrawal_date, training.exit_date) + 30 < ${today}::date`;
}

/** The training row, locked for the rest of the transaction; its organisation's only. */
export function lockOwnTraining(trx: Transaction<DB>, organisationId: string, id: string) {
  return trx.selectFrom('training').selectAll().where('id', '=', id).where('organisation_id', '=', organisationId).forUpdate().executeTakeFirst();
}

export async function quoteDataOf(db: Db, quoteId: string): Promise<Record<string, unknown>> {
  return (await db.selectFrom('quote').select('data').where('id', '=', quoteId).executeTakeFirstOrThrow()).data;
}

export async function insertSessions(trx: Transaction<DB>, trainingId: string, sessions: HalfDaySession[]) {
  for (let i = 0; i < sessions.length; i += CHUNK) {
    const values = sessions.slice(i, i + CHUNK).map((s) => ({ training_id: trainingId, date: s.date, period: s.period, starts_at: s.from, ends_at: s.to, minutes: s.minutes }));
    await trx.insertInto('training_session').values(values).execute();
  }
}

export async function sessionsOf(db: Db, trainingId: string, range?: { first: string; last: string }): Promise<HalfDaySession[]> {
  let q = db.selectFrom('training_session').select(['date', 'period', 'starts_at', 'ends_at', 'minutes']).where('training_id', '=', trainingId);
  if (range) q = q.where('date', '>=', range.first).where('date', '<=', range.last);
  const rows = await q.orderBy('date').orderBy('period').execute();
  return rows.map((r) => ({ date: r.date, period: r.period, from: r.starts_at, to: r.ends_at, minutes: r.minutes }));
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
export async function upsertAttendance(trx: Transaction<DB>, writes: AttendanceWrite[], by: string, at: Date) {
  for (let i = 0; i < writes.length; i += CHUNK) {
    const values: Array<Insertable<DB['attendance']>> = writes.slice(i, i + CHUNK).map((w) => ({
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

export async function lockedMonthsOf(db: Db, trainingId: string): Promise<Set<string>> {
  const rows = await db.selectFrom('monthly_statement').select('month').where('training_id', '=', trainingId).execute();
  return new Set(rows.map((r) => r.month));
}

export function statementsOf(db: Db, trainingId: string) {
  return db.selectFrom('monthly_statement').selectAll().where('training_id', '=', trainingId).orderBy('month').execute();
}

export function statementOf(db: Db, trainingId: string, month: string) {
  return db.selectFrom('monthly_statement').selectAll().where('training_id', '=', trainingId).where('month', '=', month).executeTakeFirst();
}

export function correctionsOf(db: Db, trainingId: string, range?: { first: string; last: string }) {
  let q = db.selectFrom('attendance_correction').selectAll().where('training_id', '=', trainingId);
  if (range) q = q.where('date', '>=', range.first).where('date', '<=', range.last);
  return q.orderBy('corrected_at').orderBy('date').execute();
}

export function reportOf(db: Db, trainingId: string) {
  return db.selectFrom('training_report').selectAll().where('training_id', '=', trainingId).executeTakeFirst();
}

/** The last day with a presence or lateness (an absence does not contradict a withdrawal). */
export async function lastAttendedDate(db: Db, trainingId: string): Promise<string | null> {
  const row = await db.selectFrom('attendance').select((eb) => eb.fn.max('date').as('last')).where('training_id', '=', trainingId).where('status', '!=', 'absent').executeTakeFirst();
  return (row?.last as string | null | undefined) ?? null;
}

/** Unjustified half-day absences of a month (absent, justified flag off). */
export async function unjustifiedCount(db: Db, trainingId: string, range: { first: string; last: string }): Promise<number> {
  const row = await db
    .selectFrom('attendance')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('training_id', '=', trainingId)
    .where('status', '=', 'absent')
    .where('justified', '=', false)
    .where('date', '>=', range.first)
    .where('date', '<=', range.last)
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

/**
 * The advisor who follows the trainee: the one who registered the candidate, else the one who
 * approved the quote. Null when neither is known (alerts then go to every advisor's dashboard).
 */
export async function referentAdvisor(db: Db, trainingId: string): Promise<{ id: string; email: string | null; status: string } | null> {
  const row = await db
    .selectFrom('training')
    .innerJoin('candidate', 'candidate.id', 'training.candidate_id')
    .innerJoin('quote', 'quote.id', 'training.quote_id')
    .innerJoin('account', (join) => join.on(sql<boolean>`account.id = coalesce(candidate.created_by, quote.decided_by)`))
    .select(['account.id', 'account.email', 'account.status'])
    .where('training.id', '=', trainingId)
    .executeTakeFirst();
  return row ?? null;
}

/** Active accounts of an organisation holding a role of Kairos (mail recipients). */
export function organisationStaffWithRole(db: Db, organisationId: string, role: string) {
  return db
    .selectFrom('account')
    .innerJoin('habilitation', 'habilitation.account_id', 'account.id')
    .select(['account.id', 'account.email'])
    .where('account.organisation_id', '=', organisationId)
    .where('account.status', '=', 'active')
    .where('habilitation.application', '=', 'kairos')
    .where('habilitation.role', '=', role)
    .where('habilitation.organisation_id', '=', organisationId)
    .where('habilitation.suspended_at', 'is', null)
    .execute();
}
