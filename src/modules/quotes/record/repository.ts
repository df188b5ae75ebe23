/**
 * Quote queries. Tenant isolation lives here: every read or write of a quote by an
 * organisation goes through a function that takes its organisation id and filters on it.
 */
import { sql, type Kysely, type Transaction } from 'kysely';
import type { DB } from '../../../db/schema.js';
import type { OpenPeriod } from '../rules/quote-rules.js';
import type { StoredQuoteData } from './quote-json.js';

type Db = Kysely<DB> | Transaction<DB>;

export const PAGE_SIZE = 20;

/** Statuses in which a quote holds the candidate's period: committed, not yet closed. */
export const OPEN_STATUSES = ['submitted', 'accepted', 'changes_requested'] as const;

export function findOwnQuote(db: Db, organisationId: string, id: string) {
  return db.selectFrom('quote').selectAll().where('id', '=', id).where('organisation_id', '=', organisationId).executeTakeFirst();
}

/** The same, row-locked for the rest of the transaction (one writer per quote). */
export function lockOwnQuote(trx: Transaction<DB>, organisationId: string, id: string) {
  return trx.selectFrom('quote').selectAll().where('id', '=', id).where('organisation_id', '=', organisationId).forUpdate().executeTakeFirst();
}

export function findCandidateById(db: Db, id: string) {
  return db.selectFrom('candidate').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
}

export function findOrganisation(db: Db, id: string) {
  return db.selectFrom('organisation').select(['id', 'name', 'qualiopi', 'qualiopi_expiry']).where('id', '=', id).executeTakeFirstOrThrow();
}

export function timelineOf(db: Db, quoteId: string) {
  return db
    .selectFrom('quote_event')
    .select(['at', 'actor_login', 'action', 'from_status', 'to_status', 'version', 'comment'])
    .where('quote_id', '=', quoteId)
    .orderBy('seq')
    .execute();
}

/**
 * The candidate's other open quotes, whatever the organisation (the overlap rule,
 * docs/product/quotes.md#validation).
 */
export async function otherOpenPeriods(db: Db, candidateId: string, exceptQuoteId: string): Promise<OpenPeriod[]> {
  const rows = await db
    .selectFrom('quote')
    .select('data')
    .where('candidate_id', '=', candidateId)
    .where('id', '!=', exceptQuoteId)
    .where('status', 'in', [...OPEN_STATUSES])
    .execute();
  return rows.map((r) => {
    const { training } = r.data as unknown as StoredQuoteData;
    return { startDate: training.startDate, endDate: training.endDate, kind: 'quote' as const };
  });
}

export interface QuoteFilters {
  status?: string;
  q?: string;
  page: number;
}

function likeEscape(text: string): string {
  return text.replace(/[\\%_]/g, (c) => `\\${c}`);
}

/** One page of the organisation's quotes, newest change first; q matches the candidate or the title. */
export async function listOwnQuotes(db: Db, organisationId: string, filters: QuoteFilters) {
  let base = db
    .selectFrom('quote')
    .innerJoin('candidate', 'candidate.id', 'quote.candidate_id')
    .where('quote.organisation_id', '=', organisationId);
  if (filters.status) base = base.where('quote.status', '=', filters.status);
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
  const [{ total }, rows] = await Promise.all([
    base.select((eb) => eb.fn.countAll<number>().as('total')).executeTakeFirstOrThrow(),
    base
      .select(['quote.id', 'quote.candidate_id', 'quote.type', 'quote.status', 'quote.version', 'quote.data', 'quote.updated_at', 'candidate.identifier', 'candidate.last_name', 'candidate.birth_date'])
      .orderBy('quote.updated_at', 'desc')
      .orderBy('quote.id')
      .limit(PAGE_SIZE)
      .offset((filters.page - 1) * PAGE_SIZE)
      .execute(),
  ]);
  return { total: Number(total), rows };
}

export async function trainingIdOf(db: Db, quoteId: string): Promise<string | null> {
  const row = await db.selectFrom('training').select('id').where('quote_id', '=', quoteId).executeTakeFirst();
  return row?.id ?? null;
}

/** The organisation's active quote editors: who hears about the candidate's and the advisor's decisions. */
export function editorEmailsOf(db: Db, organisationId: string) {
  return db
    .selectFrom('account')
    .innerJoin('habilitation', 'habilitation.account_id', 'account.id')
    .select('account.email')
    .distinct()
    .where('account.organisation_id', '=', organisationId)
    .where('account.status', '=', 'active')
    .where('habilitation.organisation_id', '=', organisationId)
    .where('habilitation.application', '=', 'kairos')
    .where('habilitation.role', '=', 'quote_editor')
    .where('habilitation.suspended_at', 'is', null)
    .where('account.email', 'is not', null)
    .execute();
}
