/**
 * Quotes that wait too long (docs/product/quotes.md#expiry), swept every hour by a recurring job:
 * - day 7 after submission without an answer: one reminder to the candidate;
 * - day 15 without an answer: expired;
 * - start date passed with no decision (submitted or accepted): expired.
 * Each quote moves in its own transaction with its timeline entry and audit row (no actor:
 * the system did it), so one failure does not hold back the others.
 */
import type { AppContext } from '../../../context.js';
import { DAY_MS, type RecurringJob, type SchedulingWorker } from '../../../jobs/recurring.js';
import { parisDay } from '../../onboarding/rules.js';
import { applyTransition, type QuoteStatus } from '../rules/lifecycle.js';
import { candidateNotice, organisationNotice, reminderMail } from '../record/mails.js';
import { findCandidateById, updateQuote } from '../record/repository.js';
import { recordEvent, recordQuoteAudit } from '../record/timeline.js';
import { lockQuote, lockUnremindedSubmitted, markReminded, quotesDueForExpiry, quotesDueForReminder } from './repository.js';

export const ANSWER_DAYS = 15;
export const REMINDER_DAYS = 7;
export const QUOTE_EXPIRY: RecurringJob = { kind: 'quotes.expiry', everyMs: 3_600_000, offsetMs: 5 * 60_000 };

export interface SweepResult {
  reminded: number;
  expired: number;
}

async function remind(ctx: AppContext, now: Date): Promise<number> {
  const due = await quotesDueForReminder(ctx.db, new Date(now.getTime() - REMINDER_DAYS * DAY_MS));
  let count = 0;
  for (const id of due) {
    const done = await ctx.db.transaction().execute(async (trx) => {
      const quote = await lockUnremindedSubmitted(trx, id);
      if (!quote) return false;
      await markReminded(trx, id, now);
      await reminderMail(ctx, trx, now, quote, await findCandidateById(trx, quote.candidate_id));
      await recordQuoteAudit(trx, { quote, actor: null, meta: null, at: now, action: 'quote.reminder_sent', details: { version: quote.version } });
      return true;
    });
    if (done) count++;
  }
  return count;
}

async function expire(ctx: AppContext, now: Date): Promise<number> {
  const today = parisDay(now);
  const answerDeadline = new Date(now.getTime() - ANSWER_DAYS * DAY_MS);
  const due = await quotesDueForExpiry(ctx.db, answerDeadline, today);
  let count = 0;
  for (const id of due) {
    const done = await ctx.db.transaction().execute(async (trx) => {
      const quote = await lockQuote(trx, id);
      if (!quote) return false;
      const from = quote.status as QuoteStatus;
      const t = applyTransition(from, 'expire', 'system');
      if (!t.ok) return false; // decided or answered meanwhile
      const row = await updateQuote(trx, id, { status: t.to, updated_at: now });
      const unanswered = from === 'submitted' && quote.submitted_at !== null && quote.submitted_at <= answerDeadline;
      const why = unanswered ? `Sans réponse du candidat ${ANSWER_DAYS} jours après l’envoi.` : 'Date de début dépassée sans décision.';
      await recordEvent(trx, { quote: row, actor: null, at: now, action: 'expire', from, to: t.to, comment: why });
      await recordQuoteAudit(trx, { quote: row, actor: null, meta: null, at: now, action: 'quote.expired', details: { from, to: t.to, version: row.version, why: unanswered ? 'unanswered' : 'start_passed' } });
      const candidate = await findCandidateById(trx, row.candidate_id);
      await organisationNotice(ctx, trx, now, row, candidate, why);
      await candidateNotice(ctx, trx, now, row, candidate);
      return true;
    });
    if (done) count++;
  }
  return count;
}

/** One pass: expiry first, so a quote that expires now is not also reminded. */
export async function sweepQuotes(ctx: AppContext): Promise<SweepResult> {
  const now = ctx.clock.now();
  const expired = await expire(ctx, now);
  const reminded = await remind(ctx, now);
  return { reminded, expired };
}

export function registerQuoteExpiry(worker: SchedulingWorker, ctx: AppContext): void {
  worker.registerRecurring(QUOTE_EXPIRY, async () => {
    await sweepQuotes(ctx);
  });
}
