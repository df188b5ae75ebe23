import type { AppContext } from '../../../context.js';
import { DAY_MS, type RecurringJob, type SchedulingWorker } from '../../../jobs/recurring.js';
import { purgeExpiredErrors } from './service.js';

/** Daily at 02:00 UTC, after the access-review sweep. */
export const ERROR_PURGE: RecurringJob = { kind: 'request_errors.purge', everyMs: DAY_MS, offsetMs: 2 * 3_600_000 };

export function registerErrorPurge(worker: SchedulingWorker, ctx: AppContext): void {
  worker.registerRecurring(ERROR_PURGE, async () => {
    await purgeExpiredErrors(ctx);
  });
}
