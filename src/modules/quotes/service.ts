/**
 * Quote drafts and their submission (issue #4 items 2–3, API). The pure core (shape, rules,
 * lifecycle, money) decides; this module loads, locks, stores, records the timeline and audits,
 * each change and its audit row in one transaction.
 */
import type { Transaction } from 'kysely';
import type { AppContext, RequestMeta } from '../../context.js';
import type { Candidate, DB, Quote } from '../../db/schema.js';
import { problems } from '../../http/problem.js';
import { byActor, recordAudit } from '../audit/service.js';
import type { Actor } from '../habilitations/policy.js';
import { parisDay } from '../onboarding/rules.js';
import { applyTransition, type QuoteStatus } from './lifecycle.js';
import { costsToStored, findingView, quoteInputOf, quoteView, storedData, type StoredQuoteData } from './quote-json.js';
import type { QuoteInput, QuotePatch } from './quote-schema.js';
import { findCandidateById, findOrganisation, findOwnQuote, lockOwnQuote, otherOpenPeriods, timelineOf } from './repository.js';
import { DEFAULT_QUOTE_SETTINGS, validateQuote, type Finding } from './rules.js';

export const QUOTE_NOT_FOUND = 'Ce devis est introuvable.';
/**
 * One answer for an unknown identifier and for a name or birth date that does not match: an
 * organisation must not learn that an identifier exists (§8), only that the trio is wrong.
 */
export const CANDIDATE_UNMATCHED = 'Candidat : aucun candidat ne correspond à cet identifiant, ce nom et cette date de naissance. Vérifiez les trois sur la convocation du candidat.';

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

const auditBase = (actor: Actor, meta: RequestMeta, at: Date, quoteId: string) => ({
  at,
  ...byActor(actor, meta),
  organisationId: actor.organisation?.id ?? null,
  target: { type: 'quote', id: quoteId },
});

interface EventInput {
  quote: Pick<Quote, 'id' | 'version'>;
  actor: Actor;
  at: Date;
  action: string;
  from: QuoteStatus | null;
  to: QuoteStatus;
  comment?: string | null;
}

async function recordEvent(trx: Transaction<DB>, e: EventInput): Promise<void> {
  await trx
    .insertInto('quote_event')
    .values({ quote_id: e.quote.id, at: e.at, actor_id: e.actor.accountId, actor_login: e.actor.login, action: e.action, from_status: e.from, to_status: e.to, version: e.quote.version, comment: e.comment ?? null })
    .execute();
}

/** Everything the rules need besides the quote (see QuoteRuleContext). */
async function findingsOf(ctx: AppContext, db: Db, quote: Quote, candidate: Candidate): Promise<Finding[]> {
  const org = await findOrganisation(db, quote.organisation_id);
  return validateQuote(quoteInputOf(quote, candidate), {
    today: parisDay(ctx.clock.now()),
    ...DEFAULT_QUOTE_SETTINGS,
    organisationQualiopiExpiry: org.qualiopi ? org.qualiopi_expiry : null,
    otherOpenPeriods: await otherOpenPeriods(db, candidate.id, quote.id),
  });
}

/** The full quote as its organisation sees it: warnings computed now, timeline included. */
async function viewOf(ctx: AppContext, quote: Quote) {
  const [candidate, org, timeline] = await Promise.all([
    findCandidateById(ctx.db, quote.candidate_id),
    findOrganisation(ctx.db, quote.organisation_id),
    timelineOf(ctx.db, quote.id),
  ]);
  const warnings = (await findingsOf(ctx, ctx.db, quote, candidate)).filter((f) => f.severity === 'warning');
  return quoteView(quote, candidate, { id: org.id, name: org.name }, { warnings, timeline });
}

export async function createQuote(ctx: AppContext, actor: Actor, input: QuoteInput, meta: RequestMeta) {
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
    await recordAudit(trx, { ...auditBase(actor, meta, now, row.id), action: 'quote.created', details: { type: row.type, candidate: candidate.identifier } });
    return row;
  });
  return viewOf(ctx, quote);
}

/** Another organisation's quote and an unknown id give the same 404: existence is not leaked. */
export async function getQuote(ctx: AppContext, actor: Actor, id: string) {
  const quote = await findOwnQuote(ctx.db, organisationOf(actor), id);
  if (!quote) throw problems.notFound(QUOTE_NOT_FOUND);
  return viewOf(ctx, quote);
}

const NOT_A_DRAFT = (status: string) =>
  `Ce devis n’est plus modifiable : seul un brouillon peut l’être (statut actuel : ${status}). Rechargez la page pour voir son état actuel.`;

/** Applies the given sections, each replacing its stored counterpart; only a draft changes (submitted versions are immutable). */
export async function patchQuote(ctx: AppContext, actor: Actor, id: string, patch: QuotePatch, meta: RequestMeta) {
  const organisationId = organisationOf(actor);
  const now = ctx.clock.now();
  const quote = await ctx.db.transaction().execute(async (trx) => {
    const current = await lockOwnQuote(trx, organisationId, id);
    if (!current) throw problems.notFound(QUOTE_NOT_FOUND);
    if (current.status !== 'draft') throw problems.conflict(NOT_A_DRAFT(current.status));
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
    await recordAudit(trx, { ...auditBase(actor, meta, now, id), action: 'quote.updated', details: { sections: Object.keys(patch), version: row.version } });
    return row;
  });
  return viewOf(ctx, quote);
}

/** draft → submitted when no blocking error remains; otherwise 422 listing every one. */
export async function submitQuote(ctx: AppContext, actor: Actor, id: string, meta: RequestMeta) {
  const organisationId = organisationOf(actor);
  const now = ctx.clock.now();
  const quote = await ctx.db.transaction().execute(async (trx) => {
    const current = await lockOwnQuote(trx, organisationId, id);
    if (!current) throw problems.notFound(QUOTE_NOT_FOUND);
    const from = current.status as QuoteStatus;
    const t = applyTransition(from, 'submit', 'organisation');
    if (!t.ok) throw problems.conflict(t.message);
    const candidate = await findCandidateById(trx, current.candidate_id);
    const errors = (await findingsOf(ctx, trx, current, candidate)).filter((f) => f.severity === 'error');
    if (errors.length > 0) {
      throw problems.invalid(errors.map(findingView), 'Le devis ne peut pas être soumis : corrigez les champs indiqués puis soumettez-le à nouveau.');
    }
    const row = await trx.updateTable('quote').set({ status: t.to, updated_at: now }).where('id', '=', id).returningAll().executeTakeFirstOrThrow();
    await recordEvent(trx, { quote: row, actor, at: now, action: 'submit', from, to: t.to });
    await recordAudit(trx, { ...auditBase(actor, meta, now, id), action: 'quote.submitted', details: { from, to: t.to, version: row.version } });
    return row;
  });
  return viewOf(ctx, quote);
}
