/**
 * Audit-log queries: appending to the chain (the database hashes, over the content service.ts renders), reading it for the
 * trail and for verification, and the retention purges (retention.ts).
 */
import { sql, type Kysely, type RawBuilder, type Transaction } from 'kysely';
import type { DB } from '../../db/schema.js';
import type { AuditContent } from './hash-chain.js';

/**
 * Appends rows to the chain, in order, in one statement: `audit_append` (migration 0011) takes the
 * chain's lock (held until the transaction ends, serialising writers across connections and
 * instances), reads the last hash and inserts each row hashed over the one before and its
 * `content` text.
 */
export async function appendAuditRows(db: Kysely<DB>, rows: ReadonlyArray<{ row: AuditContent; content: string }>): Promise<void> {
  if (rows.length === 0) return;
  await sql`select ${auditAppendExpression(rows)}`.execute(db);
}

/** The append as an expression (the number of rows appended). */
function auditAppendExpression(rows: ReadonlyArray<{ row: AuditContent; content: string }>): RawBuilder<number> {
  return sql<number>`audit_append(${JSON.stringify(auditAppendPayload(rows))}::jsonb)`;
}

/** The JSON array `audit_append` takes, for a function that appends it itself (guard_reads, migration 0022). */
export function auditAppendPayload(rows: ReadonlyArray<{ row: AuditContent; content: string }>): unknown[] {
  return rows.map(({ row, content }) => ({ ...row, at: row.at.toISOString(), content }));
}

/** The rows after `lastId`, oldest first: one page of the chain's verification. */
export async function chainPage(db: Kysely<DB>, lastId: number, pageSize: number) {
  return db.selectFrom('audit_log').selectAll().where('id', '>', lastId).orderBy('id').limit(pageSize).execute();
}

/**
 * Deletes the head of the log: rows older than `before` up to the first row that is not. The
 * append-only trigger lets a delete through only while the transaction sets `kairos.audit_purge`.
 */
export async function deleteLogHead(trx: Transaction<DB>, before: Date): Promise<number> {
  const firstKept = await trx.selectFrom('audit_log').select('id').where('at', '>=', before).orderBy('id').limit(1).executeTakeFirst();
  await sql`select set_config('kairos.audit_purge', 'on', true)`.execute(trx);
  let q = trx.deleteFrom('audit_log');
  q = firstKept ? q.where('id', '<', firstKept.id) : q.where('at', '<', before);
  const deleted = Number((await q.executeTakeFirst()).numDeletedRows);
  await sql`select set_config('kairos.audit_purge', 'off', true)`.execute(trx);
  return deleted;
}

/** Finished jobs (done or failed) that ended before `before`. */
export async function deleteFinishedJobs(db: Kysely<DB>, before: Date): Promise<number> {
  const r = await db.deleteFrom('job').where('status', 'in', ['done', 'failed']).where('finished_at', '<', before).executeTakeFirst();
  return Number(r.numDeletedRows);
}

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
