import { createHash } from 'node:crypto';

/** The hash that precedes the first row of the chain. */
export const GENESIS_HASH = '0'.repeat(64);

export interface AuditContent {
  at: Date;
  actorId: string | null;
  actorLogin: string | null;
  organisationId: string | null;
  action: string;
  targetType: string | null;
  targetId: string | null;
  ip: string | null;
  requestId: string | null;
  details: Record<string, unknown>;
}

/**
 * JSON with object keys sorted at every level: jsonb does not keep key order, so the hash must
 * not depend on it, or a row read back would never verify.
 */
export function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value ?? null);
  if (value instanceof Date) return JSON.stringify(value.toISOString());
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  const entries = Object.entries(value as Record<string, unknown>)
    .filter(([, v]) => v !== undefined)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
}

/**
 * The bytes of a row's content that the chain hashes: its content fields only (a stored row also
 * carries its id and hashes, which are not hashed), as canonical JSON. The database's
 * `audit_append` hashes this same text after the previous hash when it appends a row.
 */
export function auditContentText(c: AuditContent): string {
  return canonicalJson({
    at: c.at.toISOString(),
    actorId: c.actorId,
    actorLogin: c.actorLogin,
    organisationId: c.organisationId,
    action: c.action,
    targetType: c.targetType,
    targetId: c.targetId,
    ip: c.ip,
    requestId: c.requestId,
    details: c.details,
  });
}

/** SHA-256 over the previous row's hash and this row's content. */
export function computeAuditHash(prevHash: string, c: AuditContent): string {
  return createHash('sha256').update(prevHash).update('\n').update(auditContentText(c)).digest('hex');
}

export interface StoredAuditRow extends AuditContent {
  id: number;
  prevHash: string;
  hash: string;
}

export type ChainVerdict =
  | { ok: true; rows: number }
  | { ok: false; rows: number; badRowId: number; reason: 'altered' | 'broken_link' };

/**
 * Walks rows in id order. An altered row no longer matches its own hash; a removed row leaves
 * the next row pointing at a hash that is not its predecessor's.
 */
export function verifyChainSegment(
  rows: Iterable<StoredAuditRow>,
  previousHash: string,
  alreadyChecked = 0,
): ChainVerdict & { lastHash: string } {
  let prev = previousHash;
  let count = alreadyChecked;
  for (const row of rows) {
    if (row.prevHash !== prev) return { ok: false, rows: count, badRowId: row.id, reason: 'broken_link', lastHash: prev };
    if (computeAuditHash(row.prevHash, row) !== row.hash) {
      return { ok: false, rows: count, badRowId: row.id, reason: 'altered', lastHash: prev };
    }
    prev = row.hash;
    count += 1;
  }
  return { ok: true, rows: count, lastHash: prev };
}
