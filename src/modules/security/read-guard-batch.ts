/**
 * Group commit of audited reads (docs/decisions/0051-audited-reads-group-commit.md). Each audited
 * read by staff must be counted and audited before it is answered, in a transaction of its own
 * that takes the audit chain's lock and flushes its commit: one at a time, the database tops out
 * there. So per database handle, one guard statement is in flight at a time; the reads arriving
 * meanwhile queue and go together as the next statement (guard_reads, one transaction, one lock,
 * one flush), each caller awaiting its own result. A read arriving while nothing is in flight goes
 * at once, alone: one statement, as before, and no added wait.
 */
import type { Kysely } from 'kysely';
import type { DB } from '../../db/schema.js';
import { guardReads, type ReadGuardRequest, type ReadGuardResult } from './repository.js';

/** Bounds the statement's size and the time its lock is held; past it the rest waits one more turn. */
export const MAX_BATCH = 64;

interface Waiter {
  request: ReadGuardRequest;
  resolve: (result: ReadGuardResult) => void;
  reject: (error: unknown) => void;
}

class ReadGuardBatcher {
  private readonly queue: Waiter[] = [];
  private inFlight = false;

  constructor(private readonly db: Kysely<DB>) {}

  submit(request: ReadGuardRequest): Promise<ReadGuardResult> {
    return new Promise((resolve, reject) => {
      this.queue.push({ request, resolve, reject });
      if (!this.inFlight) void this.drain();
    });
  }

  private async drain(): Promise<void> {
    this.inFlight = true;
    try {
      while (this.queue.length > 0) await this.send(this.queue.splice(0, MAX_BATCH));
    } finally {
      this.inFlight = false;
    }
  }

  /**
   * A failed batch wrote nothing (one transaction); its requests are retried one by one so that
   * one bad request (a candidate deleted meanwhile) fails only its own read, not its neighbours'.
   */
  private async send(batch: Waiter[]): Promise<void> {
    try {
      const results = await guardReads(this.db, batch.map((w) => w.request));
      batch.forEach((w, i) => w.resolve(results[i]!));
    } catch (error) {
      if (batch.length === 1) return batch[0]!.reject(error);
      for (const w of batch) await this.send([w]);
    }
  }
}

const batchers = new WeakMap<Kysely<DB>, ReadGuardBatcher>();

/**
 * Counts an audited read's accesses and appends its audit rows when its reads stay within
 * `readsAtMost`, batched with the concurrent reads of the same database handle. Pass the
 * application's handle, never a transaction: the batch commits on its own.
 */
export function recordAccessCountAndAudit(db: Kysely<DB>, request: ReadGuardRequest): Promise<ReadGuardResult> {
  let batcher = batchers.get(db);
  if (!batcher) batchers.set(db, (batcher = new ReadGuardBatcher(db)));
  return batcher.submit(request);
}
