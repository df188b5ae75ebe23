/**
 * The advisor's queue of quotes waiting for a decision and the candidate's list of their quotes
 * (see docs/product/quotes.md#advisor-queue). Warnings are computed by the rules at read time, as
 * on the quote itself.
 */
import type { AppContext, RequestMeta } from '../../../context.js';
import { DAY_MS } from '../../../jobs/recurring.js';
import { problems } from '../../../http/problem.js';
import { byActor, recordAudit } from '../../audit/service.js';
import type { Actor } from '../../habilitations/policy.js';
import { guardCandidateAccess } from '../../security/bulk-access.js';
import type { QuoteStatus } from '../rules/lifecycle.js';
import { storedData } from '../record/quote-json.js';
import { PAGE_SIZE, findCandidateById } from '../record/repository.js';
import { warningsOf } from '../record/service.js';
import { providerOrganisations, queuedQuotes, quotesOfCandidateAccount } from './repository.js';
import type { QueueQuery } from './schemas.js';

/** Waiting time counts from the candidate's acceptance (from submission for other statuses). */
export async function advisorQueue(ctx: AppContext, actor: Actor, filters: QueueQuery, meta: RequestMeta) {
  const now = ctx.clock.now();
  const rows = await queuedQuotes(ctx.db, {
    status: filters.status,
    organisation: filters.organisation,
    startFrom: filters.startFrom,
    startTo: filters.startTo,
    waitingSinceBefore: filters.minWaitingDays !== undefined ? new Date(now.getTime() - filters.minWaitingDays * DAY_MS) : undefined,
  });
  const withWarnings = await Promise.all(
    rows.map(async (row) => {
      const candidate = await findCandidateById(ctx.db, row.candidate_id);
      return { row, candidate, warnings: await warningsOf(ctx, ctx.db, row, candidate) };
    }),
  );
  const filtered = withWarnings.filter((x) => (filters.warnings === 'with' ? x.warnings.length > 0 : filters.warnings === 'without' ? x.warnings.length === 0 : true));
  const pageRows = filtered.slice((filters.page - 1) * PAGE_SIZE, filters.page * PAGE_SIZE);
  await guardCandidateAccess(ctx, actor, pageRows.map((x) => x.candidate.id), meta);
  // The queue shows candidates' names: a view of personal data, audited.
  await ctx.db.transaction().execute((trx) =>
    recordAudit(trx, { at: now, ...byActor(actor, meta), organisationId: actor.organisation?.id ?? null, action: 'quote.queue_viewed', details: { status: filters.status, shown: pageRows.length } }),
  );
  return {
    page: filters.page,
    pageSize: PAGE_SIZE,
    total: filtered.length,
    quotes: pageRows.map(({ row, candidate, warnings }) => {
      const { training } = storedData(row);
      const since = row.accepted_at ?? row.submitted_at!;
      return {
        id: row.id,
        type: row.type,
        status: row.status as QuoteStatus,
        version: row.version,
        organisation: { id: row.organisation_id, name: row.organisation_name },
        candidate: { identifier: candidate.identifier, lastName: candidate.last_name, firstName: candidate.first_name },
        title: training.title,
        startDate: training.startDate,
        endDate: training.endDate,
        waitingSince: since.toISOString(),
        waitingDays: Math.floor((now.getTime() - since.getTime()) / DAY_MS),
        warnings: warnings.map((w) => ({ field: w.field, code: w.code, message: w.message })),
      };
    }),
  };
}

/** The candidate's own quotes once submitted to them, newest first. */
export async function candidateQuotes(ctx: AppContext, actor: Actor) {
  if (actor.kind !== 'candidate') throw problems.forbidden();
  const rows = await quotesOfCandidateAccount(ctx.db, actor.accountId);
  return {
    quotes: rows.map((row) => {
      const { training } = storedData(row);
      return {
        id: row.id,
        type: row.type,
        status: row.status as QuoteStatus,
        version: row.version,
        organisation: { id: row.organisation_id, name: row.organisation_name },
        title: training.title,
        startDate: training.startDate,
        endDate: training.endDate,
        submittedAt: row.submitted_at!.toISOString(),
      };
    }),
  };
}

/** The training organisations an advisor may filter the queue on. */
export function queueOrganisations(ctx: AppContext) {
  return providerOrganisations(ctx.db);
}
