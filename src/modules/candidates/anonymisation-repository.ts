/**
 * The queries of dossier anonymisation (anonymisation.ts): finding closed dossiers, and blanking
 * what identifies a candidate in every table that holds it. The candidate owns its dossier across
 * modules (accounts, quotes, trainings), so these writes reach those tables directly, in the one
 * transaction that anonymises the candidate; no other module's rules apply to them.
 */
import { sql, type Kysely, type Transaction } from 'kysely';
import type { DB } from '../../db/schema.js';

type Db = Kysely<DB> | Transaction<DB>;

const OPEN_QUOTE_STATUSES = ['draft', 'submitted', 'accepted', 'changes_requested'];

/** Candidates whose dossier is closed and whose last report is older than `before`. */
export async function closedDossiersBefore(db: Db, before: Date): Promise<string[]> {
  const rows = await db
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

/** The candidate's row, locked until the transaction ends. */
export function lockCandidate(trx: Transaction<DB>, candidateId: string) {
  return trx.selectFrom('candidate').select(['id', 'account_id', 'birth_date', 'anonymised_at']).where('id', '=', candidateId).forUpdate().executeTakeFirst();
}

export async function blankCandidate(
  trx: Transaction<DB>,
  candidateId: string,
  values: { identifier: string; last_name: string; first_name: string; birth_date: string; email: string; anonymised_at: Date },
): Promise<void> {
  await trx.updateTable('candidate').set(values).where('id', '=', candidateId).execute();
}

/** The candidate's account: deleted, its personal fields and factors gone, its sessions ended. */
export async function blankAccount(trx: Transaction<DB>, accountId: string, now: Date): Promise<void> {
  await trx
    .updateTable('account')
    .set({ status: 'deleted', display_name: 'Compte anonymisé', first_name: null, last_name: null, email: null, phone: null, password_hash: null, totp_secret_sealed: null })
    .where('id', '=', accountId)
    .execute();
  await trx.updateTable('session').set({ ended_at: now, end_reason: 'deleted' }).where('account_id', '=', accountId).where('ended_at', 'is', null).execute();
  // Passkeys are factors too, and their names may be personal (« Téléphone de Camille »).
  await trx.deleteFrom('passkey').where('account_id', '=', accountId).execute();
}

const blankTutor = sql<string>`jsonb_set(data, '{poei,tutor}', '{"lastName": "", "firstName": "", "jobTitle": ""}'::jsonb)`;

/** The candidate's quotes: the POEI tutor blanked in the quote and its versions, event comments gone. Returns their ids. */
export async function blankQuotesOf(trx: Transaction<DB>, candidateId: string): Promise<string[]> {
  const quoteIds = (await trx.selectFrom('quote').select('id').where('candidate_id', '=', candidateId).execute()).map((q) => q.id);
  if (quoteIds.length > 0) {
    await trx.updateTable('quote').set({ data: blankTutor }).where('id', 'in', quoteIds).where(sql<boolean>`data->'poei' <> 'null'::jsonb`).execute();
    await trx.updateTable('quote_version').set({ data: blankTutor }).where('quote_id', 'in', quoteIds).where(sql<boolean>`data->'poei' <> 'null'::jsonb`).execute();
    await trx.updateTable('quote_event').set({ comment: null }).where('quote_id', 'in', quoteIds).execute();
  }
  return quoteIds;
}

/** The candidate's trainings: free texts of reports, withdrawals, corrections and alerts gone. Returns their ids. */
export async function blankTrainingsOf(trx: Transaction<DB>, candidateId: string): Promise<string[]> {
  const trainingIds = (await trx.selectFrom('training').select('id').where('candidate_id', '=', candidateId).execute()).map((t) => t.id);
  if (trainingIds.length > 0) {
    await trx.updateTable('training_report').set({ skills: '', difficulties: '', next_steps: '', employment_outcome: null }).where('training_id', 'in', trainingIds).execute();
    await trx.updateTable('training').set({ withdrawal_comment: null }).where('id', 'in', trainingIds).execute();
    await trx.updateTable('attendance_correction').set({ reason: '(anonymisé)' }).where('training_id', 'in', trainingIds).execute();
    await trx.updateTable('training_alert').set({ details: '{}' }).where('training_id', 'in', trainingIds).execute();
  }
  return trainingIds;
}

/** Counts of bulk-access detection reference the row; they carry nothing personal but go anyway. */
export async function deleteAccessCounts(trx: Transaction<DB>, candidateId: string): Promise<void> {
  await trx.deleteFrom('candidate_access').where('candidate_id', '=', candidateId).execute();
}
