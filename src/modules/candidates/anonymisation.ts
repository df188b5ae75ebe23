/**
 * Anonymisation of closed dossiers (docs/product/security.md#anonymisation). A dossier is closed
 * when every training of the candidate has its report and no quote of theirs is still open; once
 * the last report is older than DOSSIER_RETENTION_YEARS (default 3), what identifies the person
 * goes: identifier, names, birth date (the year stays, for statistics by age), email, their
 * account's personal fields, free texts written about them (report texts, comments, the POEI
 * tutor), alert details. What the statistics need stays: quotes' training, dates, hours and
 * amounts; attendance; report outcome and certification. Each anonymisation is audited with the
 * candidate's row id only.
 */
import { sql, type Transaction } from 'kysely';
import type { AppContext } from '../../context.js';
import type { DB } from '../../db/schema.js';
import { DAY_MS, type RecurringJob, type SchedulingWorker } from '../../jobs/recurring.js';
import { recordAudit } from '../audit/service.js';

/** Daily at 04:00 UTC. */
export const DOSSIER_ANONYMISATION: RecurringJob = { kind: 'dossiers.anonymise', everyMs: DAY_MS, offsetMs: 4 * 3_600_000 };

const OPEN_QUOTE_STATUSES = ['draft', 'submitted', 'accepted', 'changes_requested'];

/** Candidates whose dossier is closed and whose last report is older than `before`. */
export async function closedDossiersBefore(ctx: AppContext, before: Date): Promise<string[]> {
  const rows = await ctx.db
    .selectFrom('candidate')
    .innerJoin('training', 'training.candidate_id', 'candidate.id')
    .innerJoin('training_report', 'training_report.training_id', 'training.id')
    .select('candidate.id')
    .where('candidate.anonymised_at', 'is', null)
    .groupBy('candidate.id')
    .having((eb) => eb.fn.max('training_report.submitted_at'), '<', before)
    .where(({ not, exists, selectFrom }) =>
      not(exists(selectFrom('training as t').select('t.id').whereRef('t.candidate_id', '=', 'candidate.id').where('t.status', '!=', 'reported'))),
    )
    .where(({ not, exists, selectFrom }) =>
      not(exists(selectFrom('quote as q').select('q.id').whereRef('q.candidate_id', '=', 'candidate.id').where('q.status', 'in', OPEN_QUOTE_STATUSES))),
    )
    .execute();
  return rows.map((r) => r.id);
}

const blankTutor = sql<string>`jsonb_set(data, '{poei,tutor}', '{"lastName": "", "firstName": "", "jobTitle": ""}'::jsonb)`;

async function anonymiseOne(trx: Transaction<DB>, candidateId: string, now: Date): Promise<void> {
  const candidate = await trx.selectFrom('candidate').select(['id', 'account_id', 'birth_date', 'anonymised_at']).where('id', '=', candidateId).forUpdate().executeTakeFirst();
  if (!candidate || candidate.anonymised_at) return;
  await trx
    .updateTable('candidate')
    .set({
      identifier: `ANON-${candidate.id.replace(/-/g, '').slice(0, 12)}`,
      last_name: 'Anonymisé',
      first_name: '',
      birth_date: `${candidate.birth_date.slice(0, 4)}-01-01`,
      email: `anonyme-${candidate.id}@invalid`,
      anonymised_at: now,
    })
    .where('id', '=', candidateId)
    .execute();
  if (candidate.account_id) {
    await trx
      .updateTable('account')
      .set({ status: 'deleted', display_name: 'Compte anonymisé', first_name: null, last_name: null, email: null, phone: null, password_hash: null, totp_secret_sealed: null })
      .where('id', '=', candidate.account_id)
      .execute();
    await trx.updateTable('session').set({ ended_at: now, end_reason: 'deleted' }).where('account_id', '=', candidate.account_id).where('ended_at', 'is', null).execute();
  }
  const quoteIds = (await trx.selectFrom('quote').select('id').where('candidate_id', '=', candidateId).execute()).map((q) => q.id);
  if (quoteIds.length > 0) {
    await trx.updateTable('quote').set({ data: blankTutor }).where('id', 'in', quoteIds).where(sql<boolean>`data->'poei' <> 'null'::jsonb`).execute();
    await trx.updateTable('quote_version').set({ data: blankTutor }).where('quote_id', 'in', quoteIds).where(sql<boolean>`data->'poei' <> 'null'::jsonb`).execute();
    await trx.updateTable('quote_event').set({ comment: null }).where('quote_id', 'in', quoteIds).execute();
  }
  const trainingIds = (await trx.selectFrom('training').select('id').where('candidate_id', '=', candidateId).execute()).map((t) => t.id);
  if (trainingIds.length > 0) {
    await trx.updateTable('training_report').set({ skills: '', difficulties: '', next_steps: '', employment_outcome: null }).where('training_id', 'in', trainingIds).execute();
    await trx.updateTable('training').set({ withdrawal_comment: null }).where('id', 'in', trainingIds).execute();
    await trx.updateTable('attendance_correction').set({ reason: '(anonymisé)' }).where('training_id', 'in', trainingIds).execute();
    await trx.updateTable('training_alert').set({ details: '{}' }).where('training_id', 'in', trainingIds).execute();
  }
  // Counts of bulk-access detection reference the row; they carry nothing personal but go anyway.
  await trx.deleteFrom('candidate_access').where('candidate_id', '=', candidateId).execute();
  await recordAudit(trx, { at: now, action: 'candidate.anonymised', target: { type: 'candidate', id: candidateId }, details: { quotes: quoteIds.length, trainings: trainingIds.length } });
}

export async function anonymiseClosedDossiers(ctx: AppContext): Promise<number> {
  const now = ctx.clock.now();
  const before = new Date(now.getTime() - ctx.config.retention.dossierYears * 365.25 * DAY_MS);
  const ids = await closedDossiersBefore(ctx, before);
  for (const id of ids) await ctx.db.transaction().execute((trx) => anonymiseOne(trx, id, now));
  return ids.length;
}

export function registerDossierAnonymisation(worker: SchedulingWorker, ctx: AppContext): void {
  worker.registerRecurring(DOSSIER_ANONYMISATION, async () => {
    await anonymiseClosedDossiers(ctx);
  });
}
