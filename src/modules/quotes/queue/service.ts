/**
 * The advisor's queue of quotes waiting for a decision and the candidate's list of their quotes
 * (see docs/product/quotes.md#advisor-queue). Warnings are computed by the rules at read time, as
 * on the quote itself.
 */
import { sql } from 'kysely';
import { z } from 'zod';
import type { AppContext, RequestMeta } from '../../../context.js';
import { fieldErrorsFrom, problems } from '../../../http/problem.js';
import { byActor, recordAudit } from '../../audit/service.js';
import type { Actor } from '../../habilitations/policy.js';
import { isRealDate } from '../../onboarding/rules.js';
import { guardCandidateAccess } from '../../security/bulk-access.js';
import { DAY_MS } from '../../../jobs/recurring.js';
import { QUOTE_STATUSES } from '../rules/lifecycle.js';
import { storedData } from '../record/quote-json.js';
import { PAGE_SIZE } from '../record/repository.js';
import { findingsOf } from '../record/service.js';

/** Beyond this many waiting quotes the warnings filter would be slow; the queue is far smaller in practice. */
const MAX_QUEUE = 2000;

const date = (label: string) =>
  z.string().refine(isRealDate, `${label} : date invalide, format aaaa-mm-jj attendu.`).optional();

export const queueQuery = z.strictObject({
  status: z.enum(QUOTE_STATUSES, { error: `Statut (status) : choisissez parmi ${QUOTE_STATUSES.join(', ')}.` }).default('accepted'),
  organisation: z.uuid({ error: 'Organisme (organisation) : identifiant invalide.' }).optional(),
  startFrom: date('Début à partir du (startFrom)'),
  startTo: date('Début jusqu’au (startTo)'),
  minWaitingDays: z.coerce
    .number({ error: 'Attente minimale (minWaitingDays) : nombre entier de jours attendu.' })
    .int('Attente minimale (minWaitingDays) : nombre entier de jours attendu.')
    .min(0, 'Attente minimale (minWaitingDays) : 0 au minimum.')
    .max(3650, 'Attente minimale (minWaitingDays) : 3 650 au maximum.')
    .optional(),
  warnings: z.enum(['with', 'without'], { error: 'Avertissements (warnings) : « with » ou « without ».' }).optional(),
  page: z.coerce.number({ error: 'Page (page) : nombre entier attendu.' }).int('Page (page) : nombre entier attendu.').min(1, 'Page (page) : 1 au minimum.').max(10_000, 'Page (page) : 10 000 au maximum.').default(1),
});
export type QueueQuery = z.output<typeof queueQuery>;

export function parseQueueQuery(value: unknown): QueueQuery {
  const parsed = queueQuery.safeParse(value ?? {});
  if (!parsed.success) throw problems.invalid(fieldErrorsFrom(parsed.error.issues));
  return parsed.data;
}

/** Waiting time counts from the candidate's acceptance (from submission for other statuses). */
export async function advisorQueue(ctx: AppContext, actor: Actor, filters: QueueQuery, meta: RequestMeta) {
  const now = ctx.clock.now();
  let q = ctx.db
    .selectFrom('quote')
    .innerJoin('candidate', 'candidate.id', 'quote.candidate_id')
    .innerJoin('organisation', 'organisation.id', 'quote.organisation_id')
    .selectAll('quote')
    .select(['organisation.name as organisation_name'])
    .where('quote.status', '=', filters.status)
    .where('quote.submitted_at', 'is not', null);
  if (filters.organisation) q = q.where('quote.organisation_id', '=', filters.organisation);
  const startDate = sql<string>`quote.data->'training'->>'startDate'`;
  if (filters.startFrom) q = q.where(startDate, '>=', filters.startFrom);
  if (filters.startTo) q = q.where(startDate, '<=', filters.startTo);
  const waitingSince = sql<Date>`coalesce(quote.accepted_at, quote.submitted_at)`;
  if (filters.minWaitingDays !== undefined) q = q.where(waitingSince, '<=', new Date(now.getTime() - filters.minWaitingDays * DAY_MS));
  const rows = await q.orderBy(waitingSince).orderBy('quote.id').limit(MAX_QUEUE).execute();

  const withWarnings = await Promise.all(
    rows.map(async (row) => {
      const candidate = await ctx.db.selectFrom('candidate').selectAll().where('id', '=', row.candidate_id).executeTakeFirstOrThrow();
      const warnings = (await findingsOf(ctx, ctx.db, row, candidate)).filter((f) => f.severity === 'warning');
      return { row, candidate, warnings };
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
        status: row.status,
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
  const rows = await ctx.db
    .selectFrom('quote')
    .innerJoin('candidate', 'candidate.id', 'quote.candidate_id')
    .innerJoin('organisation', 'organisation.id', 'quote.organisation_id')
    .selectAll('quote')
    .select('organisation.name as organisation_name')
    .where('candidate.account_id', '=', actor.accountId)
    .where('quote.submitted_at', 'is not', null)
    .orderBy('quote.updated_at', 'desc')
    .limit(200)
    .execute();
  return {
    quotes: rows.map((row) => {
      const { training } = storedData(row);
      return {
        id: row.id,
        type: row.type,
        status: row.status,
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
