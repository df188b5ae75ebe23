/**
 * The queries of a candidate's data export (right of access, data-export.ts): everything held
 * about one candidate, read across the tables of their dossier, as anonymisation-repository.ts
 * writes across them. Read-only.
 */
import type { Kysely, Transaction } from 'kysely';
import type { DB } from '../../db/schema.js';

type Db = Kysely<DB> | Transaction<DB>;

export async function accountOf(db: Db, accountId: string) {
  return db
    .selectFrom('account')
    .select(['id', 'login', 'display_name', 'email', 'first_name', 'last_name', 'phone', 'status', 'created_at', 'password_changed_at'])
    .where('id', '=', accountId)
    .executeTakeFirst();
}

export async function candidateOfAccount(db: Db, accountId: string) {
  return db.selectFrom('candidate').selectAll().where('account_id', '=', accountId).executeTakeFirst();
}

export async function quotesOf(db: Db, candidateId: string) {
  return db
    .selectFrom('quote')
    .innerJoin('organisation', 'organisation.id', 'quote.organisation_id')
    .select(['quote.id', 'quote.type', 'quote.status', 'quote.version', 'quote.data', 'quote.created_at', 'quote.submitted_at', 'quote.accepted_at', 'quote.decided_at', 'quote.agreement_reference', 'organisation.name as organisation_name'])
    .where('quote.candidate_id', '=', candidateId)
    .orderBy('quote.created_at')
    .execute();
}

export async function quoteEventsOf(db: Db, quoteIds: string[]) {
  if (quoteIds.length === 0) return [];
  return db
    .selectFrom('quote_event')
    .select(['quote_id', 'at', 'action', 'from_status', 'to_status', 'version', 'comment'])
    .where('quote_id', 'in', quoteIds)
    .orderBy('quote_id')
    .orderBy('seq')
    .execute();
}

export async function quoteVersionsOf(db: Db, quoteIds: string[]) {
  if (quoteIds.length === 0) return [];
  return db.selectFrom('quote_version').select(['quote_id', 'version', 'type', 'data', 'submitted_at']).where('quote_id', 'in', quoteIds).orderBy('quote_id').orderBy('version').execute();
}

export async function trainingsOf(db: Db, candidateId: string) {
  return db
    .selectFrom('training')
    .innerJoin('organisation', 'organisation.id', 'training.organisation_id')
    .select([
      'training.id', 'training.quote_id', 'training.title', 'training.status', 'training.carif_oref_session', 'training.start_date', 'training.end_date',
      'training.entry_date', 'training.exit_date', 'training.withdrawal_date', 'training.withdrawal_reason', 'training.withdrawal_comment', 'organisation.name as organisation_name',
    ])
    .where('training.candidate_id', '=', candidateId)
    .orderBy('training.start_date')
    .execute();
}

export async function attendanceOf(db: Db, trainingIds: string[]) {
  if (trainingIds.length === 0) return [];
  return db
    .selectFrom('attendance')
    .select(['training_id', 'date', 'period', 'status', 'late_minutes', 'reason', 'justified', 'recorded_at'])
    .where('training_id', 'in', trainingIds)
    .orderBy('training_id')
    .orderBy('date')
    .orderBy('period')
    .execute();
}

export async function statementsOf(db: Db, trainingIds: string[]) {
  if (trainingIds.length === 0) return [];
  return db.selectFrom('monthly_statement').select(['training_id', 'month', 'figures', 'submitted_at']).where('training_id', 'in', trainingIds).orderBy('training_id').orderBy('month').execute();
}

export async function reportsOf(db: Db, trainingIds: string[]) {
  if (trainingIds.length === 0) return [];
  return db
    .selectFrom('training_report')
    .select(['training_id', 'outcome', 'certification', 'skills', 'difficulties', 'next_steps', 'employment_outcome', 'submitted_at'])
    .where('training_id', 'in', trainingIds)
    .execute();
}

export async function supportRequestsOf(db: Db, accountId: string) {
  return db
    .selectFrom('support_request')
    .select(['id', 'number', 'category', 'subject', 'description', 'steps', 'error_reference', 'status', 'created_at', 'updated_at'])
    .where('account_id', '=', accountId)
    .orderBy('created_at')
    .execute();
}

export async function supportMessagesOf(db: Db, requestIds: string[]) {
  if (requestIds.length === 0) return [];
  return db.selectFrom('support_message').select(['request_id', 'author_role', 'body', 'at']).where('request_id', 'in', requestIds).orderBy('request_id').orderBy('seq').execute();
}

/** Events done by the account, or about it, its candidate record, quotes or trainings; newest first, at most `limit`. */
export async function auditEventsAbout(db: Db, accountId: string, targets: Array<{ type: string; ids: string[] }>, limit: number) {
  return db
    .selectFrom('audit_log')
    .select(['id', 'at', 'action', 'actor_id', 'target_type', 'target_id', 'ip'])
    .where((eb) =>
      eb.or([
        eb('actor_id', '=', accountId),
        ...targets.filter((t) => t.ids.length > 0).map((t) => eb.and([eb('target_type', '=', t.type), eb('target_id', 'in', t.ids)])),
      ]),
    )
    .orderBy('id', 'desc')
    .limit(limit)
    .execute();
}

/** The candidate's signatures on attendance sheets: time, address, device, code step and what was drawn. */
export async function attendanceSignaturesOf(db: Db, candidateId: string) {
  return db
    .selectFrom('attendance_signature as sig')
    .innerJoin('attendance_sheet as sh', 'sh.id', 'sig.sheet_id')
    .select(['sh.id as sheet_id', 'sh.carif_oref_session', 'sh.date', 'sh.period', 'sig.training_id', 'sig.signed_at', 'sig.ip', 'sig.user_agent', 'sig.token_step', 'sig.signature'])
    .where('sig.candidate_id', '=', candidateId)
    .orderBy('sh.date')
    .orderBy('sh.period')
    .execute();
}
