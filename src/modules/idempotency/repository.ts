/** Idempotency-key queries: claim a key, read it, store or release the answer, purge. */
import type { Kysely } from 'kysely';
import type { DB } from '../../db/schema.js';

type Db = Kysely<DB>;

export interface KeyRef {
  principal: string;
  key: string;
}

/** Takes the key for a first request; false when a row already holds it. */
export async function claim(db: Db, ref: KeyRef, requestHash: string, now: Date, expiresAt: Date): Promise<boolean> {
  const row = await db
    .insertInto('idempotency_key')
    .values({ ...ref, request_hash: requestHash, created_at: now, expires_at: expiresAt })
    .onConflict((oc) => oc.columns(['principal', 'key']).doNothing())
    .returning('key')
    .executeTakeFirst();
  return row !== undefined;
}

export async function find(db: Db, ref: KeyRef) {
  return db
    .selectFrom('idempotency_key')
    .select(['request_hash', 'status_code', 'content_type', 'body', 'expires_at'])
    .where('principal', '=', ref.principal)
    .where('key', '=', ref.key)
    .executeTakeFirst();
}

/** Frees a key whose 24 hours are over, so that it can be claimed afresh. */
export async function deleteExpired(db: Db, ref: KeyRef, now: Date): Promise<void> {
  await db.deleteFrom('idempotency_key').where('principal', '=', ref.principal).where('key', '=', ref.key).where('expires_at', '<=', now).execute();
}

export async function store(db: Db, ref: KeyRef, answer: { status: number; contentType: string | null; body: string }): Promise<void> {
  await db
    .updateTable('idempotency_key')
    .set({ status_code: answer.status, content_type: answer.contentType, body: answer.body })
    .where('principal', '=', ref.principal)
    .where('key', '=', ref.key)
    .where('status_code', 'is', null)
    .execute();
}

/** Gives the key back (the request failed on the server's side, or its answer cannot be kept). */
export async function release(db: Db, ref: KeyRef): Promise<void> {
  await db.deleteFrom('idempotency_key').where('principal', '=', ref.principal).where('key', '=', ref.key).where('status_code', 'is', null).execute();
}

export async function purgeExpired(db: Db, now: Date): Promise<number> {
  const r = await db.deleteFrom('idempotency_key').where('expires_at', '<=', now).executeTakeFirst();
  return Number(r.numDeletedRows);
}
