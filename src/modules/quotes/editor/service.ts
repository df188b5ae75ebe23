/**
 * Quotes as their organisation works on them: drafts (whole, or started from a template),
 * submission, cancel, new version after a change request, and the organisation's list. The pure
 * core (shape, rules, lifecycle, money) decides; this loads, locks, stores, records the timeline
 * and audits, each change and its audit row in one transaction. Input arrives validated by the
 * route's schema (schemas.ts).
 */
import type { Transaction } from 'kysely';
import type { AppContext, RequestMeta } from '../../../context.js';
import type { Candidate, DB, Quote } from '../../../db/schema.js';
import { problems } from '../../../http/problem.js';
import { parisDay } from '../../onboarding/rules.js';
import type { Actor } from '../../habilitations/policy.js';
import { guardCandidateAccess, guardRegisterLookup } from '../../security/bulk-access.js';
import { applyTransition, type QuoteAction, type QuoteStatus } from '../rules/lifecycle.js';
import type { QuoteCreateInput, QuoteInput, QuotePatch } from '../rules/quote-schema.js';
import { submittedMail } from '../record/mails.js';
import { CANDIDATE_UNMATCHED, QUOTE_NOT_FOUND, notADraft, staleVersion } from '../record/messages.js';
import { costsToStored, findingView, storedData, type StoredQuoteData } from '../record/quote-json.js';
import { PAGE_SIZE, findCandidateById, findCandidateByIdentifier, lockOwnQuote, updateQuote, type Db } from '../record/repository.js';
import { findingsOf, viewOf } from '../record/service.js';
import { fillMissingWarnings, findingColumns } from '../record/stored-warnings.js';
import { recordEvent, recordQuoteAudit } from '../record/timeline.js';
import { getTemplate } from '../templates/service.js';
import { exportOwnQuotes, insertQuote, insertQuoteVersion, lastChangeRequestComment, listOwnQuotes, type QuoteFilters } from './repository.js';

/** Accents, case, apostrophes and spacing vary between letters and forms; the person does not. */
export function comparableName(name: string): string {
  return name.normalize('NFD').replace(/\p{M}/gu, '').replace(/’/g, "'").replace(/[\s-]+/g, ' ').trim().toLowerCase();
}

async function resolveCandidate(db: Db, section: QuoteInput['candidate']): Promise<Candidate> {
  const row = await findCandidateByIdentifier(db, section.identifier);
  if (!row || row.birth_date !== section.birthDate || comparableName(row.last_name) !== comparableName(section.lastName)) {
    throw problems.invalid([{ field: 'candidate', code: 'candidate_unmatched', message: CANDIDATE_UNMATCHED }]);
  }
  return row;
}

/**
 * Naming a candidate tells whether that person is in the register (a draft, or a refusal): the
 * look-up counts toward bulk-access detection, matched or not, before the draft is judged and
 * outside its transaction, so a refused draft still counts.
 */
async function countLookup(ctx: AppContext, actor: Actor, section: QuoteInput['candidate'], meta: RequestMeta): Promise<void> {
  const row = await findCandidateByIdentifier(ctx.db, section.identifier);
  await guardRegisterLookup(ctx, actor, [{ identifier: section.identifier, candidateId: row?.id ?? null }], meta);
}

function organisationOf(actor: Actor): string {
  // quote_editor is a training-provider habilitation: an actor without organisation is a bug.
  if (!actor.organisation) throw problems.forbidden();
  return actor.organisation.id;
}

/**
 * The quote a create request describes: as given, or with the training section (and the type,
 * unless given) of one of the organisation's templates. Sections are validated one by one and
 * stored templates hold a validated training section, so the merge is a valid quote.
 */
async function quoteToCreate(ctx: AppContext, actor: Actor, input: QuoteCreateInput): Promise<{ quote: QuoteInput; templateId?: string }> {
  const { templateId, type, training, ...rest } = input;
  // Without a template the route's schema requires both sections (quoteCreateSchema).
  if (!templateId) return { quote: { ...rest, type: type!, training: training! } };
  const template = await getTemplate(ctx, actor, templateId).catch(() => {
    throw problems.invalid([{ field: 'templateId', message: 'Modèle (templateId) : ce modèle est introuvable dans votre organisme.' }]);
  });
  return { quote: { ...rest, type: type ?? template.type, training: training ?? template.training }, templateId: template.id };
}

/** A new draft; the template it started from (`input.templateId`, or `options.templateId` for the editor form) is recorded in its audit row. */
export async function createQuote(ctx: AppContext, actor: Actor, input: QuoteCreateInput, meta: RequestMeta, options: { templateId?: string } = {}) {
  const organisationId = organisationOf(actor);
  const { quote: quoteInput, templateId = options.templateId } = await quoteToCreate(ctx, actor, input);
  await countLookup(ctx, actor, quoteInput.candidate, meta);
  const now = ctx.clock.now();
  const quote = await ctx.db.transaction().execute(async (trx) => {
    const candidate = await resolveCandidate(trx, quoteInput.candidate);
    const data: StoredQuoteData = { training: quoteInput.training, costs: costsToStored(quoteInput.costs), poei: quoteInput.poei };
    const row = await insertQuote(trx, {
      organisation_id: organisationId,
      candidate_id: candidate.id,
      type: quoteInput.type,
      data: JSON.stringify(data),
      ...findingColumns({ type: quoteInput.type, data }),
      created_at: now,
      updated_at: now,
      created_by: actor.accountId,
    });
    await recordEvent(trx, { quote: row, actor, at: now, action: 'create', from: null, to: 'draft' });
    await recordQuoteAudit(trx, { quote: row, actor, meta, at: now, action: 'quote.created', details: { type: row.type, candidate: candidate.identifier, template: templateId ?? null } });
    return row;
  });
  return viewOf(ctx, quote);
}

/** Applies the given sections, each replacing its stored counterpart; only a draft changes (submitted versions are immutable). */
export async function patchQuote(ctx: AppContext, actor: Actor, id: string, patch: QuotePatch, meta: RequestMeta) {
  const organisationId = organisationOf(actor);
  if (patch.candidate) await countLookup(ctx, actor, patch.candidate, meta);
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
    const type = patch.type ?? current.type;
    // The warnings and the error count judge the content: written with it, in the same statement.
    const row = await updateQuote(trx, id, { type, candidate_id: candidateId, data: JSON.stringify(data), ...findingColumns({ type, data }), updated_at: now });
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
    const { current, from, to } = await transitionOwn(trx, actor, id, 'submit');
    const candidate = await findCandidateById(trx, current.candidate_id);
    const errors = (await findingsOf(ctx, trx, current, candidate)).filter((f) => f.severity === 'error');
    if (errors.length > 0) {
      throw problems.invalid(errors.map(findingView), 'Le devis ne peut pas être soumis : corrigez les champs indiqués puis soumettez-le à nouveau.');
    }
    const row = await updateQuote(trx, id, { status: to, updated_at: now, submitted_at: now, reminded_at: null, accepted_at: null });
    await insertQuoteVersion(trx, row, now);
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
    const { from, to } = await transitionOwn(trx, actor, id, 'cancel', options.version);
    const row = await updateQuote(trx, id, { status: to, updated_at: now });
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
    const { current, from, to } = await transitionOwn(trx, actor, id, 'new_version');
    const comment = await lastChangeRequestComment(trx, id);
    const row = await updateQuote(trx, id, { status: to, version: current.version + 1, updated_at: now, submitted_at: current.submitted_at });
    await recordEvent(trx, { quote: row, actor, at: now, action: 'new_version', from, to, comment });
    await recordQuoteAudit(trx, { quote: row, actor, meta, at: now, action: 'quote.new_version', details: { from, to, version: row.version } });
    return row;
  });
  return viewOf(ctx, quote);
}

/** The organisation's quote list: a page of summaries. It shows candidates' names: each one counts as a read for bulk-access detection. */
export async function listQuotes(ctx: AppContext, actor: Actor, query: Omit<QuoteFilters, 'blockedOn'> & { erreurs?: 'oui' }, meta: RequestMeta) {
  if (!actor.organisation) throw problems.forbidden();
  const { erreurs, ...rest } = query;
  const filters: QuoteFilters = erreurs === 'oui' ? { ...rest, blockedOn: parisDay(ctx.clock.now()) } : rest;
  // Quotes written outside the application get their error count before being filtered on it.
  if (filters.blockedOn) await fillMissingWarnings(ctx.db, { versions: false });
  const { total, rows } = await listOwnQuotes(ctx.db, actor.organisation.id, filters);
  await guardCandidateAccess(ctx, actor, rows.map((r) => r.candidate_id), meta);
  return {
    page: filters.page,
    pageSize: PAGE_SIZE,
    total,
    quotes: rows.map((r) => {
      const { training } = r.data as unknown as StoredQuoteData;
      return {
        id: r.id,
        type: r.type,
        status: r.status as QuoteStatus,
        version: r.version,
        // Its own quote: the organisation already knows this candidate (it gave the trio).
        candidate: { identifier: r.identifier, lastName: r.last_name, birthDate: r.birth_date },
        title: training.title,
        startDate: training.startDate,
        endDate: training.endDate,
        updatedAt: r.updated_at.toISOString(),
      };
    }),
  };
}

/**
 * Every quote of the organisation's list for the same filters, `limit` at most, for the export
 * (which counts and audits it). Same access as the list: an organisation's own staff only.
 */
export async function quotesForExport(ctx: AppContext, actor: Actor, query: Omit<QuoteFilters, 'page' | 'blockedOn'> & { erreurs?: 'oui' }, limit: number) {
  if (!actor.organisation) throw problems.forbidden();
  const { erreurs, ...rest } = query;
  const filters: Omit<QuoteFilters, 'page'> = erreurs === 'oui' ? { ...rest, blockedOn: parisDay(ctx.clock.now()) } : rest;
  if (filters.blockedOn) await fillMissingWarnings(ctx.db, { versions: false });
  const rows = await exportOwnQuotes(ctx.db, actor.organisation.id, filters, limit);
  return rows.map((r) => ({
    id: r.id,
    candidateId: r.candidate_id,
    type: r.type,
    status: r.status as QuoteStatus,
    version: r.version,
    candidate: { identifier: r.identifier, lastName: r.last_name, firstName: r.first_name, birthDate: r.birth_date },
    title: r.title,
    carifOrefSession: r.session,
    startDate: r.start_date,
    endDate: r.end_date,
    centreHours: Number(r.centre_hours),
    companyHours: Number(r.company_hours),
    hourlyRateCents: Number(r.hourly_rate_cents),
    pedagogicalCents: Number(r.pedagogical_cents),
    otherCents: Number(r.other_cents),
    submittedAt: r.submitted_at,
    decidedAt: r.decided_at,
    agreementReference: r.agreement_reference,
    updatedAt: r.updated_at,
  }));
}

export type QuoteExportRow = Awaited<ReturnType<typeof quotesForExport>>[number];
