/**
 * A quote as each of its three parties reads it: the organisation sees its work as it stands, the
 * candidate and the advisor the last version submitted to them. Reads run no rule: warnings are
 * stored with the content they judge (stored-warnings.ts). Changes live in the sub-domains
 * (editor, decision); this is what they all answer with.
 */
import type { Transaction } from 'kysely';
import type { AppContext, RequestMeta } from '../../../context.js';
import type { Candidate, DB, Quote, StoredWarning } from '../../../db/schema.js';
import { problems } from '../../../http/problem.js';
import type { Actor } from '../../habilitations/policy.js';
import { parisDay } from '../../onboarding/rules.js';
import { guardCandidateViews } from '../../security/bulk-access.js';
import { transitionFor, type QuoteAction } from '../rules/lifecycle.js';
import { DEFAULT_QUOTE_SETTINGS, validateQuote, type Finding } from '../rules/quote-rules.js';
import { partyOf, type QuoteParty } from './access.js';
import { QUOTE_NOT_FOUND } from './messages.js';
import { quoteInputOf, quoteView } from './quote-json.js';
import { findOrganisation, findQuoteView, otherOpenPeriods, storeMissingWarnings, type QuoteViewRow } from './repository.js';
import { warningsColumn, warningsOfStored } from './stored-warnings.js';
import { quoteAuditEntry } from './timeline.js';

type Db = AppContext['db'] | Transaction<DB>;

/** Every finding of the rules, in the context of today (submission: a write, never a read). */
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
 * The stored warnings of the content shown; a row written outside the application has none yet,
 * so they are computed once and stored (the only case where a read runs a rule).
 */
async function shownWarnings(db: Db, row: QuoteViewRow, shown: Quote): Promise<StoredWarning[]> {
  const stored = row.shown_data !== null ? row.shown_warnings : row.warnings;
  if (stored) return stored;
  await storeMissingWarnings(db, { quoteId: row.id, version: row.shown_data !== null ? shown.version : null }, warningsColumn(shown));
  return warningsOfStored(shown);
}

/**
 * The quote as `party` sees it from the row read by findQuoteView: stored warnings (for the
 * organisation and the advisor), the timeline, the training record once approved. A candidate
 * is not shown staff logins. While the organisation prepares a new version (a draft after a
 * change request), the candidate and the advisor keep seeing the last version submitted to
 * them; the status (draft) tells them a new version is coming.
 */
async function viewOfRow(db: Db, row: QuoteViewRow, party: QuoteParty) {
  const { shown_type, shown_candidate_id, shown_data, shown_version, shown_warnings: _w, candidate_identifier, candidate_last_name, candidate_birth_date, organisation_name, training_id, timeline: events, ...current } = row;
  const quote: Quote =
    shown_data !== null ? { ...current, type: shown_type!, candidate_id: shown_candidate_id!, data: shown_data, version: shown_version! } : current;
  const candidate = { identifier: candidate_identifier, last_name: candidate_last_name, birth_date: candidate_birth_date };
  // JSON carries the event's time as text.
  const timeline = (events ?? []).map((e) => ({ ...e, at: new Date(e.at) }));
  const warnings = party === 'candidate' ? [] : await shownWarnings(db, row, quote);
  const shownTimeline =
    party === 'candidate'
      ? timeline.map((e) => ({ ...e, actor_login: CANDIDATE_SEES_ACTOR[transitionFor(e.action as QuoteAction)?.actor ?? 'organisation'] ?? null }))
      : timeline;
  return quoteView(quote, candidate, { id: quote.organisation_id, name: organisation_name }, { warnings, timeline: shownTimeline, trainingId: training_id ?? null });
}

/** The quote as `party` sees it, for a caller that already holds it (it has just written it). */
export async function viewOf(ctx: AppContext, current: Quote, party: QuoteParty = 'organisation') {
  const row = await findQuoteView(ctx.db, current.id, party, null);
  if (!row) throw problems.notFound(QUOTE_NOT_FOUND);
  return viewOfRow(ctx.db, row, party);
}
export type QuoteViewJson = Awaited<ReturnType<typeof viewOf>>;

/**
 * Reads a quote as whichever party the actor is. Another organisation's quote, someone else's
 * quote and an unknown id give the same 404. Views by the advisor and the candidate are audited
 * (every view of a candidate's personal data by someone outside the owning organisation,
 * docs/product/security.md#personal-data-views). Every staff read counts towards the account's
 * bulk-access threshold.
 */
export async function getQuote(ctx: AppContext, actor: Actor, id: string, meta: RequestMeta) {
  const party = partyOf(actor);
  if (!party) throw problems.notFound(QUOTE_NOT_FOUND);
  const row = await findQuoteView(ctx.db, id, party, { party, organisationId: actor.organisation?.id ?? null, accountId: actor.accountId });
  if (!row) throw problems.notFound(QUOTE_NOT_FOUND);
  // The count and, for the advisor and the candidate, the audited view: one statement for staff.
  const audit = party === 'organisation' ? [] : [quoteAuditEntry({ quote: row, actor, meta, at: ctx.clock.now(), action: 'quote.viewed', details: { party, version: row.version } })];
  await guardCandidateViews(ctx, actor, [row.candidate_id], meta, audit);
  return viewOfRow(ctx.db, row, party);
}
