/** Audit checkpoints: the signed heads of the chain (migration 0017), and the rows they seal. */
import type { Kysely } from 'kysely';
import type { DB } from '../../db/schema.js';

/** The newest row of the chain, as this transaction sees it. */
export async function chainHead(db: Kysely<DB>) {
  return db.selectFrom('audit_log').select(['id', 'hash', 'at']).orderBy('id', 'desc').limit(1).executeTakeFirst();
}

/** The id range of what remains of the log (the head may have been purged by retention). */
export async function chainBounds(db: Kysely<DB>) {
  return db
    .selectFrom('audit_log')
    .select((eb) => [eb.fn.min('id').as('first'), eb.fn.max('id').as('last')])
    .executeTakeFirstOrThrow();
}

export async function insertCheckpoint(
  db: Kysely<DB>,
  c: { row_id: number; row_hash: string; row_at: Date; created_at: Date; signature: string; key_fingerprint: string },
): Promise<number> {
  return (await db.insertInto('audit_checkpoint').values(c).returning('id').executeTakeFirstOrThrow()).id;
}

/** Checkpoints after `afterId`, oldest first: one page of the verification. */
export async function checkpointPage(db: Kysely<DB>, afterId: number, pageSize: number) {
  return db.selectFrom('audit_checkpoint').selectAll().where('id', '>', afterId).orderBy('id').limit(pageSize).execute();
}

/** The hashes of the given rows that still exist. */
export async function rowHashes(db: Kysely<DB>, ids: readonly number[]): Promise<Map<number, string>> {
  if (ids.length === 0) return new Map();
  const rows = await db.selectFrom('audit_log').select(['id', 'hash']).where('id', 'in', ids).execute();
  return new Map(rows.map((r) => [Number(r.id), r.hash]));
}
