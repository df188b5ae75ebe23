/**
 * The candidate's answer and the advisor's decision on a quote (docs/product/quotes.md#decisions).
 * Concurrent decisions: the row lock serialises them and the loser meets a status the lifecycle
 * refuses (409); a caller who states the version it decided on also gets a 409 when the quote
 * moved on since (optimistic check).
 */
import type { Transaction } from 'kysely';
import type { AppContext, RequestMeta } from '../../../context.js';
import type { DB, Quote } from '../../../db/schema.js';
import { problems } from '../../../http/problem.js';
import type { Actor } from '../../habilitations/policy.js';
import { parisDay } from '../../onboarding/rules.js';
import { applyTransition, type QuoteAction, type QuoteActor, type QuoteStatus } from '../rules/lifecycle.js';
import { quoteFor } from '../record/access.js';
import { candidateNotice, organisationNotice } from '../record/mails.js';
import { QUOTE_NOT_FOUND, staleVersion } from '../record/messages.js';
import { storedData } from '../record/quote-json.js';
import { findCandidateById, updateQuote } from '../record/repository.js';
import { viewOf } from '../record/service.js';
import { recordEvent, recordQuoteAudit } from '../record/timeline.js';
import { insertTraining } from './repository.js';
import type { AdvisorDecisionInput, CandidateDecisionInput } from './schemas.js';

/** Locks the quote as `party` may see it, checks the stated version and the lifecycle. */
async function transition(trx: Transaction<DB>, actor: Actor, id: string, action: QuoteAction, party: QuoteActor, options: { version?: number; reason?: string | null }) {
  const { quote } = await quoteFor(trx, actor, id, { lock: true });
  if (options.version !== undefined && options.version !== quote.version) throw problems.conflict(staleVersion(options.version, quote.version));
  const from = quote.status as QuoteStatus;
  const t = applyTransition(from, action, party, { reason: options.reason });
  if (!t.ok) {
    if (t.code === 'reason_required') throw problems.invalid([{ field: 'reason', message: t.message }]);
    if (t.code === 'actor_not_allowed') throw problems.notFound(QUOTE_NOT_FOUND);
    throw problems.conflict(t.message);
  }
  return { quote, from, to: t.to };
}

export async function candidateDecision(ctx: AppContext, actor: Actor, id: string, input: CandidateDecisionInput, meta: RequestMeta) {
  if (actor.kind !== 'candidate') throw problems.notFound(QUOTE_NOT_FOUND);
  const now = ctx.clock.now();
  const quote = await ctx.db.transaction().execute(async (trx) => {
    const { from, to } = await transition(trx, actor, id, input.decision, 'candidate', { version: input.version });
    const row = await updateQuote(trx, id, { status: to, updated_at: now, ...(to === 'accepted' ? { accepted_at: now } : {}) });
    await recordEvent(trx, { quote: row, actor, at: now, action: input.decision, from, to, comment: input.comment });
    await recordQuoteAudit(trx, { quote: row, actor, meta, at: now, action: `quote.${to}`, details: { from, to, version: row.version } });
    await organisationNotice(ctx, trx, now, row, await findCandidateById(trx, row.candidate_id), input.comment);
    return row;
  });
  return viewOf(ctx, quote, 'candidate');
}

/** The reference printed on the agreement: year of approval and the start of the quote's id. */
export function agreementReference(quoteId: string, approvedOn: string): string {
  return `APC-${approvedOn.slice(0, 4)}-${quoteId.replace(/-/g, '').slice(0, 10).toUpperCase()}`;
}

/**
 * The training record (docs/product/training-follow-up.md#training-record), from the approved
 * version (status planned).
 */
function createTraining(trx: Transaction<DB>, quote: Quote, now: Date): Promise<string> {
  const { training } = storedData(quote);
  return insertTraining(trx, {
    quote_id: quote.id,
    quote_version: quote.version,
    organisation_id: quote.organisation_id,
    candidate_id: quote.candidate_id,
    title: training.title,
    carif_oref_session: training.carifOrefSession,
    start_date: training.startDate,
    end_date: training.endDate,
    created_at: now,
    updated_at: now,
  });
}

export async function advisorDecision(ctx: AppContext, actor: Actor, id: string, input: AdvisorDecisionInput, meta: RequestMeta) {
  const now = ctx.clock.now();
  const { quote, trainingId } = await ctx.db.transaction().execute(async (trx) => {
    const { from, to } = await transition(trx, actor, id, input.decision, 'advisor', { version: input.version, reason: input.reason });
    const reference = to === 'approved' ? agreementReference(id, parisDay(now)) : null;
    const row = await updateQuote(trx, id, { status: to, updated_at: now, decided_at: now, decided_by: actor.accountId, ...(reference ? { agreement_reference: reference } : {}) });
    const trainingId = to === 'approved' ? await createTraining(trx, row, now) : null;
    await recordEvent(trx, { quote: row, actor, at: now, action: input.decision, from, to, comment: input.reason });
    await recordQuoteAudit(trx, { quote: row, actor, meta, at: now, action: `quote.${to}`, details: { from, to, version: row.version, trainingId, agreement: reference } });
    const candidate = await findCandidateById(trx, row.candidate_id);
    await organisationNotice(ctx, trx, now, row, candidate, input.reason);
    await candidateNotice(ctx, trx, now, row, candidate);
    return { quote: row, trainingId };
  });
  return { ...(await viewOf(ctx, quote, 'advisor')), trainingId };
}
