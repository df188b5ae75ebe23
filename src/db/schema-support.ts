/** Table types of support and security: error references, support requests, bulk-access counts and alerts, API tokens and idempotency keys (migrations 0004, 0006, 0008, 0012). */
import type { Generated } from 'kysely';
import type { Json, Timestamp } from './column-types.js';

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

/** Security (0008): last access of a candidate by an account, and alerts. */
/** Look-ups of the register by identifier that matched nobody: counted like reads (SHA-256 of the identifier only). */
export interface RegisterLookupTable {
  account_id: string;
  lookup: string;
  at: Timestamp;
}

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

export type WebhookDeliveryStatus = 'pending' | 'delivered' | 'failed';

export interface WebhookEndpointTable {
  id: Generated<string>;
  organisation_id: string;
  url: string;
  /** The event types subscribed to, a JSON array of strings. */
  events: Json<string[]>;
  /** The signing secret (`whsec_…`), sealed by the secret box. */
  secret_sealed: string;
  enabled: Generated<boolean>;
  /** First failure of the current run of failures; cleared by a success. */
  failing_since: Timestamp | null;
  disabled_at: Timestamp | null;
  created_by: string | null;
  created_at: Timestamp;
  updated_at: Timestamp;
}

export interface WebhookDeliveryTable {
  id: Generated<string>;
  endpoint_id: string;
  event_id: string;
  event_type: string;
  /** The exact bytes signed and sent, kept so a retry or a replay sends the same body. */
  body: string;
  status: Generated<WebhookDeliveryStatus>;
  attempts: Generated<number>;
  response_code: number | null;
  duration_ms: number | null;
  last_error: string | null;
  created_at: Timestamp;
  last_attempt_at: Timestamp | null;
  next_attempt_at: Timestamp | null;
  delivered_at: Timestamp | null;
}

export interface ApiTokenTable {
  id: Generated<string>;
  organisation_id: string;
  name: string;
  secret_hash: string;
  roles: Json<string[]>;
  allowed_ips: Json<string[]>;
  created_by: string;
  created_at: Timestamp;
  expires_at: Timestamp;
  revoked_at: Timestamp | null;
  revoked_by: string | null;
  revoke_reason: string | null;
  last_used_at: Timestamp | null;
  last_used_ip: string | null;
  expiry_reminded_at: Timestamp | null;
}

export interface ApiTokenCandidateAccessTable {
  token_id: string;
  candidate_id: string;
  kind: 'read' | 'export';
  at: Timestamp;
}

export interface IdempotencyKeyTable {
  principal: string;
  key: string;
  request_hash: string;
  status_code: number | null;
  content_type: string | null;
  body: string | null;
  created_at: Timestamp;
  expires_at: Timestamp;
}
