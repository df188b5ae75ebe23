/** The advisor's queue and the candidate's list: queries only. */
import { sql } from 'kysely';
import type { Db } from '../record/repository.js';

/** Beyond this many waiting quotes the warnings filter would be slow; the queue is far smaller in practice. */
export const MAX_QUEUE = 2000;

export interface QueueFilters {
  status: string;
  organisation?: string;
  startFrom?: string;
  startTo?: string;
  /** Waiting since (acceptance, else submission) on or before this instant. */
  waitingSinceBefore?: Date;
}

/** Submitted quotes in `status`, waiting longest first (from the candidate's acceptance, else from submission). */
export function queuedQuotes(db: Db, filters: QueueFilters) {
  let q = db
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
  if (filters.waitingSinceBefore) q = q.where(waitingSince, '<=', filters.waitingSinceBefore);
  return q.orderBy(waitingSince).orderBy('quote.id').limit(MAX_QUEUE).execute();
}

/** The candidate's own quotes once submitted to them, newest first. */
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
    .limit(200)
    .execute();
}

/** The training organisations an advisor may filter on (the agency itself writes no quotes). */
export function providerOrganisations(db: Db): Promise<Array<{ id: string; name: string }>> {
  return db.selectFrom('organisation').select(['id', 'name']).where('kind', '=', 'training_provider').orderBy('name').execute();
}
