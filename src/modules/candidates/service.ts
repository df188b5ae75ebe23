/**
 * Candidates (docs/product/quotes.md#candidates): advisors register and look them up, every advisor
 * read is audited (personal data of job seekers), a candidate reads their own profile.
 */
import type { AppContext, RequestMeta } from '../../context.js';
import type { Candidate } from '../../db/schema.js';
import { problems } from '../../http/problem.js';
import { byActor, recordAudit } from '../audit/service.js';
import { guardCandidateViews, guardRegisterLookup } from '../security/bulk-access.js';
import type { Actor } from '../habilitations/policy.js';
import { findByAccount, findByIdentifier, insertCandidate, quotesOfCandidate, searchCandidates } from './repository.js';
import type { QuoteStatus } from '../quotes/rules/lifecycle.js';
import type { QuoteType } from '../quotes/rules/quote-schema.js';
import { CANDIDATE_NOT_FOUND, type CandidateInput } from './schemas.js';

const DUPLICATE = 'Un candidat avec cet identifiant est déjà enregistré : recherchez-le plutôt que de le créer à nouveau.';

export function candidateView(c: Candidate) {
  return { identifier: c.identifier, lastName: c.last_name, firstName: c.first_name, birthDate: c.birth_date, email: c.email };
}

const auditBase = (actor: Actor, meta: RequestMeta, at: Date) => ({
  at,
  ...byActor(actor, meta),
  organisationId: actor.organisation?.id ?? null,
});

export async function registerCandidate(ctx: AppContext, actor: Actor, input: CandidateInput, meta: RequestMeta) {
  // "Already registered" answers whether the person is in the register: the look-up counts.
  const existing = await findByIdentifier(ctx.db, input.identifier);
  await guardRegisterLookup(ctx, actor, [{ identifier: input.identifier, candidateId: existing?.id ?? null }], meta);
  const now = ctx.clock.now();
  try {
    return await ctx.db.transaction().execute(async (trx) => {
      if (await findByIdentifier(trx, input.identifier)) throw problems.conflict(DUPLICATE);
      const row = await insertCandidate(trx, {
        identifier: input.identifier,
        last_name: input.lastName,
        first_name: input.firstName,
        birth_date: input.birthDate,
        email: input.email,
        account_id: null,
        created_at: now,
        created_by: actor.accountId,
      });
      await recordAudit(trx, { ...auditBase(actor, meta, now), action: 'candidate.created', target: { type: 'candidate', id: row.id }, details: { identifier: row.identifier } });
      return row;
    });
  } catch (err) {
    // Two advisors registering the same person at once: the unique index decides.
    if ((err as { code?: string })?.code === '23505') throw problems.conflict(DUPLICATE);
    throw err;
  }
}

/** One audit row per candidate shown, so a candidate's access history is a query on target_id. */
async function auditViews(ctx: AppContext, actor: Actor, rows: Candidate[], meta: RequestMeta, via: 'search' | 'file') {
  const now = ctx.clock.now();
  // The count and the audit rows in one statement (decision 0050).
  await guardCandidateViews(
    ctx,
    actor,
    rows.map((c) => c.id),
    meta,
    rows.map((c) => ({ ...auditBase(actor, meta, now), action: 'candidate.viewed', target: { type: 'candidate', id: c.id }, details: { identifier: c.identifier, via } })),
  );
}

export async function searchForAdvisor(ctx: AppContext, actor: Actor, q: string, meta: RequestMeta) {
  const rows = await searchCandidates(ctx.db, q);
  // A search that finds nobody still tells that nobody matches: it counts as one look-up.
  if (rows.length === 0) await guardRegisterLookup(ctx, actor, [{ identifier: q, candidateId: null }], meta);
  await auditViews(ctx, actor, rows, meta, 'search');
  return rows.map(candidateView);
}

/** `identifier` is normalised and well-formed (the route's params schema). */
export async function candidateFile(ctx: AppContext, actor: Actor, identifier: string, meta: RequestMeta) {
  const row = await findByIdentifier(ctx.db, identifier);
  if (!row) {
    // A 404 tells as much as a 200 about who is registered: counted alike.
    await guardRegisterLookup(ctx, actor, [{ identifier, candidateId: null }], meta);
    throw problems.notFound(CANDIDATE_NOT_FOUND);
  }
  await auditViews(ctx, actor, [row], meta, 'file');
  const quotes = (await quotesOfCandidate(ctx.db, row.id)).map((q) => {
    const training = (q.data as { training?: { title?: string; startDate?: string; endDate?: string } }).training ?? {};
    return {
      id: q.id,
      status: q.status as QuoteStatus,
      type: q.type as QuoteType,
      version: q.version,
      organisation: { id: q.organisation_id, name: q.organisation_name },
      title: training.title ?? null,
      startDate: training.startDate ?? null,
      endDate: training.endDate ?? null,
      updatedAt: q.updated_at.toISOString(),
    };
  });
  // Always empty: the follow-up is read through /api/v1/trainings, which applies the advisor's
  // scope (docs/decisions/0009-training-follow-up-scope.md); the field stays for the JSON contract.
  return { ...candidateView(row), quotes, trainings: [] as never[] };
}

export async function ownProfile(ctx: AppContext, actor: Actor) {
  const row = await findByAccount(ctx.db, actor.accountId);
  if (!row) throw problems.notFound('Aucun dossier candidat n’est rattaché à votre compte. Contactez votre conseiller.');
  return candidateView(row);
}
