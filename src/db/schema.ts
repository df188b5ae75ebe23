import type { ColumnType, Generated, Insertable, Selectable } from 'kysely';

/** Table types for Kysely; keep in step with migrations/. */
type Timestamp = ColumnType<Date, Date | string, Date | string>;
/** A timestamp with a database default: optional on insert. */
type DefaultedTimestamp = ColumnType<Date, Date | string | undefined, Date | string>;
type Json<T = Record<string, unknown>> = ColumnType<T, string, string>;

export interface OrganisationTable {
  id: Generated<string>;
  name: string;
  kind: 'agency' | 'training_provider';
  siret: string | null;
  status: Generated<'active' | 'suspended'>;
  created_at: DefaultedTimestamp;
  nda: Generated<string | null>;
  qualiopi: Generated<boolean>;
  /** A `date` column, read as 'yyyy-mm-dd' text (see database.ts). */
  qualiopi_expiry: Generated<string | null>;
  address: Generated<string | null>;
}

export type AccountStatus = 'pending' | 'active' | 'suspended' | 'deleted';

export interface AccountTable {
  id: Generated<string>;
  login: string;
  display_name: string;
  email: string | null;
  organisation_id: string | null;
  kind: 'staff' | 'candidate';
  status: Generated<AccountStatus>;
  password_hash: string | null;
  password_changed_at: Timestamp | null;
  totp_secret_sealed: string | null;
  /** A secret being enrolled, active only once a code from it is confirmed. */
  totp_pending_sealed: Generated<string | null>;
  totp_last_step: number | null;
  created_at: DefaultedTimestamp;
  first_name: Generated<string | null>;
  last_name: Generated<string | null>;
  phone: Generated<string | null>;
  suspended_reason: Generated<string | null>;
}

export interface RecoveryCodeTable {
  id: Generated<string>;
  account_id: string;
  code_hash: string;
  used_at: Timestamp | null;
}

export interface ApplicationTable {
  code: string;
  name: string;
  description: string;
  path: string;
  position: number;
}

export interface RoleTable {
  application: string;
  code: string;
  label: string;
  agency_only: Generated<boolean>;
}

export interface HabilitationTable {
  id: Generated<string>;
  account_id: string;
  organisation_id: string;
  application: string;
  role: string;
  granted_by: string | null;
  granted_at: DefaultedTimestamp;
  /** Set when an access review left it unreviewed past the grace period: it no longer counts. */
  suspended_at: Generated<Date | null>;
  reviewed_at: Generated<Date | null>;
}

export interface SessionTable {
  id: string;
  account_id: string;
  csrf_token: string;
  created_at: Timestamp;
  last_seen_at: Timestamp;
  ended_at: Timestamp | null;
  end_reason: string | null;
  ip: string | null;
  user_agent: string | null;
}

export interface SignInThrottleTable {
  key: string;
  failures: number;
  last_failure_at: Timestamp;
  locked_until: Timestamp | null;
}

export interface AuditLogTable {
  id: Generated<number>;
  at: Timestamp;
  actor_id: string | null;
  actor_login: string | null;
  organisation_id: string | null;
  action: string;
  target_type: string | null;
  target_id: string | null;
  ip: string | null;
  request_id: string | null;
  details: Json;
  prev_hash: string;
  hash: string;
}

export type JobStatus = 'pending' | 'running' | 'done' | 'failed';

export interface JobTable {
  id: Generated<number>;
  kind: string;
  payload: Json;
  status: Generated<JobStatus>;
  attempts: Generated<number>;
  max_attempts: Generated<number>;
  run_at: Timestamp;
  locked_at: Timestamp | null;
  locked_by: string | null;
  last_error: string | null;
  created_at: Timestamp;
  finished_at: Timestamp | null;
}

export interface MailOutboxTable {
  id: Generated<string>;
  to_address: string;
  subject: string;
  text_body: string;
  raw_message: string;
  created_at: Timestamp;
}

export interface InstanceSettingTable {
  key: string;
  value: string;
}

export interface MembershipRequestTable {
  id: Generated<string>;
  legal_name: string;
  siret: string;
  nda: string;
  qualiopi: boolean;
  qualiopi_expiry: string | null;
  address: string;
  manager_last_name: string;
  manager_first_name: string;
  manager_email: string;
  manager_phone: string;
  status: Generated<'pending' | 'approved' | 'rejected'>;
  reason: string | null;
  created_at: Timestamp;
  decided_at: Timestamp | null;
  decided_by: string | null;
  organisation_id: string | null;
}

export interface ActivationCodeTable {
  id: Generated<string>;
  account_id: string;
  code_hash: string;
  created_at: Timestamp;
  expires_at: Timestamp;
  used_at: Timestamp | null;
  voided_at: Timestamp | null;
}

export interface LetterTable {
  id: Generated<string>;
  organisation_id: string;
  account_id: string;
  kind: 'identifier' | 'activation';
  reference: string;
  pdf_sealed: string | null;
  created_at: Timestamp;
  sent_at: Timestamp | null;
  sent_by: string | null;
}

export interface AccessReviewTable {
  id: Generated<string>;
  organisation_id: string;
  opened_at: Timestamp;
  due_at: Timestamp;
  closed_at: Timestamp | null;
  last_reminder_at: Timestamp | null;
}

export interface AccessReviewDecisionTable {
  review_id: string;
  habilitation_id: string;
  decision: 'confirmed' | 'revoked';
  decided_at: Timestamp;
  decided_by: string;
}

export interface SecurityPolicyTable {
  organisation_id: string;
  roles_policy: string;
  departures_policy: string;
  other_rules: Generated<string>;
  updated_at: Timestamp;
  updated_by: string;
}

export interface AccountManagerChangeTable {
  id: Generated<string>;
  organisation_id: string;
  requested_by: string;
  new_manager_id: string;
  reason: string;
  status: Generated<'pending' | 'approved' | 'rejected'>;
  created_at: Timestamp;
  decided_at: Timestamp | null;
  decided_by: string | null;
  decision_reason: string | null;
}

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
  /** Set when the closed dossier was anonymised (§9); identifier, names, birth date and email are then placeholders. */
  anonymised_at: Generated<Date | null>;
}

export interface QuoteTable {
  id: Generated<string>;
  organisation_id: string;
  candidate_id: string;
  type: 'AIF' | 'POEI';
  status: Generated<string>;
  version: Generated<number>;
  /** Stored sections (training, costs in cents, poei): see modules/quotes/quote-json.ts. */
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
}

/** A submitted version, frozen (immutable once written). */
export interface QuoteVersionTable {
  quote_id: string;
  version: number;
  type: 'AIF' | 'POEI';
  candidate_id: string;
  data: Json<Record<string, unknown>>;
  submitted_at: Timestamp;
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
  // Follow-up (0007, issue #5); dates as 'yyyy-mm-dd' text.
  entry_date: Generated<string | null>;
  withdrawal_date: Generated<string | null>;
  withdrawal_reason: Generated<'found_job' | 'health' | 'personal' | 'disengagement' | 'other' | null>;
  withdrawal_comment: Generated<string | null>;
  exit_date: Generated<string | null>;
  report_reminded_at: Generated<Date | null>;
}

/** Training follow-up (0007, issue #5): generated half-days, attendance, statements, reports, alerts. */
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

export interface RequestErrorTable {
  request_id: string;
  at: Timestamp;
  method: string;
  route: string;
  status: number;
  account_id: string | null;
  organisation_id: string | null;
  error_class: string;
  message: string;
}

export type SupportRequestStatus = 'open' | 'answered' | 'closed';

export interface SupportRequestTable {
  id: Generated<string>;
  number: Generated<number>;
  account_id: string;
  organisation_id: string | null;
  category: string;
  subject: string;
  description: string;
  steps: string | null;
  error_reference: string | null;
  status: Generated<SupportRequestStatus>;
  created_at: Timestamp;
  updated_at: Timestamp;
}

export interface SupportMessageTable {
  id: Generated<string>;
  request_id: string;
  author_id: string;
  author_role: 'requester' | 'agent';
  body: string;
  at: Timestamp;
  seq: Generated<number>;
}

export interface SupportAttachmentTable {
  id: Generated<string>;
  request_id: string;
  position: number;
  /** A random name in ATTACHMENTS_DIR, never derived from the client's file name. */
  stored_name: string;
  media_type: 'image/png' | 'image/jpeg' | 'image/webp';
  size: number;
  original_name: string;
  at: Timestamp;
}

/** Security (0008, issue #7): last access of a candidate by an account, and alerts. */
export interface CandidateAccessTable {
  account_id: string;
  candidate_id: string;
  kind: 'read' | 'export';
  at: Timestamp;
}

export interface SecurityAlertTable {
  id: Generated<string>;
  kind: 'bulk_access' | 'account_creation';
  at: Timestamp;
  account_id: string;
  organisation_id: string | null;
  details: Json<Record<string, unknown>>;
  status: Generated<'open' | 'resolved'>;
  resolved_at: Timestamp | null;
  resolved_by: string | null;
  resolution: string | null;
}

export interface DB {
  candidate_access: CandidateAccessTable;
  security_alert: SecurityAlertTable;
  request_error: RequestErrorTable;
  support_request: SupportRequestTable;
  support_message: SupportMessageTable;
  support_attachment: SupportAttachmentTable;
  candidate: CandidateTable;
  quote: QuoteTable;
  quote_event: QuoteEventTable;
  quote_version: QuoteVersionTable;
  quote_template: QuoteTemplateTable;
  training: TrainingTable;
  training_session: TrainingSessionTable;
  attendance: AttendanceTable;
  monthly_statement: MonthlyStatementTable;
  attendance_correction: AttendanceCorrectionTable;
  training_report: TrainingReportTable;
  training_alert: TrainingAlertTable;
  membership_request: MembershipRequestTable;
  activation_code: ActivationCodeTable;
  letter: LetterTable;
  access_review: AccessReviewTable;
  access_review_decision: AccessReviewDecisionTable;
  security_policy: SecurityPolicyTable;
  account_manager_change: AccountManagerChangeTable;
  instance_setting: InstanceSettingTable;
  organisation: OrganisationTable;
  account: AccountTable;
  recovery_code: RecoveryCodeTable;
  application: ApplicationTable;
  role: RoleTable;
  habilitation: HabilitationTable;
  session: SessionTable;
  sign_in_throttle: SignInThrottleTable;
  audit_log: AuditLogTable;
  job: JobTable;
  mail_outbox: MailOutboxTable;
}

export type Account = Selectable<AccountTable>;
export type Organisation = Selectable<OrganisationTable>;
export type NewAuditRow = Insertable<AuditLogTable>;
export type Candidate = Selectable<CandidateTable>;
export type Quote = Selectable<QuoteTable>;
export type Training = Selectable<TrainingTable>;
