/**
 * Overdue training reports (docs/product/training-follow-up.md#overdue-reports): a daily sweep
 * mails the organisation's attendance officers about each report more than 30 days late, again
 * every REPORT_REMINDER_DAYS until it is filed, and raises the advisor's alert once.
 */
import type { AppContext } from '../../../context.js';
import { DAY_MS, type RecurringJob, type SchedulingWorker } from '../../../jobs/recurring.js';
import { queueMail } from '../../../mail/mailer.js';
import { recordAudit } from '../../audit/service.js';
import { parisDay } from '../../onboarding/rules.js';
import { formatFrenchDate } from '../../quotes/rules/holidays.js';
import { overdueDetails, raiseAlert } from '../alerts/service.js';
import { lockReminderDue, organisationStaffWithRole, remindersDue, updateTraining } from './repository.js';
import { reportDueDate } from '../rules.js';
import { closedOn } from '../views.js';

/** Daily at 03:00 UTC, after the access-review sweep and the error purge. */
export const REPORT_REMINDERS: RecurringJob = { kind: 'training.report_reminders', everyMs: DAY_MS, offsetMs: 3 * 3_600_000 };

export function registerTrainingJobs(worker: SchedulingWorker, ctx: AppContext): void {
  worker.registerRecurring(REPORT_REMINDERS, async () => {
    await remindOverdueReports(ctx);
  });
}

/** Sends the reminders due now; returns how many trainings were reminded. */
export async function remindOverdueReports(ctx: AppContext): Promise<number> {
  const now = ctx.clock.now();
  const today = parisDay(now);
  const remindedBefore = new Date(now.getTime() - ctx.config.training.reportReminderDays * DAY_MS);
  const due = await remindersDue(ctx.db, today, remindedBefore);
  let reminded = 0;
  // One transaction per training: a failure on one does not hold back the others' reminders.
  for (const id of due) {
    const done = await ctx.db.transaction().execute(async (trx) => {
      const t = await lockReminderDue(trx, id, today, remindedBefore);
      if (!t) return false;
      const closed = closedOn(t)!;
      const officers = await organisationStaffWithRole(trx, t.organisation_id, 'attendance_officer');
      const link = `${ctx.config.publicUrl}/kairos/formations/${t.id}`;
      for (const o of officers) {
        if (!o.email) continue;
        await queueMail(trx, now, {
          to: o.email,
          subject: `Kairos : bilan de formation en retard (${t.identifier})`,
          text: `Bonjour,\n\nLe bilan de formation du stagiaire ${t.identifier} (« ${t.title} ») était attendu au plus tard le ${formatFrenchDate(reportDueDate(closed))}. Déposez-le dès que possible : ${link}\n\nUn rappel vous sera envoyé tous les ${ctx.config.training.reportReminderDays} jours jusqu’à son dépôt.\n\nKairos`,
        });
      }
      await raiseAlert(trx, ctx, { id: t.id, title: t.title, identifier: t.identifier }, 'report_overdue', '', overdueDetails(closed));
      await updateTraining(trx, t.id, { report_reminded_at: now });
      await recordAudit(trx, { at: now, organisationId: t.organisation_id, action: 'training.report_reminded', target: { type: 'training', id: t.id }, details: { dueDate: reportDueDate(closed), recipients: officers.filter((o) => o.email).length } });
      return true;
    });
    if (done) reminded++;
  }
  return reminded;
}
