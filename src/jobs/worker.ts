import { randomUUID } from 'node:crypto';
import type { Logger } from 'pino';
import type { Clock } from '../clock.js';
import type { Database } from '../db/database.js';
import { claimJobs, completeJob, failJob, type ClaimedJob } from './queue.js';

export type JobHandler = (payload: Record<string, unknown>, job: ClaimedJob) => Promise<void>;

/**
 * Polls the job table and runs handlers. Tests call `runDue()` directly instead of starting
 * the loop, so they decide when jobs run and can move the clock in between.
 */
export class JobWorker {
  private readonly handlers = new Map<string, JobHandler>();
  private readonly id = `worker-${randomUUID().slice(0, 8)}`;
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<unknown> = Promise.resolve();
  private stopped = true;

  constructor(
    private readonly db: Database,
    private readonly clock: Clock,
    private readonly logger: Pick<Logger, 'info' | 'warn' | 'error'>,
    private readonly pollMs = 1000,
  ) {}

  register(kind: string, handler: JobHandler): void {
    this.handlers.set(kind, handler);
  }

  /** Runs every due job once; returns how many ran. */
  async runDue(batch = 20): Promise<number> {
    let total = 0;
    for (;;) {
      const jobs = await claimJobs(this.db, this.clock.now(), this.id, batch);
      for (const job of jobs) await this.runOne(job);
      total += jobs.length;
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
      const message = err instanceof Error ? `${err.name}: ${err.message}` : String(err);
      const outcome = await failJob(this.db, job, this.clock.now(), message, this.id);
      this.logger.warn({ jobId: job.id, kind: job.kind, attempts: job.attempts, outcome, err: message }, 'job failed');
    }
  }

  start(): void {
    this.stopped = false;
    const tick = () => {
      if (this.stopped) return;
      this.running = this.runDue()
        .catch((err) => this.logger.error({ err }, 'job loop error'))
        .finally(() => {
          if (!this.stopped) this.timer = setTimeout(tick, this.pollMs);
        });
    };
    tick();
  }

  /** Stops polling and waits for the batch in hand to finish. */
  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    await this.running;
  }
}
