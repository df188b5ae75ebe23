/**
 * Follow-up queries: the list of a scope's trainings and its overdue reports, the changes of a
 * training's status (entry, withdrawal, exit, report), the schedule it was approved with, and
 * the overdue-report reminders.
 */
import { sql, type Insertable, type Transaction, type Updateable } from 'kysely';
import type { DB } from '../../../db/schema.js';
import type { TrainingScope } from '../policy.js';
import { TRAINING_COLUMNS, scopedTrainings, type Db } from '../repository.js';

export const PAGE_SIZE = 20;

export interface TrainingFilters {
  status?: string;
  month?: string;
  overdue?: boolean;
  session?: string;
  page: number;
}

/** The reports of several trainings in one statement. */
export function reportsOfMany(db: Db, trainingIds: readonly string[]) {
  if (trainingIds.length === 0) return Promise.resolve([]);
  return db.selectFrom('training_report').selectAll().where('training_id', 'in', trainingIds).execute();
}

/** The trainings of a scope matching the list's filters (the list and its export share it). */
function filteredTrainings(db: Db, scope: TrainingScope, f: Omit<TrainingFilters, 'page'>, today: string, monthBounds?: { first: string; last: string }) {
  let q = scopedTrainings(db, scope);
  if (f.status) q = q.where('training.status', '=', f.status as never);
  if (f.session) q = q.where('training.carif_oref_session', '=', f.session);
  if (monthBounds) {
    q = q
      .where(sql<boolean>`coalesce(training.entry_date, training.start_date) <= ${monthBounds.last}::date`)
      .where(sql<boolean>`coalesce(training.withdrawal_date, training.exit_date, training.end_date) >= ${monthBounds.first}::date`);
  }
  if (f.overdue) q = q.where(overdueCondition(today));
  return q;
}

/** The trainings of a scope; `month` keeps those running during it, `overdue` those whose report is late on `today`. */
export async function listTrainings(db: Db, scope: TrainingScope, f: TrainingFilters, today: string, monthBounds?: { first: string; last: string }) {
  const q = filteredTrainings(db, scope, f, today, monthBounds);
  // The page and its total in one statement; only a page past the end needs a second to count.
  const page = await q
    .select(TRAINING_COLUMNS)
    .select(sql<string>`count(*) over ()`.as('total'))
    .orderBy('training.start_date', 'desc')
    .orderBy('candidate.last_name')
    .orderBy('training.id')
    .limit(PAGE_SIZE)
    .offset((f.page - 1) * PAGE_SIZE)
    .execute();
  const rows = page.map(({ total: _total, ...row }) => row);
  if (page.length > 0) return { total: Number(page[0]!.total), rows };
  if (f.page === 1) return { total: 0, rows };
  const { total } = await q.select((eb) => eb.fn.countAll<number>().as('total')).executeTakeFirstOrThrow();
  return { total: Number(total), rows };
}

/** Every training of the list's filters, in the list's order, `limit` at most: the export's rows. */
export function exportTrainings(db: Db, scope: TrainingScope, f: Omit<TrainingFilters, 'page'>, today: string, limit: number, monthBounds?: { first: string; last: string }) {
  return filteredTrainings(db, scope, f, today, monthBounds)
    .select(TRAINING_COLUMNS)
    .orderBy('training.start_date', 'desc')
    .orderBy('candidate.last_name')
    .orderBy('training.id')
    .limit(limit)
    .execute();
}

/** Closed (exit or withdrawal) more than 30 days before `today`, report not filed. */
function overdueCondition(today: string) {
  return sql<boolean>`training.status in ('exited', 'withdrawn') and coalesce(training.withdrawal_date, training.exit_date) + 30 < ${today}::date`;
}

export function reportOf(db: Db, trainingId: string) {
  return db.selectFrom('training_report').selectAll().where('training_id', '=', trainingId).executeTakeFirst();
}

/** The trainings of a scope, latest start first (the candidate's own list). */
export function trainingsInScope(db: Db, scope: TrainingScope) {
  return scopedTrainings(db, scope).select(TRAINING_COLUMNS).orderBy('training.start_date', 'desc').execute();
}

/** Changes a locked training's row (status, dates of entry, withdrawal or exit). */
export async function updateTraining(trx: Transaction<DB>, id: string, changes: Updateable<DB['training']>): Promise<void> {
  await trx.updateTable('training').set(changes).where('id', '=', id).execute();
}

/**
 * The quote data a training was approved with: its frozen version, or the quote row when no
 * version was kept. The training only reads the schedule in it.
 */
export async function approvedQuoteData(trx: Transaction<DB>, quoteId: string, version: number): Promise<Record<string, unknown>> {
  const frozen = await trx.selectFrom('quote_version').select('data').where('quote_id', '=', quoteId).where('version', '=', version).executeTakeFirst();
  return (frozen ?? (await trx.selectFrom('quote').select('data').where('id', '=', quoteId).executeTakeFirstOrThrow())).data;
}

export async function insertReport(trx: Transaction<DB>, values: Insertable<DB['training_report']>): Promise<void> {
  await trx.insertInto('training_report').values(values).execute();
}

// ---------------------------------------------------------------------------------------------
// Overdue report reminders

/** Trainings whose report is overdue on `today` and not reminded since `remindedBefore`. */
export async function remindersDue(db: Db, today: string, remindedBefore: Date): Promise<string[]> {
  const rows = await db
    .selectFrom('training')
    .select('training.id')
    .where(overdueCondition(today))
    .where((eb) => eb.or([eb('training.report_reminded_at', 'is', null), eb('training.report_reminded_at', '<=', remindedBefore)]))
    .orderBy('training.id')
    .execute();
  return rows.map((r) => r.id);
}

/** The training, locked, with its candidate's identifier, if its reminder is still due (another instance may have sent it). */
export function lockReminderDue(trx: Transaction<DB>, id: string, today: string, remindedBefore: Date) {
  return trx
    .selectFrom('training')
    .innerJoin('candidate', 'candidate.id', 'training.candidate_id')
    .selectAll('training')
    .select('candidate.identifier')
    .where('training.id', '=', id)
    .where(overdueCondition(today))
    .where(sql<boolean>`(training.report_reminded_at is null or training.report_reminded_at <= ${remindedBefore})`)
    .forUpdate()
    .executeTakeFirst();
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
