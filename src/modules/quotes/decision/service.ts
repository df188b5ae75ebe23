/**
 * The candidate's answer and the advisor's decision on a quote (docs/product/quotes.md#decisions).
 * Concurrent decisions: the row lock serialises them and the loser meets a status the lifecycle
 * refuses (409); a caller who states the version it decided on also gets a 409 when the quote
 * moved on since (optimistic check).
 */
import { z } from 'zod';
import type { Transaction } from 'kysely';
import type { AppContext, RequestMeta } from '../../../context.js';
import type { DB, Quote } from '../../../db/schema.js';
import { fieldErrorsFrom, problems } from '../../../http/problem.js';
import type { Actor } from '../../habilitations/policy.js';
import { parisDay } from '../../onboarding/rules.js';
import { applyTransition, type QuoteAction, type QuoteActor, type QuoteStatus } from '../rules/lifecycle.js';
import { QUOTE_NOT_FOUND, staleVersion } from '../record/messages.js';
import { candidateNotice, organisationNotice } from '../record/mails.js';
import { quoteFor } from '../record/access.js';
import { storedData } from '../record/quote-json.js';
import { findCandidateById } from '../record/repository.js';
import { viewOf } from '../record/service.js';
import { recordEvent, recordQuoteAudit } from '../record/timeline.js';

const comment = (label: string) =>
  z
    .string({ error: `${label} : texte attendu.` })
    .trim()
    .max(2000, `${label} : 2 000 caractères au maximum.`)
    .nullish()
    .transform((v) => (v ? v : null));

const version = z
  .number({ error: 'Version (version) : nombre entier attendu (la version du devis que vous avez consultée).' })
  .int('Version (version) : nombre entier attendu.')
  .min(1, 'Version (version) : 1 au minimum.')
  .optional();

export const candidateDecisionSchema = z.strictObject({
  decision: z.enum(['accept', 'decline'], {
    error: (iss) => (iss.input === undefined ? 'Décision (decision) : champ obligatoire.' : 'Décision (decision) : « accept » (accepter) ou « decline » (décliner).'),
  }),
  comment: comment('Commentaire (comment)'),
  version,
});

export const advisorDecisionSchema = z.strictObject({
  decision: z.enum(['approve', 'refuse', 'request_changes'], {
    error: (iss) =>
      iss.input === undefined ? 'Décision (decision) : champ obligatoire.' : 'Décision (decision) : « approve » (valider), « refuse » (refuser) ou « request_changes » (demander des modifications).',
  }),
  reason: comment('Motif (reason)'),
  version,
});

function parse<T extends z.ZodType>(schema: T, value: unknown): z.output<T> {
  const parsed = schema.safeParse(value ?? {});
  if (!parsed.success) throw problems.invalid(fieldErrorsFrom(parsed.error.issues));
  return parsed.data;
}

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

export async function candidateDecision(ctx: AppContext, actor: Actor, id: string, body: unknown, meta: RequestMeta) {
  if (actor.kind !== 'candidate') throw problems.notFound(QUOTE_NOT_FOUND);
  const input = parse(candidateDecisionSchema, body);
  const now = ctx.clock.now();
  const quote = await ctx.db.transaction().execute(async (trx) => {
    const { from, to } = await transition(trx, actor, id, input.decision, 'candidate', { version: input.version });
    const row = await trx
      .updateTable('quote')
      .set({ status: to, updated_at: now, ...(to === 'accepted' ? { accepted_at: now } : {}) })
      .where('id', '=', id)
      .returningAll()
      .executeTakeFirstOrThrow();
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
async function createTraining(trx: Transaction<DB>, quote: Quote, now: Date): Promise<string> {
  const { training } = storedData(quote);
  const row = await trx
    .insertInto('training')
    .values({
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
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return row.id;
}

export async function advisorDecision(ctx: AppContext, actor: Actor, id: string, body: unknown, meta: RequestMeta) {
  const input = parse(advisorDecisionSchema, body);
  const now = ctx.clock.now();
  const { quote, trainingId } = await ctx.db.transaction().execute(async (trx) => {
    const { from, to } = await transition(trx, actor, id, input.decision, 'advisor', { version: input.version, reason: input.reason });
    const reference = to === 'approved' ? agreementReference(id, parisDay(now)) : null;
    const row = await trx
      .updateTable('quote')
      .set({ status: to, updated_at: now, decided_at: now, decided_by: actor.accountId, ...(reference ? { agreement_reference: reference } : {}) })
      .where('id', '=', id)
      .returningAll()
      .executeTakeFirstOrThrow();
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
