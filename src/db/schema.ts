import type { Generated, Insertable, Selectable } from 'kysely';
import type { DefaultedTimestamp, Json, Timestamp } from './column-types.js';
import type * as D from './schema-dossiers.js';
import type * as S from './schema-support.js';

/**
 * Table types for Kysely; keep in step with migrations/. The platform's own tables are here;
 * dossiers (candidates, quotes, trainings) and support/security tables have their own files.
 */
export type * from './schema-dossiers.js';
export type * from './schema-support.js';

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
export type SuspensionOrigin = 'account_manager' | 'agency' | 'inactivity' | 'bulk_access' | 'creation_guard';

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
  /** Who suspended the account: a detector's suspension is lifted by the agency only, through its alert. */
  suspension_origin: Generated<SuspensionOrigin | null>;
  /** When a passkey became due for this account (a required role, none enrolled): its grace period starts. */
  passkey_grace_started_at: Generated<Date | null>;
}

export interface PasskeyTable {
  id: Generated<string>;
  account_id: string;
  /** base64url, as WebAuthn hands it over. */
  credential_id: string;
  /** COSE public key, base64url. */
  public_key: string;
  counter: number;
  transports: Json<string[]>;
  name: string;
  created_at: Timestamp;
  last_used_at: Timestamp | null;
}

export interface WebauthnChallengeTable {
  id: string;
  challenge: string;
  account_id: string | null;
  created_at: Timestamp;
  expires_at: Timestamp;
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
  /** The last re-authentication inside the session (password and code, or passkey). */
  reauthenticated_at: Generated<Date | null>;
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

export interface DB {
  candidate_access: S.CandidateAccessTable;
  register_lookup: S.RegisterLookupTable;
  security_alert: S.SecurityAlertTable;
  webhook_endpoint: S.WebhookEndpointTable;
  webhook_delivery: S.WebhookDeliveryTable;
  api_token: S.ApiTokenTable;
  api_token_candidate_access: S.ApiTokenCandidateAccessTable;
  idempotency_key: S.IdempotencyKeyTable;
  request_error: S.RequestErrorTable;
  support_request: S.SupportRequestTable;
  support_message: S.SupportMessageTable;
  support_attachment: S.SupportAttachmentTable;
  candidate: D.CandidateTable;
  quote: D.QuoteTable;
  quote_event: D.QuoteEventTable;
  quote_version: D.QuoteVersionTable;
  quote_template: D.QuoteTemplateTable;
  training: D.TrainingTable;
  training_session: D.TrainingSessionTable;
  attendance: D.AttendanceTable;
  monthly_statement: D.MonthlyStatementTable;
  attendance_correction: D.AttendanceCorrectionTable;
  attendance_sheet: D.AttendanceSheetTable;
  attendance_signature: D.AttendanceSignatureTable;
  attendance_proposal: D.AttendanceProposalTable;
  training_report: D.TrainingReportTable;
  training_alert: D.TrainingAlertTable;
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
  passkey: PasskeyTable;
  webauthn_challenge: WebauthnChallengeTable;
  sign_in_throttle: SignInThrottleTable;
  audit_log: AuditLogTable;
  job: JobTable;
  mail_outbox: MailOutboxTable;
}

export type Account = Selectable<AccountTable>;
export type Organisation = Selectable<OrganisationTable>;
export type NewAuditRow = Insertable<AuditLogTable>;
export type Candidate = Selectable<D.CandidateTable>;
export type NewCandidate = Insertable<D.CandidateTable>;
export type Quote = Selectable<D.QuoteTable>;
export type Training = Selectable<D.TrainingTable>;
