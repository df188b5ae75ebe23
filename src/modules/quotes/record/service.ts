/**
 * A quote as each of its three parties reads it: the organisation sees its work as it stands, the
 * candidate and the advisor the last version submitted to them; warnings are computed at read
 * time by the rules. Changes live in the sub-domains (editor, decision); this is what they all
 * answer with.
 */
import type { Transaction } from 'kysely';
import type { AppContext, RequestMeta } from '../../../context.js';
import type { Candidate, DB, Quote } from '../../../db/schema.js';
import type { Actor } from '../../habilitations/policy.js';
import { parisDay } from '../../onboarding/rules.js';
import { guardCandidateAccess } from '../../security/bulk-access.js';
import { transitionFor, type QuoteAction } from '../rules/lifecycle.js';
import { DEFAULT_QUOTE_SETTINGS, validateQuote, type Finding } from '../rules/quote-rules.js';
import { quoteFor, type QuoteParty } from './access.js';
import { quoteInputOf, quoteView } from './quote-json.js';
import { findCandidateById, findOrganisation, lastFrozenVersion, otherOpenPeriods, timelineOf, trainingIdOf } from './repository.js';
import { recordQuoteAudit } from './timeline.js';

type Db = AppContext['db'] | Transaction<DB>;

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

/** The warnings of a quote (findings that do not block its submission). */
export async function warningsOf(ctx: AppContext, db: Db, quote: Quote, candidate: Candidate): Promise<Finding[]> {
  return (await findingsOf(ctx, db, quote, candidate)).filter((f) => f.severity === 'warning');
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
  const warnings = party === 'candidate' ? [] : await warningsOf(ctx, ctx.db, quote, candidate);
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
  const frozen = await lastFrozenVersion(ctx.db, quote.id);
  return frozen ? { ...quote, type: frozen.type, candidate_id: frozen.candidate_id, data: frozen.data, version: frozen.version } : quote;
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
