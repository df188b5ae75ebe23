/**
 * The attendance summaries (by training and month, by training) the dashboards read for figures spanning many trainings
 * (migration 0019, docs/decisions/0049-dashboard-figures-at-scale.md), refreshed every ten
 * minutes: concurrently, so that dashboards keep reading the previous summary meanwhile.
 */
import { sql, type Kysely } from 'kysely';
import type { AppContext } from '../../context.js';
import type { DB } from '../../db/schema.js';
import type { RecurringJob, SchedulingWorker } from '../../jobs/recurring.js';

export const DASHBOARD_REFRESH: RecurringJob = { kind: 'dashboard.refresh', everyMs: 10 * 60_000, offsetMs: 3 * 60_000 };

/** A refresh reads the whole attendance table: about 20 s at 10⁷ rows, above the requests' statement timeout. */
const REFRESH_TIMEOUT = '10min';

export async function refreshDashboardFigures(db: Kysely<DB>): Promise<void> {
  await db.transaction().execute(async (trx) => {
    await sql`select set_config('statement_timeout', ${REFRESH_TIMEOUT}, true)`.execute(trx);
    // The per-training totals are summed from the monthly summary: refreshed after it.
    await sql`refresh materialized view concurrently attendance_month_summary`.execute(trx);
    await sql`refresh materialized view concurrently attendance_training_summary`.execute(trx);
  });
}

export function registerDashboardJobs(worker: SchedulingWorker, ctx: AppContext): void {
  worker.registerRecurring(DASHBOARD_REFRESH, async () => {
    await refreshDashboardFigures(ctx.db);
  });
}
