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

/** One page of the organisation's quotes, newest change first, and how many match; q matches the candidate or the title. */
export async function listOwnQuotes(db: Db, organisationId: string, filters: QuoteFilters) {
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
