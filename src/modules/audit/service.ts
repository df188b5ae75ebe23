import type { Kysely, Transaction } from 'kysely';
import type { RequestMeta } from '../../context.js';
import type { Database } from '../../db/database.js';
import type { DB } from '../../db/schema.js';
import type { Actor } from '../habilitations/policy.js';
import {
  auditContentText,
  verifyChainSegment,
  type AuditContent,
  type ChainVerdict,
  type StoredAuditRow,
} from './hash-chain.js';
import { appendAuditRows, auditAppendPayload, chainPage } from './repository.js';

export interface AuditEntry {
  at: Date;
  action: string;
  actor?: { id: string; login: string } | null;
  organisationId?: string | null;
  target?: { type: string; id: string } | null;
  ip?: string | null;
  requestId?: string | null;
  /** Facts about the change; never secrets, and personal data only as identifiers. */
  details?: Record<string, unknown>;
}

/** Who did it and from where, for an entry recording a request's change; an API token is named as itself. */
export function byActor(actor: Pick<Actor, 'accountId' | 'login' | 'apiToken'>, meta: RequestMeta): Pick<AuditEntry, 'actor' | 'ip' | 'requestId'> {
  return { actor: { id: actor.apiToken?.id ?? actor.accountId, login: actor.login }, ip: meta.ip, requestId: meta.requestId };
}

/**
 * Appends a row to the hash chain, in one statement. Call it inside the transaction of the change
 * it records, so the change and its audit row commit or roll back together.
 */
export async function recordAudit(trx: Transaction<DB>, entry: AuditEntry): Promise<void> {
  await appendEntries(trx, [entry]);
}

function contentOf(entry: AuditEntry): AuditContent {
  return {
    at: entry.at,
    actorId: entry.actor?.id ?? null,
    actorLogin: entry.actor?.login ?? null,
    organisationId: entry.organisationId ?? null,
    action: entry.action,
    targetType: entry.target?.type ?? null,
    targetId: entry.target?.id ?? null,
    ip: entry.ip ?? null,
    requestId: entry.requestId ?? null,
    details: entry.details ?? {},
  };
}

const rowsOf = (entries: readonly AuditEntry[]) =>
  entries.map((entry) => {
    const row = contentOf(entry);
    return { row, content: auditContentText(row) };
  });

async function appendEntries(db: Kysely<DB>, entries: readonly AuditEntry[]): Promise<void> {
  await appendAuditRows(db, rowsOf(entries));
}

/** The rows of `entries` as `audit_append` takes them, for a database function that appends them itself. */
export function auditPayloadOf(entries: readonly AuditEntry[]): unknown[] {
  return auditAppendPayload(rowsOf(entries));
}

/**
 * Records events that are not part of a larger change (a failed sign-in, the views of a read), in
 * one statement, which is its own transaction: the chain's lock lasts exactly as long as the append,
 * and the rows are all written or none.
 */
export async function recordAuditAlone(db: Database, entry: AuditEntry | readonly AuditEntry[]): Promise<void> {
  await appendEntries(db, Array.isArray(entry) ? entry : [entry as AuditEntry]);
}

/** Checks the whole chain in pages, so memory stays flat however long the log is. */
export async function verifyAuditChain(db: Database, pageSize = 1000): Promise<ChainVerdict> {
  let lastId = 0;
  let prevHash: string | null = null;
  let checked = 0;
  for (;;) {
    const page = await chainPage(db, lastId, pageSize);
    if (page.length === 0) return { ok: true, rows: checked };
    const rows: StoredAuditRow[] = page.map((r) => ({
      id: r.id,
      at: r.at,
      actorId: r.actor_id,
      actorLogin: r.actor_login,
      organisationId: r.organisation_id,
      action: r.action,
      targetType: r.target_type,
      targetId: r.target_id,
      ip: r.ip,
      requestId: r.request_id,
      details: r.details,
      prevHash: r.prev_hash,
      hash: r.hash,
    }));
    // The oldest remaining row anchors the chain: retention purges remove the head of the log.
    const verdict = verifyChainSegment(rows, prevHash ?? rows[0].prevHash, checked);
    if (!verdict.ok) return { ok: false, rows: verdict.rows, badRowId: verdict.badRowId, reason: verdict.reason };
    prevHash = verdict.lastHash;
    checked = verdict.rows;
    lastId = rows[rows.length - 1].id;
  }
}
