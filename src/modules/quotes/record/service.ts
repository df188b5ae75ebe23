/**
 * Quotes as their organisation works on them: drafts, submission, cancel,
 * new version after a change request, and reading a quote as any of its three parties. The pure
 * core (shape, rules, lifecycle, money) decides; this module loads, locks, stores, records the
 * timeline and audits, each change and its audit row in one transaction.
 * The candidate's and the advisor's decisions live in decision-service.ts.
 */
import type { Transaction } from 'kysely';
import type { AppContext, RequestMeta } from '../../../context.js';
import type { Candidate, DB, Quote } from '../../../db/schema.js';
import { problems } from '../../../http/problem.js';
import type { Actor } from '../../habilitations/policy.js';
import { parisDay } from '../../onboarding/rules.js';
import { guardCandidateAccess } from '../../security/bulk-access.js';
import { applyTransition, transitionFor, type QuoteAction, type QuoteStatus } from '../rules/lifecycle.js';
import { CANDIDATE_UNMATCHED, QUOTE_NOT_FOUND, notADraft, staleVersion } from './messages.js';
import { submittedMail } from './mails.js';
import { quoteFor, type QuoteParty } from './access.js';
import { costsToStored, findingView, quoteInputOf, quoteView, storedData, type StoredQuoteData } from './quote-json.js';
import type { QuoteInput, QuotePatch } from '../rules/quote-schema.js';
import { findCandidateById, findOrganisation, lockOwnQuote, otherOpenPeriods, timelineOf, trainingIdOf } from './repository.js';
import { DEFAULT_QUOTE_SETTINGS, validateQuote, type Finding } from '../rules/quote-rules.js';
import { recordEvent, recordQuoteAudit } from './timeline.js';

export { QUOTE_NOT_FOUND, CANDIDATE_UNMATCHED } from './messages.js';

type Db = AppContext['db'] | Transaction<DB>;

/** Accents, case, apostrophes and spacing vary between letters and forms; the person does not. */
export function comparableName(name: string): string {
  return name.normalize('NFD').replace(/\p{M}/gu, '').replace(/’/g, "'").replace(/[\s-]+/g, ' ').trim().toLowerCase();
}

async function resolveCandidate(db: Db, section: QuoteInput['candidate']): Promise<Candidate> {
  const row = await db.selectFrom('candidate').selectAll().where('identifier', '=', section.identifier).executeTakeFirst();
  if (!row || row.birth_date !== section.birthDate || comparableName(row.last_name) !== comparableName(section.lastName)) {
    throw problems.invalid([{ field: 'candidate', code: 'candidate_unmatched', message: CANDIDATE_UNMATCHED }]);
  }
  return row;
}

function organisationOf(actor: Actor): string {
  // quote_editor is a training-provider habilitation: an actor without organisation is a bug.
  if (!actor.organisation) throw problems.forbidden();
  return actor.organisation.id;
}

/** Everything the rules need besides the quote (see QuoteRuleContext). */
export async function findingsOf(ctx: AppContext, db: Db, quote: Quote, candidate: Candidate): Promise<Finding[]> {
  const org = await findOrganisation(db, quote.organisation_id);
  return validateQuote(quoteInputOf(quote, candidate), {
    today: parisDay(ctx.clock.now()),
    ...DEFAULT_QUOTE_SETTINGS,
    organisationQualiopiExpiry: org.qualiopi ? org.qualiopi_expiry : null,
    otherOpenPeriods: await otherOpenPeriods(db, candidate.id, quote.id),
  });
}

const CANDIDATE_SEES_ACTOR: Record<string, string> = {
  organisation: 'l’organisme de formation',
  candidate: 'vous',
  advisor: 'votre conseiller',
  system: 'traitement automatique',
};

/**
 * The quote as `party` sees it: warnings computed now (for the organisation and the advisor),
 * the timeline, the training record once approved. A candidate is not shown staff logins.
 */
export async function viewOf(ctx: AppContext, current: Quote, party: QuoteParty = 'organisation') {
  const quote = party === 'organisation' ? current : await lastShownVersion(ctx, current);
  const [candidate, org, timeline, trainingId] = await Promise.all([
    findCandidateById(ctx.db, quote.candidate_id),
    findOrganisation(ctx.db, quote.organisation_id),
    timelineOf(ctx.db, quote.id),
    trainingIdOf(ctx.db, quote.id),
  ]);
  const warnings = party === 'candidate' ? [] : (await findingsOf(ctx, ctx.db, quote, candidate)).filter((f) => f.severity === 'warning');
  const shownTimeline =
    party === 'candidate'
      ? timeline.map((e) => ({ ...e, actor_login: CANDIDATE_SEES_ACTOR[transitionFor(e.action as QuoteAction)?.actor ?? 'organisation'] ?? null }))
      : timeline;
  return quoteView(quote, candidate, { id: org.id, name: org.name }, { warnings, timeline: shownTimeline, trainingId });
}
export type QuoteViewJson = Awaited<ReturnType<typeof viewOf>>;

/**
 * While the organisation prepares a new version (a draft after a change request), the candidate
 * and the advisor keep seeing the last version submitted to them, not the work in progress;
 * the status (draft) tells them a new version is coming.
 */
async function lastShownVersion(ctx: AppContext, quote: Quote): Promise<Quote> {
  if (quote.status !== 'draft') return quote;
  const frozen = await ctx.db
    .selectFrom('quote_version')
    .selectAll()
    .where('quote_id', '=', quote.id)
    .orderBy('version', 'desc')
    .limit(1)
    .executeTakeFirst();
  return frozen ? { ...quote, type: frozen.type, candidate_id: frozen.candidate_id, data: frozen.data, version: frozen.version } : quote;
}

export async function createQuote(ctx: AppContext, actor: Actor, input: QuoteInput, meta: RequestMeta, options: { templateId?: string } = {}) {
  const organisationId = organisationOf(actor);
  const now = ctx.clock.now();
  const quote = await ctx.db.transaction().execute(async (trx) => {
    const candidate = await resolveCandidate(trx, input.candidate);
    const data: StoredQuoteData = { training: input.training, costs: costsToStored(input.costs), poei: input.poei };
    const row = await trx
      .insertInto('quote')
      .values({ organisation_id: organisationId, candidate_id: candidate.id, type: input.type, data: JSON.stringify(data), created_at: now, updated_at: now, created_by: actor.accountId })
      .returningAll()
      .executeTakeFirstOrThrow();
    await recordEvent(trx, { quote: row, actor, at: now, action: 'create', from: null, to: 'draft' });
    await recordQuoteAudit(trx, { quote: row, actor, meta, at: now, action: 'quote.created', details: { type: row.type, candidate: candidate.identifier, template: options.templateId ?? null } });
    return row;
  });
  return viewOf(ctx, quote);
}

/**
 * Reads a quote as whichever party the actor is. Another organisation's quote, someone else's
 * quote and an unknown id give the same 404. Views by the advisor and the candidate are audited
 * (every view of a candidate's personal data by someone outside the owning organisation,
 * docs/product/security.md#personal-data-views). Every staff read counts towards the account's
 * bulk-access threshold.
 */
export async function getQuote(ctx: AppContext, actor: Actor, id: string, meta: RequestMeta) {
  const { quote, party } = await quoteFor(ctx.db, actor, id);
  await guardCandidateAccess(ctx, actor, [quote.candidate_id], meta);
  if (party !== 'organisation') {
    await ctx.db.transaction().execute((trx) =>
      recordQuoteAudit(trx, { quote, actor, meta, at: ctx.clock.now(), action: 'quote.viewed', details: { party, version: quote.version } }),
    );
  }
  return viewOf(ctx, quote, party);
}

/** Applies the given sections, each replacing its stored counterpart; only a draft changes (submitted versions are immutable). */
export async function patchQuote(ctx: AppContext, actor: Actor, id: string, patch: QuotePatch, meta: RequestMeta) {
  const organisationId = organisationOf(actor);
  const now = ctx.clock.now();
  const quote = await ctx.db.transaction().execute(async (trx) => {
    const current = await lockOwnQuote(trx, organisationId, id);
    if (!current) throw problems.notFound(QUOTE_NOT_FOUND);
    if (current.status !== 'draft') throw problems.conflict(notADraft(current.status));
    const candidateId = patch.candidate ? (await resolveCandidate(trx, patch.candidate)).id : current.candidate_id;
    const old = storedData(current);
    const data: StoredQuoteData = {
      training: patch.training ?? old.training,
      costs: patch.costs ? costsToStored(patch.costs) : old.costs,
      poei: patch.poei !== undefined ? patch.poei : old.poei,
    };
    const row = await trx
      .updateTable('quote')
      .set({ type: patch.type ?? current.type, candidate_id: candidateId, data: JSON.stringify(data), updated_at: now })
      .where('id', '=', id)
      .returningAll()
      .executeTakeFirstOrThrow();
    await recordQuoteAudit(trx, { quote: row, actor, meta, at: now, action: 'quote.updated', details: { sections: Object.keys(patch), version: row.version } });
    return row;
  });
  return viewOf(ctx, quote);
}

/**
 * Locks the organisation's quote and applies `action`, refusing with a 409 (French detail) when
 * the lifecycle does not allow it or the caller decided on an older version than the current one.
 */
async function transitionOwn(
  ctx: AppContext,
  trx: Transaction<DB>,
  actor: Actor,
  id: string,
  action: QuoteAction,
  expectedVersion?: number,
): Promise<{ current: Quote; from: QuoteStatus; to: QuoteStatus }> {
  const current = await lockOwnQuote(trx, organisationOf(actor), id);
  if (!current) throw problems.notFound(QUOTE_NOT_FOUND);
  if (expectedVersion !== undefined && expectedVersion !== current.version) throw problems.conflict(staleVersion(expectedVersion, current.version));
  const from = current.status as QuoteStatus;
  const t = applyTransition(from, action, 'organisation');
  if (!t.ok) throw problems.conflict(t.message);
  return { current, from, to: t.to };
}

/** draft → submitted when no blocking error remains (otherwise 422 listing every one); the version is frozen and the candidate mailed. */
export async function submitQuote(ctx: AppContext, actor: Actor, id: string, meta: RequestMeta) {
  const now = ctx.clock.now();
  const quote = await ctx.db.transaction().execute(async (trx) => {
    const { current, from, to } = await transitionOwn(ctx, trx, actor, id, 'submit');
    const candidate = await findCandidateById(trx, current.candidate_id);
    const errors = (await findingsOf(ctx, trx, current, candidate)).filter((f) => f.severity === 'error');
    if (errors.length > 0) {
      throw problems.invalid(errors.map(findingView), 'Le devis ne peut pas être soumis : corrigez les champs indiqués puis soumettez-le à nouveau.');
    }
    const row = await trx
      .updateTable('quote')
      .set({ status: to, updated_at: now, submitted_at: now, reminded_at: null, accepted_at: null })
      .where('id', '=', id)
      .returningAll()
      .executeTakeFirstOrThrow();
    await trx.insertInto('quote_version').values({ quote_id: id, version: row.version, type: row.type, candidate_id: row.candidate_id, data: JSON.stringify(row.data), submitted_at: now }).execute();
    await recordEvent(trx, { quote: row, actor, at: now, action: 'submit', from, to });
    await recordQuoteAudit(trx, { quote: row, actor, meta, at: now, action: 'quote.submitted', details: { from, to, version: row.version } });
    await submittedMail(ctx, trx, now, row, candidate, actor.organisation!.name);
    return row;
  });
  return viewOf(ctx, quote);
}

/** Withdrawn by the organisation before any decision by the advisor. */
export async function cancelQuote(ctx: AppContext, actor: Actor, id: string, meta: RequestMeta, options: { reason?: string | null; version?: number } = {}) {
  const now = ctx.clock.now();
  const quote = await ctx.db.transaction().execute(async (trx) => {
    const { from, to } = await transitionOwn(ctx, trx, actor, id, 'cancel', options.version);
    const row = await trx.updateTable('quote').set({ status: to, updated_at: now }).where('id', '=', id).returningAll().executeTakeFirstOrThrow();
    await recordEvent(trx, { quote: row, actor, at: now, action: 'cancel', from, to, comment: options.reason ?? null });
    await recordQuoteAudit(trx, { quote: row, actor, meta, at: now, action: 'quote.cancelled', details: { from, to, version: row.version } });
    return row;
  });
  return viewOf(ctx, quote);
}

/**
 * After a change request, a new draft version opens, carrying the advisor's comment in its
 * timeline entry; the previous version stays frozen in quote_version.
 */
export async function newQuoteVersion(ctx: AppContext, actor: Actor, id: string, meta: RequestMeta) {
  const now = ctx.clock.now();
  const quote = await ctx.db.transaction().execute(async (trx) => {
    const { current, from, to } = await transitionOwn(ctx, trx, actor, id, 'new_version');
    const request = await trx
      .selectFrom('quote_event')
      .select('comment')
      .where('quote_id', '=', id)
      .where('action', '=', 'request_changes')
      .orderBy('seq', 'desc')
      .limit(1)
      .executeTakeFirst();
    const row = await trx
      .updateTable('quote')
      .set({ status: to, version: current.version + 1, updated_at: now, submitted_at: current.submitted_at })
      .where('id', '=', id)
      .returningAll()
      .executeTakeFirstOrThrow();
    await recordEvent(trx, { quote: row, actor, at: now, action: 'new_version', from, to, comment: request?.comment ?? null });
    await recordQuoteAudit(trx, { quote: row, actor, meta, at: now, action: 'quote.new_version', details: { from, to, version: row.version } });
    return row;
  });
  return viewOf(ctx, quote);
}
