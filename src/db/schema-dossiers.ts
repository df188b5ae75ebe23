/** Table types of candidates' dossiers: candidates, quotes and their versions, trainings and their follow-up (migrations 0003, 0005, 0007, 0009). */
import type { ColumnType, Generated } from 'kysely';
import type { Json, Timestamp } from './column-types.js';

export interface CandidateTable {
  id: Generated<string>;
  identifier: string;
  last_name: string;
  first_name: string;
  /** A `date` column, read as 'yyyy-mm-dd' text. */
  birth_date: string;
  email: string;
  account_id: string | null;
  created_at: Timestamp;
  created_by: string | null;
  /**
   * Set when the closed dossier was anonymised; identifier, names, birth date and email are then
   * placeholders.
   */
  anonymised_at: Generated<Date | null>;
}

export interface QuoteTable {
  id: Generated<string>;
  organisation_id: string;
  candidate_id: string;
  type: 'AIF' | 'POEI';
  status: Generated<string>;
  version: Generated<number>;
  /** Stored sections (training, costs in cents, poei): see modules/quotes/record/quote-json.ts. */
  data: Json<Record<string, unknown>>;
  created_at: Timestamp;
  updated_at: Timestamp;
  created_by: string;
  submitted_at: Timestamp | null;
  reminded_at: Timestamp | null;
  accepted_at: Timestamp | null;
  decided_at: Timestamp | null;
  decided_by: string | null;
  agreement_reference: string | null;
  /**
   * The warnings of `data` as the rules found them when it was written (0010); null until
   * computed (rows written by SQL outside the application). See record/stored-warnings.ts.
   */
  warnings: StoredWarnings;
  /**
   * How many blocking errors `data` carries judged without context (0021, rules/quote-rules.ts
   * CONTENT_RULES); null until computed, like `warnings`.
   */
  error_count: ColumnType<number | null, number | null | undefined, number | null>;
}

/** A submitted version, frozen (immutable once written). */
export interface QuoteVersionTable {
  quote_id: string;
  version: number;
  type: 'AIF' | 'POEI';
  candidate_id: string;
  data: Json<Record<string, unknown>>;
  submitted_at: Timestamp;
  /** The warnings of this version's `data` (0010), null until computed. */
  warnings: StoredWarnings;
}

/** Read as the array; written as its JSON text, or left out (null: not computed). */
export type StoredWarnings = ColumnType<StoredWarning[] | null, string | null | undefined, string | null>;

/** A warning as stored with a quote and served to its readers (the finding without its severity). */
export interface StoredWarning {
  field: string;
  code: string;
  message: string;
}

export interface QuoteTemplateTable {
  id: Generated<string>;
  organisation_id: string;
  name: string;
  type: 'AIF' | 'POEI';
  /** The quote's training section, as in the JSON contract. */
  training: Json<Record<string, unknown>>;
  created_at: Timestamp;
  updated_at: Timestamp;
  created_by: string;
}

export type TrainingStatus = 'planned' | 'in_progress' | 'withdrawn' | 'exited' | 'reported';

export interface TrainingTable {
  id: Generated<string>;
  quote_id: string;
  quote_version: number;
  organisation_id: string;
  candidate_id: string;
  status: Generated<TrainingStatus>;
  title: string;
  carif_oref_session: string;
  /** `date` columns, read as 'yyyy-mm-dd' text. */
  start_date: string;
  end_date: string;
  created_at: Timestamp;
  updated_at: Timestamp;
  // Follow-up (0007); dates as 'yyyy-mm-dd' text.
  entry_date: Generated<string | null>;
  withdrawal_date: Generated<string | null>;
  withdrawal_reason: Generated<'found_job' | 'health' | 'personal' | 'disengagement' | 'other' | null>;
  withdrawal_comment: Generated<string | null>;
  exit_date: Generated<string | null>;
  report_reminded_at: Generated<Date | null>;
}

/** Training follow-up (0007): generated half-days, attendance, statements, reports, alerts. */
export interface TrainingSessionTable {
  training_id: string;
  date: string;
  period: 'am' | 'pm';
  starts_at: string;
  ends_at: string;
  minutes: number;
}

export interface AttendanceTable {
  training_id: string;
  date: string;
  period: 'am' | 'pm';
  status: 'present' | 'late' | 'absent';
  late_minutes: number | null;
  reason: 'sickness' | 'justified' | 'unjustified' | 'family_event' | 'agency_appointment' | 'other' | null;
  justified: boolean | null;
  recorded_at: Timestamp;
  recorded_by: string;
}

export interface MonthlyStatementTable {
  training_id: string;
  month: string;
  /** StatementFigures of modules/training/rules.ts. */
  figures: Json<Record<string, unknown>>;
  submitted_at: Timestamp;
  submitted_by: string;
  updated_at: Timestamp;
}

export interface AttendanceCorrectionTable {
  id: Generated<string>;
  training_id: string;
  date: string;
  period: 'am' | 'pm';
  before: Json<Record<string, unknown>> | null;
  after: Json<Record<string, unknown>>;
  reason: string;
  corrected_at: Timestamp;
  corrected_by: string;
  corrected_by_login: string;
}

export interface TrainingReportTable {
  training_id: string;
  outcome: 'completed' | 'partially_completed';
  certification: 'full' | 'partial' | 'none' | 'pending';
  skills: string;
  difficulties: string;
  next_steps: string;
  employment_outcome: string | null;
  submitted_at: Timestamp;
  submitted_by: string;
}

export interface TrainingAlertTable {
  id: Generated<string>;
  training_id: string;
  kind: 'unjustified_absences' | 'withdrawal' | 'report_overdue';
  month: Generated<string>;
  advisor_id: string | null;
  details: Json<Record<string, unknown>>;
  created_at: Timestamp;
}

export interface QuoteEventTable {
  id: Generated<string>;
  quote_id: string;
  at: Timestamp;
  actor_id: string | null;
  actor_login: string | null;
  action: string;
  from_status: string | null;
  to_status: string;
  version: number;
  comment: string | null;
  seq: Generated<number>;
}

/** Digital attendance sheets (0020): one per planned half-day of a Carif-Oref session. */
export interface AttendanceSheetTable {
  id: Generated<string>;
  organisation_id: string;
  carif_oref_session: string;
  date: string;
  period: 'am' | 'pm';
  starts_at: string;
  ends_at: string;
  status: Generated<'open' | 'closed'>;
  opened_by: string;
  opened_at: Timestamp;
  closed_by: Generated<string | null>;
  closed_at: Generated<Date | null>;
  /** SignatureInput of modules/training/sheets/rules.ts. */
  trainer_signature: ColumnType<Record<string, unknown> | null, string | null | undefined, string | null>;
  content_hash: Generated<string | null>;
}

export interface AttendanceSignatureTable {
  sheet_id: string;
  training_id: string;
  candidate_id: string;
  signed_at: Timestamp;
  token_step: number;
  ip: string | null;
  user_agent: string | null;
  signature: Json<Record<string, unknown>>;
}

export interface AttendanceProposalTable {
  training_id: string;
  date: string;
  period: 'am' | 'pm';
  status: 'present' | 'late' | 'absent';
  late_minutes: number | null;
  sheet_id: string;
  proposed_at: Timestamp;
}
