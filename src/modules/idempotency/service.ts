/**
 * Idempotent writes on /api/v1 (docs/api-auth.md, decision 0038): the first answer to a
 * `POST`/`PUT`/`PATCH` carrying an `Idempotency-Key` is kept 24 hours for its caller (token or
 * account), so that a client retrying after a lost answer gets that answer again instead of a
 * second change.
 */
import { createHash } from 'node:crypto';
import type { AppContext } from '../../context.js';
import { canonicalJson } from '../audit/hash-chain.js';
import * as repo from './repository.js';

export const KEY_LIFETIME_MS = 24 * 3_600_000;
/** 1 to 255 visible ASCII characters (RFC 9110 token-ish, without spaces). */
const KEY_SHAPE = /^[\x21-\x7e]{1,255}$/;

export type KeyRef = repo.KeyRef;

export function isValidKey(value: unknown): value is string {
  return typeof value === 'string' && KEY_SHAPE.test(value);
}

/** What the request asks for: method, path and body (JSON in a canonical key order; bytes as sent). */
export function requestFingerprint(method: string, url: string, body: unknown): string {
  const hash = createHash('sha256').update(`${method} ${url}\n`);
  if (Buffer.isBuffer(body) || typeof body === 'string') hash.update(body);
  else hash.update(canonicalJson(body ?? null));
  return hash.digest('hex');
}

export type ClaimOutcome =
  | { kind: 'claimed' }
  | { kind: 'mismatch' }
  | { kind: 'running' }
  | { kind: 'replay'; status: number; contentType: string | null; body: string };

/** Claims the key, or says why not: another body under it, the first still running, or its answer. */
export async function claimKey(ctx: AppContext, ref: KeyRef, fingerprint: string): Promise<ClaimOutcome> {
  const now = ctx.clock.now();
  const expiresAt = new Date(now.getTime() + KEY_LIFETIME_MS);
  for (let attempt = 0; attempt < 2; attempt++) {
    if (await repo.claim(ctx.db, ref, fingerprint, now, expiresAt)) return { kind: 'claimed' };
    const row = await repo.find(ctx.db, ref);
    if (!row) continue; // released between the two statements: try again
    if (row.expires_at.getTime() <= now.getTime()) {
      await repo.deleteExpired(ctx.db, ref, now);
      continue;
    }
    if (row.request_hash !== fingerprint) return { kind: 'mismatch' };
    if (row.status_code === null) return { kind: 'running' };
    return { kind: 'replay', status: row.status_code, contentType: row.content_type, body: row.body ?? '' };
  }
  return { kind: 'running' };
}

export function storeAnswer(ctx: AppContext, ref: KeyRef, answer: { status: number; contentType: string | null; body: string }): Promise<void> {
  return repo.store(ctx.db, ref, answer);
}

export function releaseKey(ctx: AppContext, ref: KeyRef): Promise<void> {
  return repo.release(ctx.db, ref);
}

export function purgeExpiredKeys(ctx: AppContext): Promise<number> {
  return repo.purgeExpired(ctx.db, ctx.clock.now());
}
