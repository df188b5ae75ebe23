/** The advisor's queue and the candidate's list: queries only. */
import { sql } from 'kysely';
import type { Db } from '../record/repository.js';

export interface QueueFilters {
  status: string;
  organisation?: string;
  startFrom?: string;
  startTo?: string;
  /** Waiting since (acceptance, else submission) on or before this instant. */
  waitingSinceBefore?: Date;
  /** On the stored warnings: at least one, or none. */
  warnings?: 'with' | 'without';
  /** Only the candidates this account registered. */
  registeredBy?: string;
}

const waitingSince = sql<Date>`coalesce(quote.accepted_at, quote.submitted_at)`;

function queueQuery(db: Db, filters: QueueFilters) {
  // Only the quote's own columns: what the page shows is joined to its 20 rows alone.
  let q = db
    .selectFrom('quote')
    .where('quote.status', '=', filters.status)
    .where('quote.submitted_at', 'is not', null);
  if (filters.organisation) q = q.where('quote.organisation_id', '=', filters.organisation);
  const startDate = sql<string>`quote.data->'training'->>'startDate'`;
  if (filters.startFrom) q = q.where(startDate, '>=', filters.startFrom);
  if (filters.startTo) q = q.where(startDate, '<=', filters.startTo);
  if (filters.waitingSinceBefore) q = q.where(waitingSince, '<=', filters.waitingSinceBefore);
  // Stored warnings (record/stored-warnings.ts): the caller fills the missing ones first.
  if (filters.warnings === 'with') q = q.where(sql<boolean>`jsonb_array_length(quote.warnings) > 0`);
  if (filters.warnings === 'without') q = q.where(sql<boolean>`jsonb_array_length(quote.warnings) = 0`);
  if (filters.registeredBy) {
    const registeredBy = filters.registeredBy;
    q = q.where('quote.candidate_id', 'in', (eb) => eb.selectFrom('candidate').select('candidate.id').where('candidate.created_by', '=', registeredBy));
  }
  return q;
}

/**
 * One page of the submitted quotes in `status`, waiting longest first (from the candidate's
 * acceptance, else from submission), with the number of quotes matching the filters. One
 * statement: the page is chosen, and counted by a window over the same filters, on narrow rows
 * (id and waiting time), and only its 20 rows are then joined to their content and names; only a
 * page past the end needs a second statement to count.
 */
export async function queuedQuotes(db: Db, filters: QueueFilters, page: { limit: number; offset: number }) {
  const rows = await db
    .with('page', () =>
      queueQuery(db, filters)
        .select(['quote.id as page_id', waitingSince.as('since'), sql<string>`count(*) over ()`.as('total')])
        .orderBy(waitingSince)
        .orderBy('quote.id')
        .limit(page.limit)
        .offset(page.offset),
    )
    .selectFrom('page')
    .innerJoin('quote', 'quote.id', 'page.page_id')
    .innerJoin('candidate', 'candidate.id', 'quote.candidate_id')
    .innerJoin('organisation', 'organisation.id', 'quote.organisation_id')
    .select([
      'quote.id',
      'quote.type',
      'quote.status',
      'quote.version',
      'quote.data',
      'quote.warnings',
      'quote.organisation_id',
      'quote.candidate_id',
      'quote.submitted_at',
      'quote.accepted_at',
      'organisation.name as organisation_name',
      'candidate.identifier as candidate_identifier',
      'candidate.last_name as candidate_last_name',
      'candidate.first_name as candidate_first_name',
      'page.total',
    ])
    .orderBy('page.since')
    .orderBy('quote.id')
    .execute();
  if (rows.length > 0 || page.offset === 0) return { total: rows.length > 0 ? Number(rows[0]!.total) : 0, rows };
  const { total } = await queueQuery(db, filters).select((eb) => eb.fn.countAll<string>().as('total')).executeTakeFirstOrThrow();
  return { total: Number(total), rows };
}

/** The candidate's own quotes once submitted to them, newest first: all of them (a person has a handful). */
export function quotesOfCandidateAccount(db: Db, accountId: string) {
  return db
    .selectFrom('quote')
    .innerJoin('candidate', 'candidate.id', 'quote.candidate_id')
    .innerJoin('organisation', 'organisation.id', 'quote.organisation_id')
    .selectAll('quote')
    .select('organisation.name as organisation_name')
    .where('candidate.account_id', '=', accountId)
    .where('quote.submitted_at', 'is not', null)
    .orderBy('quote.updated_at', 'desc')
    .orderBy('quote.id')
    .execute();
}

/** The training organisations an advisor may filter on (the agency itself writes no quotes). */
export function providerOrganisations(db: Db): Promise<Array<{ id: string; name: string }>> {
  return db.selectFrom('organisation').select(['id', 'name']).where('kind', '=', 'training_provider').orderBy('name').execute();
}
