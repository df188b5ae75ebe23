import type { AppContext } from '../../context.js';
import type { RecurringJob, SchedulingWorker } from '../../jobs/recurring.js';
import { purgeCandidateAccess } from './bulk-access.js';

/** Hourly: access counts older than a day are no longer needed, even for an alert's trail. */
export const ACCESS_COUNT_PURGE: RecurringJob = { kind: 'security.access_counts.purge', everyMs: 3_600_000, offsetMs: 20 * 60_000 };

export function registerSecurityJobs(worker: SchedulingWorker, ctx: AppContext): void {
  worker.registerRecurring(ACCESS_COUNT_PURGE, async () => {
    await purgeCandidateAccess(ctx);
  });
}
