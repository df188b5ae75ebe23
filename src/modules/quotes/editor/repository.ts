/** The organisation's drafts and their submission: queries only, each scoped by the caller (service). */
import { sql, type Insertable, type Transaction } from 'kysely';
import type { DB, QuoteTable } from '../../../db/schema.js';
import { PAGE_SIZE, type Db } from '../record/repository.js';
import { blockedDraft } from '../record/blocking-errors.js';
import { warningsColumn } from '../record/stored-warnings.js';

export function insertQuote(trx: Transaction<DB>, row: Insertable<QuoteTable>) {
  return trx.insertInto('quote').values(row).returningAll().executeTakeFirstOrThrow();
}

/** Freezes a submitted version with its warnings (quote_version rows are never changed). */
export async function insertQuoteVersion(trx: Transaction<DB>, quote: { id: string; version: number; type: 'AIF' | 'POEI'; candidate_id: string; data: unknown }, submittedAt: Date) {
  await trx
    .insertInto('quote_version')
    .values({
      quote_id: quote.id,
      version: quote.version,
      type: quote.type,
      candidate_id: quote.candidate_id,
      data: JSON.stringify(quote.data),
      warnings: warningsColumn(quote),
      submitted_at: submittedAt,
    })
    .execute();
}

/** The advisor's comment of the last change request, carried into the new version's timeline entry. */
export async function lastChangeRequestComment(trx: Transaction<DB>, quoteId: string): Promise<string | null> {
  const row = await trx
    .selectFrom('quote_event')
    .select('comment')
    .where('quote_id', '=', quoteId)
    .where('action', '=', 'request_changes')
    .orderBy('seq', 'desc')
    .limit(1)
    .executeTakeFirst();
  return row?.comment ?? null;
}

export interface QuoteFilters {
  status?: string;
  q?: string;
  /** Only the drafts `submit` would refuse on this Paris day (blocking-errors.ts). */
  blockedOn?: string;
  page: number;
}

function likeEscape(text: string): string {
  return text.replace(/[\\%_]/g, (c) => `\\${c}`);
}

/** The organisation's quotes matching the list's filters (the list and its export share it); q matches the candidate or the title. */
function ownQuotes(db: Db, organisationId: string, filters: Omit<QuoteFilters, 'page'>) {
  let base = db
    .selectFrom('quote')
    .innerJoin('candidate', 'candidate.id', 'quote.candidate_id')
    .where('quote.organisation_id', '=', organisationId);
  if (filters.status) base = base.where('quote.status', '=', filters.status);
  if (filters.blockedOn) base = base.where(blockedDraft(filters.blockedOn));
  if (filters.q) {
    const pattern = `%${likeEscape(filters.q.toLowerCase())}%`;
    base = base.where((eb) =>
      eb.or([
        eb('candidate.identifier', 'like', `${likeEscape(filters.q!.toUpperCase())}%`),
        eb(eb.fn('lower', ['candidate.last_name']), 'like', pattern),
        eb(sql<string>`lower(quote.data->'training'->>'title')`, 'like', pattern),
      ]),
    );
  }
  return base;
}

/**
 * Every quote of the list's filters, in the list's order, `limit` at most: the export's rows.
 * Only the fields a spreadsheet shows are read out of the JSON, so a large export stays small.
 */
export function exportOwnQuotes(db: Db, organisationId: string, filters: Omit<QuoteFilters, 'page'>, limit: number) {
  return ownQuotes(db, organisationId, filters)
    .select(['quote.id', 'quote.candidate_id', 'quote.type', 'quote.status', 'quote.version', 'quote.updated_at', 'quote.submitted_at', 'quote.decided_at', 'quote.agreement_reference'])
    .select(['candidate.identifier', 'candidate.last_name', 'candidate.first_name', 'candidate.birth_date'])
    .select([
      sql<string>`quote.data->'training'->>'title'`.as('title'),
      sql<string>`quote.data->'training'->>'carifOrefSession'`.as('session'),
      sql<string>`quote.data->'training'->>'startDate'`.as('start_date'),
      sql<string>`quote.data->'training'->>'endDate'`.as('end_date'),
      sql<number>`(quote.data->'training'->>'centreHours')::numeric`.as('centre_hours'),
      sql<number>`(quote.data->'training'->>'companyHours')::numeric`.as('company_hours'),
      sql<number>`(quote.data->'costs'->>'hourlyRateCents')::bigint`.as('hourly_rate_cents'),
      sql<number>`(quote.data->'costs'->>'pedagogicalCostCents')::bigint`.as('pedagogical_cents'),
      sql<number>`coalesce((select sum((l->>'amountCents')::bigint) from jsonb_array_elements(quote.data->'costs'->'otherLines') l), 0)`.as('other_cents'),
    ])
    .orderBy('quote.updated_at', 'desc')
    .orderBy('quote.id')
    .limit(limit)
    .execute();
}

/** One page of the organisation's quotes, newest change first, and how many match. */
export async function listOwnQuotes(db: Db, organisationId: string, filters: QuoteFilters) {
  const base = ownQuotes(db, organisationId, filters);
  // The count rides along each row (a window over the same filters): one statement per page;
  // only a page past the end needs a second one to count.
  const rows = await base
    .select(['quote.id', 'quote.candidate_id', 'quote.type', 'quote.status', 'quote.version', 'quote.data', 'quote.updated_at', 'candidate.identifier', 'candidate.last_name', 'candidate.birth_date'])
    .select(sql<string>`count(*) over ()`.as('total'))
    .orderBy('quote.updated_at', 'desc')
    .orderBy('quote.id')
    .limit(PAGE_SIZE)
    .offset((filters.page - 1) * PAGE_SIZE)
    .execute();
  if (rows.length > 0 || filters.page === 1) return { total: rows.length > 0 ? Number(rows[0]!.total) : 0, rows };
  const { total } = await base.select((eb) => eb.fn.countAll<string>().as('total')).executeTakeFirstOrThrow();
  return { total: Number(total), rows };
}
