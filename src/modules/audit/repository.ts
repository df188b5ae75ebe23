/** Reading the audit log (Kysely only); writing stays in service.ts, with the hash chain. */
import type { Kysely } from 'kysely';
import type { DB } from '../../db/schema.js';

export interface AuditSearch {
  organisationId?: string;
  /** `access_review` matches `access_review.opened`, `access_review.closed`… */
  actionPrefix?: string;
  actorLogin?: string;
  from?: Date;
  /** Exclusive. */
  to?: Date;
  offset: number;
  limit: number;
}

// LIKE wildcards in a user's prefix are literal characters (`_` is common in action names).
function likePrefix(value: string): string {
  return `${value.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
}

/** Newest first; the organisation filter uses the (organisation_id, id) index. */
export async function searchAuditLog(db: Kysely<DB>, s: AuditSearch) {
  let q = db
    .selectFrom('audit_log as l')
    .leftJoin('organisation as o', 'o.id', 'l.organisation_id')
    .select(['l.id', 'l.at', 'l.actor_login', 'l.organisation_id', 'o.name as organisation_name', 'l.action', 'l.target_type', 'l.target_id', 'l.ip', 'l.details']);
  if (s.organisationId) q = q.where('l.organisation_id', '=', s.organisationId);
  if (s.actionPrefix) q = q.where('l.action', 'like', likePrefix(s.actionPrefix));
  if (s.actorLogin) q = q.where('l.actor_login', '=', s.actorLogin);
  if (s.from) q = q.where('l.at', '>=', s.from);
  if (s.to) q = q.where('l.at', '<', s.to);
  return q.orderBy('l.id', 'desc').offset(s.offset).limit(s.limit).execute();
}
export type AuditLogRow = Awaited<ReturnType<typeof searchAuditLog>>[number];

/** Organisations to filter on, for the agency's page. */
export async function organisationChoices(db: Kysely<DB>) {
  return db.selectFrom('organisation').select(['id', 'name', 'kind']).orderBy('kind').orderBy('name').execute();
}
