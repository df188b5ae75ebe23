import type { AppContext } from '../../context.js';
import type { RecurringJob, SchedulingWorker } from '../../jobs/recurring.js';
import { purgeExpiredKeys } from './service.js';

/** Hourly: stored answers are kept 24 hours, then serve nothing. */
export const IDEMPOTENCY_PURGE: RecurringJob = { kind: 'idempotency.purge', everyMs: 3_600_000, offsetMs: 35 * 60_000 };

export function registerIdempotencyJobs(worker: SchedulingWorker, ctx: AppContext): void {
  worker.registerRecurring(IDEMPOTENCY_PURGE, async () => {
    await purgeExpiredKeys(ctx);
  });
}
