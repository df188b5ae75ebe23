/**
 * The advisor's queue of quotes waiting for a decision and the candidate's list of their quotes
 * (see docs/product/quotes.md#advisor-queue). Every filter, the order and the page are applied
 * in SQL, on the warnings stored with each quote: no rule runs on a read.
 */
import type { AppContext, RequestMeta } from '../../../context.js';
import { DAY_MS } from '../../../jobs/recurring.js';
import { problems } from '../../../http/problem.js';
import { byActor } from '../../audit/service.js';
import type { Actor } from '../../habilitations/policy.js';
import { guardCandidateViews } from '../../security/bulk-access.js';
import type { QuoteStatus } from '../rules/lifecycle.js';
import { storedData } from '../record/quote-json.js';
import { PAGE_SIZE } from '../record/repository.js';
import { fillMissingWarnings } from '../record/stored-warnings.js';
import { providerOrganisations, queuedQuotes, quotesOfCandidateAccount } from './repository.js';
import type { QueueQuery } from './schemas.js';

/** Waiting time counts from the candidate's acceptance (from submission for other statuses). */
export async function advisorQueue(ctx: AppContext, actor: Actor, filters: QueueQuery, meta: RequestMeta) {
  const now = ctx.clock.now();
  // Quotes written outside the application (SQL imports) get their warnings before being filtered on them.
  await fillMissingWarnings(ctx.db, { versions: false });
  const { total, rows } = await queuedQuotes(
    ctx.db,
    {
      status: filters.status,
      organisation: filters.organisation,
      startFrom: filters.startFrom,
      startTo: filters.startTo,
      waitingSinceBefore: filters.minWaitingDays !== undefined ? new Date(now.getTime() - filters.minWaitingDays * DAY_MS) : undefined,
      warnings: filters.warnings,
      registeredBy: filters.mine ? actor.accountId : undefined,
    },
    { limit: PAGE_SIZE, offset: (filters.page - 1) * PAGE_SIZE },
  );
  // The queue shows candidates' names: a view of personal data, counted and audited in one statement.
  await guardCandidateViews(ctx, actor, rows.map((row) => row.candidate_id), meta, [
    { at: now, ...byActor(actor, meta), organisationId: actor.organisation?.id ?? null, action: 'quote.queue_viewed', details: { status: filters.status, shown: rows.length } },
  ]);
  return {
    page: filters.page,
    pageSize: PAGE_SIZE,
    total,
    quotes: rows.map((row) => {
      const { training } = storedData(row);
      const since = row.accepted_at ?? row.submitted_at!;
      return {
        id: row.id,
        type: row.type,
        status: row.status as QuoteStatus,
        version: row.version,
        organisation: { id: row.organisation_id, name: row.organisation_name },
        candidate: { identifier: row.candidate_identifier, lastName: row.candidate_last_name, firstName: row.candidate_first_name },
        title: training.title,
        startDate: training.startDate,
        endDate: training.endDate,
        waitingSince: since.toISOString(),
        waitingDays: Math.floor((now.getTime() - since.getTime()) / DAY_MS),
        warnings: (row.warnings ?? []).map((w) => ({ field: w.field, code: w.code, message: w.message })),
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
