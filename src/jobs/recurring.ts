import { sql, type Kysely } from 'kysely';
import type { Logger } from 'pino';
import type { Clock } from '../clock.js';
import type { Database } from '../db/database.js';
import type { DB } from '../db/schema.js';
import { enqueueJob, type ClaimedJob } from './queue.js';
import type { Metrics } from '../metrics.js';
import { JobWorker, type JobHandler } from './worker.js';

/**
 * A job that runs on a fixed grid of slots (e.g. every day at 01:00 UTC). The chain lives in
 * the job table, so it survives restarts: each run schedules the next slot, and every worker
 * that starts makes sure one exists. The invariant is "at most one pending or running job of
 * the kind", kept across instances by a transaction-scoped advisory lock around
 * check-then-insert; deterministic slots mean two instances would pick the same time anyway.
 */
export interface RecurringJob {
  kind: string;
  everyMs: number;
  /** Where the grid starts, from the Unix epoch: with a day period, the time of day in UTC. */
  offsetMs: number;
}

export const DAY_MS = 86_400_000;

// Namespace of the two-key advisory locks (the audit chain uses a one-key lock: no overlap).
const RECURRING_LOCK_NAMESPACE = 7_101_002;

/** The first slot strictly after `now`: a run at 01:00 exactly schedules the next day's 01:00. */
export function nextSlot(now: Date, job: Pick<RecurringJob, 'everyMs' | 'offsetMs'>): Date {
  const sinceGrid = now.getTime() - job.offsetMs;
  const index = Math.floor(sinceGrid / job.everyMs) + 1;
  return new Date(index * job.everyMs + job.offsetMs);
}

export interface EnsureResult {
  scheduled: boolean;
  jobId: number;
  runAt: Date;
}

/**
 * Schedules the next run unless one is already pending or running (other than `excludeJobId`,
 * the run that is scheduling its successor). Safe to call from any number of instances at once.
 */
export async function ensureScheduled(
  db: Database,
  now: Date,
  job: RecurringJob,
  options: { excludeJobId?: number } = {},
): Promise<EnsureResult> {
  return db.transaction().execute(async (trx) => {
    await sql`select pg_advisory_xact_lock(${RECURRING_LOCK_NAMESPACE}, hashtext(${job.kind}))`.execute(trx);
    const existing = await liveJobOf(trx, job.kind, options.excludeJobId);
    if (existing) return { scheduled: false, jobId: existing.id, runAt: existing.run_at };
    const runAt = nextSlot(now, job);
    const jobId = await enqueueJob(trx, now, job.kind, { slot: runAt.toISOString() }, { runAt });
    return { scheduled: true, jobId, runAt };
  });
}

async function liveJobOf(db: Kysely<DB>, kind: string, excludeJobId?: number) {
  let query = db
    .selectFrom('job')
    .select(['id', 'run_at'])
    .where('kind', '=', kind)
    .where('status', 'in', ['pending', 'running']);
  if (excludeJobId !== undefined) query = query.where('id', '!=', excludeJobId);
  return query.orderBy('run_at').limit(1).executeTakeFirst();
}

/**
 * Wraps the work of a recurring job: after a success it schedules the next slot. After a
 * failure the worker retries the same row (which keeps the chain alive), except after the last
 * attempt, when the next slot is scheduled before giving up so that one bad day does not stop
 * the chain.
 */
export function recurringHandler(db: Database, clock: Clock, job: RecurringJob, run: (claimed: ClaimedJob) => Promise<void>): JobHandler {
  return async (_payload, claimed) => {
    try {
      await run(claimed);
    } catch (err) {
      if (claimed.attempts >= claimed.maxAttempts) await ensureScheduled(db, clock.now(), job, { excludeJobId: claimed.id });
      throw err;
    }
    await ensureScheduled(db, clock.now(), job, { excludeJobId: claimed.id });
  };
}

/**
 * A job worker that also owns recurring jobs: it registers their handlers and, each time it
 * starts polling, makes sure each chain has its next run. Tests that never start the loop
 * (they call `runDue`) therefore get no recurring job unless they schedule it themselves.
 */
export class SchedulingWorker extends JobWorker {
  private readonly recurring: RecurringJob[] = [];
  /** False until the chains are checked since the last start (retried at each poll until then). */
  private recurringEnsured = false;

  constructor(
    private readonly database: Database,
    private readonly time: Clock,
    private readonly log: Pick<Logger, 'info' | 'warn' | 'error'>,
    pollMs = 1000,
    metrics?: Metrics,
  ) {
    super(database, time, log, pollMs, metrics);
  }

  registerRecurring(job: RecurringJob, run: (claimed: ClaimedJob) => Promise<void>): void {
    this.recurring.push(job);
    this.register(job.kind, recurringHandler(this.database, this.time, job, run));
  }

  /** Makes sure every registered recurring job has its next run in the table. */
  async ensureRecurring(): Promise<EnsureResult[]> {
    const results: EnsureResult[] = [];
    for (const job of this.recurring) results.push(await ensureScheduled(this.database, this.time.now(), job));
    return results;
  }

  // The database may be unreachable when the worker starts: the chains are then checked at the
  // first poll that reaches it, instead of waiting for the next start.
  protected override async poll(): Promise<void> {
    if (!this.recurringEnsured) {
      const results = await this.ensureRecurring();
      this.recurringEnsured = true;
      this.log.info({ recurring: results.map((r) => r.runAt.toISOString()) }, 'recurring jobs scheduled');
    }
    await super.poll();
  }

  override start(): void {
    this.recurringEnsured = false;
    super.start();
  }
}
