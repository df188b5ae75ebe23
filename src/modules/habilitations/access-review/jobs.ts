/**
 * The nightly access-review sweep (docs/product/joining-and-habilitations.md#access-review), run by
 * a recurring job: suspends dormant accounts, closes overdue campaigns (suspending what was not
 * reviewed), opens due campaigns and sends reminders. Each organisation (and each account) is
 * handled in its own transaction with its audit rows and mails, so one failure does not undo the
 * rest, and a rerun (retry, or a second instance) finds the work done: every step is guarded by the
 * state it changes.
 */
import type { Kysely, Transaction } from 'kysely';
import type { AppContext } from '../../../context.js';
import type { DB } from '../../../db/schema.js';
import { DAY_MS, type RecurringJob, type SchedulingWorker } from '../../../jobs/recurring.js';
import { queueMail, type MailMessage } from '../../../mail/mailer.js';
import { recordAudit } from '../../audit/service.js';
import { suspendAccount } from '../../identity/index.js';
import * as repo from './repository.js';
import { reviewClosedMail, reviewOpenedMail, reviewReminderMail } from './mails.js';
import { daysAfter, daysBefore, reminderDue, reviewOpeningDue } from './rules.js';

/** Every night at 01:00 UTC (02:00 or 03:00 in Paris), when nobody is working. */
export const ACCESS_REVIEW_SWEEP: RecurringJob = { kind: 'access_review.sweep', everyMs: DAY_MS, offsetMs: 3_600_000 };

export const INACTIVITY_REASON = 'inactivité';

const NIL_UUID = '00000000-0000-0000-0000-000000000000';

export interface SweepReport {
  accountsSuspended: number;
  reviewsClosed: number;
  reviewsOpened: number;
  remindersSent: number;
}

export function registerAccessReviewJobs(worker: SchedulingWorker, ctx: AppContext): void {
  worker.registerRecurring(ACCESS_REVIEW_SWEEP, async () => {
    await runAccessReviewSweep(ctx);
  });
}

/** Dormant accounts first: a suspended account manager is then not sent reminders. */
export async function runAccessReviewSweep(ctx: AppContext): Promise<SweepReport> {
  const now = ctx.clock.now();
  const accountsSuspended = await suspendDormantAccounts(ctx, now);
  const reviewsClosed = await closeOverdueReviews(ctx, now);
  const reviewsOpened = await openDueReviews(ctx, now);
  const remindersSent = await remindOpenReviews(ctx, now);
  return { accountsSuspended, reviewsClosed, reviewsOpened, remindersSent };
}

async function suspendDormantAccounts(ctx: AppContext, now: Date): Promise<number> {
  const days = ctx.config.accountInactivityDays;
  const cutoff = daysBefore(now, days);
  const candidates = await repo.dormantAccounts(ctx.db, cutoff);
  const changed = await repo.lastChangeOfAccounts(ctx.db, candidates);
  let suspended = 0;
  for (const account of candidates) {
    const lastChange = changed.get(account.id);
    if (lastChange && lastChange > cutoff) continue;
    const done = await ctx.db.transaction().execute(async (trx) => {
      // Re-read under the transaction: a sign-in since the query keeps the account.
      const signedIn = await repo.latestSignIn(trx, account.id);
      if ((signedIn && signedIn > cutoff) || !(await suspendAccount(trx, account.id, INACTIVITY_REASON, now, 'inactivity'))) return false;
      await recordAudit(trx, {
        at: now,
        action: 'account.suspended_inactive',
        organisationId: account.organisation_id,
        target: { type: 'account', id: account.id },
        details: { login: account.login, lastActivityAt: new Date(account.last_activity).toISOString(), inactivityDays: days },
      });
      return true;
    });
    if (done) suspended++;
  }
  return suspended;
}

async function mailManagers(trx: Kysely<DB>, now: Date, organisationId: string, build: (to: string) => MailMessage): Promise<number> {
  const managers = await repo.activeManagers(trx, organisationId);
  let sent = 0;
  for (const m of managers) {
    if (!m.email) continue;
    await queueMail(trx, now, build(m.email));
    sent++;
  }
  return sent;
}

function openingState(org: Awaited<ReturnType<typeof repo.reviewCandidates>>[number]) {
  return { lastOpenedAt: org.last_opened_at ? new Date(org.last_opened_at) : null, organisationCreatedAt: org.created_at, hasOpenReview: !!org.has_open };
}

async function openDueReviews(ctx: AppContext, now: Date): Promise<number> {
  const { periodDays } = ctx.config.accessReview;
  let opened = 0;
  for (const org of await repo.reviewCandidates(ctx.db)) {
    if (!reviewOpeningDue(openingState(org), now, periodDays)) continue;
    if (await openReview(ctx, org.id, org.name, now)) opened++;
  }
  return opened;
}

async function openReview(ctx: AppContext, organisationId: string, name: string, now: Date): Promise<boolean> {
  const { periodDays, graceDays } = ctx.config.accessReview;
  return ctx.db.transaction().execute(async (trx) => {
    await repo.lockOrganisationReviews(trx, organisationId);
    // Checked again under the lock: another instance may have opened it meanwhile.
    const [latest] = await repo.reviewCandidates(trx, organisationId);
    if (!latest || !reviewOpeningDue(openingState(latest), now, periodDays)) return false;
    // An organisation with nothing to review gets no campaign (and no mail); it is checked again tomorrow.
    const items = await repo.countUndecided(trx, { id: NIL_UUID, organisation_id: organisationId, opened_at: now });
    if (items === 0) return false;
    const dueAt = daysAfter(now, graceDays);
    const review = await repo.insertReview(trx, organisationId, now, dueAt);
    const notified = await mailManagers(trx, now, organisationId, (to) =>
      reviewOpenedMail({ to, organisationName: name, items, dueAt, operatorName: ctx.config.operatorName }),
    );
    await recordAudit(trx, {
      at: now,
      action: 'access_review.opened',
      organisationId,
      target: { type: 'access_review', id: review.id },
      details: { dueAt: dueAt.toISOString(), items, managersNotified: notified },
    });
    return true;
  });
}

async function remindOpenReviews(ctx: AppContext, now: Date): Promise<number> {
  let reminded = 0;
  for (const open of await repo.listOpenReviews(ctx.db)) {
    if (open.due_at <= now) continue;
    const sent = await ctx.db.transaction().execute(async (trx) => {
      const review = await repo.lockReview(trx, open.id);
      if (!review) return false;
      const undecided = await repo.countUndecided(trx, review);
      // Items can vanish (accounts deleted, habilitations revoked in GID): nothing left means done.
      if (undecided === 0) {
        await closeComplete(trx, review, now);
        return false;
      }
      if (!reminderDue({ lastReminderAt: review.last_reminder_at, openedAt: review.opened_at, undecided }, now, ctx.config.accessReview.reminderDays)) return false;
      const name = await repo.organisationName(trx, review.organisation_id);
      const notified = await mailManagers(trx, now, review.organisation_id, (to) =>
        reviewReminderMail({ to, organisationName: name, undecided, dueAt: review.due_at, operatorName: ctx.config.operatorName }),
      );
      await repo.markReminded(trx, review.id, now);
      await recordAudit(trx, {
        at: now,
        action: 'access_review.reminder_sent',
        organisationId: review.organisation_id,
        target: { type: 'access_review', id: review.id },
        details: { undecided, managersNotified: notified },
      });
      return true;
    });
    if (sent) reminded++;
  }
  return reminded;
}

/** Closes a campaign whose items are all decided; shared with the decision service. */
export async function closeComplete(trx: Transaction<DB>, review: repo.ReviewRow, now: Date): Promise<void> {
  await repo.closeReview(trx, review.id, now);
  await recordAudit(trx, {
    at: now,
    action: 'access_review.closed',
    organisationId: review.organisation_id,
    target: { type: 'access_review', id: review.id },
    details: { outcome: 'complete', suspended: 0 },
  });
}

async function closeOverdueReviews(ctx: AppContext, now: Date): Promise<number> {
  let closed = 0;
  for (const open of await repo.listOpenReviews(ctx.db)) {
    if (open.due_at > now) continue;
    const done = await ctx.db.transaction().execute(async (trx) => {
      const review = await repo.lockReview(trx, open.id);
      if (!review) return false;
      const suspended = await suspendUnreviewed(trx, review, now);
      await repo.closeReview(trx, review.id, now);
      await recordAudit(trx, {
        at: now,
        action: 'access_review.closed',
        organisationId: review.organisation_id,
        target: { type: 'access_review', id: review.id },
        details: { outcome: 'due', suspended },
      });
      if (suspended > 0) {
        const name = await repo.organisationName(trx, review.organisation_id);
        await mailManagers(trx, now, review.organisation_id, (to) =>
          reviewClosedMail({ to, organisationName: name, suspended, operatorName: ctx.config.operatorName }),
        );
      }
      return true;
    });
    if (done) closed++;
  }
  return closed;
}

/** Suspends (not deletes: the account manager may grant it again) each habilitation left undecided. */
async function suspendUnreviewed(trx: Transaction<DB>, review: repo.ReviewRow, now: Date): Promise<number> {
  let suspended = 0;
  for (const item of await repo.undecidedItems(trx, review)) {
    if (!(await repo.suspendHabilitation(trx, item.id, now))) continue;
    await recordAudit(trx, {
      at: now,
      action: 'habilitation.suspended_unreviewed',
      organisationId: review.organisation_id,
      target: { type: 'habilitation', id: item.id },
      details: { reviewId: review.id, accountId: item.account_id, login: item.login, application: item.application, role: item.role },
    });
    suspended++;
  }
  return suspended;
}
