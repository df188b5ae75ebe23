import { randomUUID } from 'node:crypto';
import type { Logger } from 'pino';
import type { Clock } from '../clock.js';
import type { Database } from '../db/database.js';
import { isDatabaseUnavailable } from '../db/unavailable.js';
import type { Metrics } from '../metrics.js';
import { claimJobs, completeJob, failJob, releaseJobs, type ClaimedJob } from './queue.js';

export type JobHandler = (payload: Record<string, unknown>, job: ClaimedJob) => Promise<void>;

/** How long `stop()` lets the job in hand finish before handing it back to the queue. */
export const STOP_GRACE_MS = 5_000;

/**
 * Polls the job table and runs handlers. Tests call `runDue()` directly instead of starting
 * the loop, so they decide when jobs run and can move the clock in between.
 *
 * When the database is away, a poll fails: the worker says once that it pauses, keeps polling
 * at its pace, and says when it resumes. On stop it runs no further job and hands the jobs it
 * claimed but did not finish back to the queue at once, rather than leaving them "running"
 * until another worker judges them abandoned (5 minutes).
 */
export class JobWorker {
  private readonly handlers = new Map<string, JobHandler>();
  readonly id = `worker-${randomUUID().slice(0, 8)}`;
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<unknown> = Promise.resolve();
  private stopped = true;
  private paused = false;

  constructor(
    private readonly db: Database,
    private readonly clock: Clock,
    private readonly logger: Pick<Logger, 'info' | 'warn' | 'error'>,
    private readonly pollMs = 1000,
    private readonly metrics?: Metrics,
  ) {}

  register(kind: string, handler: JobHandler): void {
    this.handlers.set(kind, handler);
  }

  /** Runs every due job once; returns how many ran. */
  async runDue(batch = 20): Promise<number> {
    return this.runClaimed(batch, () => false);
  }

  /** Claims and runs due jobs until none is left or `interrupted()`; hands back what it holds then. */
  private async runClaimed(batch: number, interrupted: () => boolean): Promise<number> {
    let total = 0;
    for (;;) {
      const jobs = await claimJobs(this.db, this.clock.now(), this.id, batch);
      for (const [index, job] of jobs.entries()) {
        if (interrupted()) {
          await releaseJobs(this.db, this.id, jobs.slice(index).map((j) => j.id));
          return total;
        }
        await this.runOne(job);
        total++;
      }
      if (jobs.length < batch) return total;
    }
  }

  private async runOne(job: ClaimedJob): Promise<void> {
    const handler = this.handlers.get(job.kind);
    try {
      if (!handler) throw new Error(`No handler for job kind ${job.kind}`);
      await handler(job.payload, job);
      await completeJob(this.db, job.id, this.clock.now(), this.id);
    } catch (err) {
      // The database went away during the job: the failure cannot be recorded either; the job
      // stays claimed and is released on stop, or reclaimed as stale by a later poll.
      if (isDatabaseUnavailable(err)) throw err;
      const message = err instanceof Error ? `${err.name}: ${err.message}` : String(err);
      const outcome = await failJob(this.db, job, this.clock.now(), message, this.id);
      this.metrics?.jobFailures.inc({ kind: job.kind, outcome });
      this.logger.warn({ jobId: job.id, kind: job.kind, attempts: job.attempts, outcome, err: message }, 'job failed');
    }
  }

  /** One poll of the loop (it stops between two jobs once `stop()` is called); subclasses add work before it. */
  protected async poll(): Promise<void> {
    await this.runClaimed(20, () => this.stopped);
  }

  private noteOutcome(err: unknown): void {
    if (err === undefined) {
      if (this.paused) this.logger.info({ worker: this.id }, 'job worker resumed: the database is back');
      this.paused = false;
      return;
    }
    if (!isDatabaseUnavailable(err)) {
      this.logger.error({ err }, 'job loop error');
      return;
    }
    this.metrics?.databaseUnavailable.inc({ source: 'job_worker' });
    if (!this.paused) this.logger.warn({ worker: this.id, err }, 'job worker paused: the database is unavailable');
    this.paused = true;
  }

  start(): void {
    this.stopped = false;
    const tick = () => {
      if (this.stopped) return;
      this.running = this.poll()
        .then(
          () => this.noteOutcome(undefined),
          (err) => this.noteOutcome(err),
        )
        .finally(() => {
          if (!this.stopped) this.timer = setTimeout(tick, this.pollMs);
        });
    };
    tick();
  }

  /**
   * Stops polling, lets the job in hand finish (up to `graceMs`), and hands back to the queue
   * whatever this worker still holds, so another instance (or the next start) runs it soon.
   */
  async stop(graceMs = STOP_GRACE_MS): Promise<void> {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    let timer: NodeJS.Timeout | undefined;
    const grace = new Promise<void>((resolve) => (timer = setTimeout(resolve, graceMs)));
    await Promise.race([this.running, grace]);
    clearTimeout(timer);
    try {
      const released = await releaseJobs(this.db, this.id);
      if (released > 0) this.logger.info({ worker: this.id, released }, 'running jobs handed back to the queue');
    } catch (err) {
      this.logger.warn({ worker: this.id, err }, 'could not hand jobs back (they will be reclaimed as stale)');
    }
  }
}
