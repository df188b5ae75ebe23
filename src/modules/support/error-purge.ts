import type { AppContext } from '../../context.js';
import { DAY_MS, type RecurringJob, type SchedulingWorker } from '../../jobs/recurring.js';
import { ERROR_RETENTION_DAYS, purgeRequestErrors } from './error-references.js';

/** Daily at 02:00 UTC, after the access-review sweep. */
export const ERROR_PURGE: RecurringJob = { kind: 'request_errors.purge', everyMs: DAY_MS, offsetMs: 2 * 3_600_000 };

export function registerErrorPurge(worker: SchedulingWorker, ctx: AppContext): void {
  worker.registerRecurring(ERROR_PURGE, async () => {
    await purgeRequestErrors(ctx.db, new Date(ctx.clock.now().getTime() - ERROR_RETENTION_DAYS * DAY_MS));
  });
}
