/**
 * The recurring jobs the world's weeks would have run: each night, the quote sweep (reminders,
 * expiry) and the overdue-report reminders, so a quote left unanswered expires and a late report
 * alerts the advisor exactly as they would in production.
 */
import { sweepQuotes } from '../../modules/quotes/decision/expiry-jobs.js';
import { remindOverdueReports } from '../../modules/training/index.js';
import { addDays } from '../../modules/quotes/rules/holidays.js';
import { momentOf } from './clock.js';
import type { WorldContext } from './context.js';

export function planNightlyJobs(world: WorldContext, fromDay: number): void {
  for (let day = world.day(fromDay); day <= world.today; day = addDays(day, 1)) {
    world.timeline.at(momentOf(day, '03:00'), `traitements de la nuit du ${day}`, async () => {
      await sweepQuotes(world.ctx);
      await remindOverdueReports(world.ctx);
    });
  }
}
