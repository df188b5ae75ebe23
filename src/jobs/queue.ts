import { sql, type Kysely } from 'kysely';
import type { DB } from '../db/schema.js';

export interface EnqueueOptions {
  runAt?: Date;
  maxAttempts?: number;
}

/**
 * Adds a job. Pass the business transaction so the job exists if and only if the change
 * it belongs to committed (the outbox pattern).
 */
export async function enqueueJob(
  db: Kysely<DB>,
  now: Date,
  kind: string,
  payload: Record<string, unknown>,
  options: EnqueueOptions = {},
): Promise<number> {
  const row = await db
    .insertInto('job')
    .values({
      kind,
      payload: JSON.stringify(payload),
      run_at: options.runAt ?? now,
      created_at: now,
      locked_at: null,
      locked_by: null,
      last_error: null,
      finished_at: null,
      ...(options.maxAttempts ? { max_attempts: options.maxAttempts } : {}),
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return row.id;
}

export interface ClaimedJob {
  id: number;
  kind: string;
  payload: Record<string, unknown>;
  attempts: number;
  maxAttempts: number;
}

/** A running job whose worker has not finished it by then is assumed dead and is claimed again. */
export const STALE_AFTER_MS = 5 * 60_000;

/** Claims up to `limit` due jobs; SKIP LOCKED lets several instances share the table. */
export async function claimJobs(db: Kysely<DB>, now: Date, workerId: string, limit: number): Promise<ClaimedJob[]> {
  const staleBefore = new Date(now.getTime() - STALE_AFTER_MS);
  // A job whose worker died on its last allowed attempt is not run again: it may be the
  // very job that kills workers.
  await db
    .updateTable('job')
    .set({ status: 'failed', finished_at: now, last_error: 'abandoned: the worker stopped during the last attempt' })
    .where('status', '=', 'running')
    .where('locked_at', '<', staleBefore)
    .whereRef('attempts', '>=', 'max_attempts')
    .execute();
  const result = await sql<{ id: number; kind: string; payload: Record<string, unknown>; attempts: number; max_attempts: number }>`
    update job set status = 'running', locked_at = ${now}, locked_by = ${workerId}, attempts = attempts + 1
    where id in (
      select id from job
      where run_at <= ${now}
        and (status = 'pending' or (status = 'running' and locked_at < ${staleBefore}))
      order by run_at, id
      limit ${limit}
      for update skip locked
    )
    returning id, kind, payload, attempts, max_attempts`.execute(db);
  return result.rows.map((r) => ({
    id: r.id,
    kind: r.kind,
    payload: r.payload,
    attempts: r.attempts,
    maxAttempts: r.max_attempts,
  }));
}

/** Only the worker holding the job records its outcome (a slow worker may have lost it). */
export async function completeJob(db: Kysely<DB>, id: number, now: Date, workerId: string): Promise<void> {
  await db
    .updateTable('job')
    .set({ status: 'done', finished_at: now, locked_at: null, locked_by: null })
    .where('id', '=', id)
    .where('locked_by', '=', workerId)
    .execute();
}

/** Exponential backoff: 30 s, 1 min, 2 min … capped at 1 h. */
export function retryDelayMs(attempts: number): number {
  return Math.min(30_000 * 2 ** Math.max(0, attempts - 1), 3_600_000);
}

export async function failJob(db: Kysely<DB>, job: ClaimedJob, now: Date, error: string, workerId: string): Promise<'retry' | 'failed'> {
  const final = job.attempts >= job.maxAttempts;
  await db
    .updateTable('job')
    .set({
      status: final ? 'failed' : 'pending',
      last_error: error.slice(0, 2000),
      locked_at: null,
      locked_by: null,
      run_at: final ? now : new Date(now.getTime() + retryDelayMs(job.attempts)),
      finished_at: final ? now : null,
    })
    .where('id', '=', job.id)
    .where('locked_by', '=', workerId)
    .execute();
  return final ? 'failed' : 'retry';
}

/**
 * Hands jobs claimed by a stopping worker back to the queue, as if never claimed (the attempt
 * is not counted): all it holds, or only `ids`. Returns how many.
 */
export async function releaseJobs(db: Kysely<DB>, workerId: string, ids?: number[]): Promise<number> {
  if (ids && ids.length === 0) return 0;
  let query = db
    .updateTable('job')
    .set({ status: 'pending', locked_at: null, locked_by: null, attempts: sql`greatest(attempts - 1, 0)` })
    .where('status', '=', 'running')
    .where('locked_by', '=', workerId);
  if (ids) query = query.where('id', 'in', ids);
  const result = await query.executeTakeFirst();
  return Number(result.numUpdatedRows);
}
