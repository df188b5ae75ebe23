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

export interface DB {
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
