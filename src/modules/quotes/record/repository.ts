/**
 * Quote queries shared by the sub-domains. Tenant isolation lives here: every read or write of a
 * quote by an organisation goes through a function that takes its organisation id and filters on it.
 */
import { sql, type Insertable, type Kysely, type Transaction, type Updateable } from 'kysely';
import { jsonArrayFrom } from 'kysely/helpers/postgres';
import { compiledOnce } from '../../../db/compiled-once.js';
import type { DB, QuoteEventTable, QuoteTable } from '../../../db/schema.js';
import type { OpenPeriod } from '../rules/quote-rules.js';
import type { StoredQuoteData } from './quote-json.js';

export type Db = Kysely<DB> | Transaction<DB>;

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

/** Updates a quote the caller has locked and returns it as stored. */
export function updateQuote(trx: Transaction<DB>, id: string, changes: Updateable<QuoteTable>) {
  return trx.updateTable('quote').set(changes).where('id', '=', id).returningAll().executeTakeFirstOrThrow();
}

export interface PartyScope {
  party: 'organisation' | 'advisor' | 'candidate';
  /** The organisation's id, for the organisation party. */
  organisationId: string | null;
  /** The candidate's account, for the candidate party. */
  accountId: string;
}

/**
 * The quote as one party may reach it: its own organisation's, or (advisor, candidate) once
 * submitted, and for a candidate only their own. `lock` takes the row lock for a decision.
 */
export function findQuoteForParty(db: Db, id: string, scope: PartyScope, lock: boolean) {
  let query = db.selectFrom('quote').selectAll('quote').where('quote.id', '=', id);
  if (scope.party === 'organisation') query = query.where('quote.organisation_id', '=', scope.organisationId!);
  if (scope.party !== 'organisation') query = query.where('quote.submitted_at', 'is not', null);
  if (scope.party === 'candidate') {
    query = query.where('quote.candidate_id', 'in', (eb) => eb.selectFrom('candidate').select('candidate.id').where('candidate.account_id', '=', scope.accountId));
  }
  return (lock ? query.forUpdate() : query).executeTakeFirst();
}

export function findCandidateById(db: Db, id: string) {
  return db.selectFrom('candidate').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
}

export function findCandidateByIdentifier(db: Db, identifier: string) {
  return db.selectFrom('candidate').selectAll().where('identifier', '=', identifier).executeTakeFirst();
}

export function findOrganisation(db: Db, id: string) {
  return db.selectFrom('organisation').select(['id', 'name', 'qualiopi', 'qualiopi_expiry']).where('id', '=', id).executeTakeFirstOrThrow();
}

export async function insertQuoteEvent(trx: Transaction<DB>, event: Insertable<QuoteEventTable>): Promise<void> {
  await trx.insertInto('quote_event').values(event).execute();
}

/** The last version submitted to the candidate (frozen in quote_version), if any. */
export function lastFrozenVersion(db: Db, quoteId: string) {
  return db.selectFrom('quote_version').selectAll().where('quote_id', '=', quoteId).orderBy('version', 'desc').limit(1).executeTakeFirst();
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

/**
 * A quote and everything its view needs but the timeline, in one statement: the content shown to
 * the party (for the candidate and the advisor, the last submitted version while the organisation
 * prepares a new one), that content's candidate and stored warnings, the organisation's name and
 * the training's id. `scope` applies the party's access rule (null: the caller already holds the
 * quote, e.g. just after writing it).
 */
function quoteViewQuery(db: Db, id: string, party: PartyScope['party'], scope: PartyScope | null) {
  const showsFrozen = party !== 'organisation';
  let query = db
    .selectFrom('quote')
    .leftJoinLateral(
      (eb) =>
        eb
          .selectFrom('quote_version as v')
          .select(['v.type', 'v.candidate_id', 'v.data', 'v.version', 'v.warnings'])
          .whereRef('v.quote_id', '=', 'quote.id')
          .where(sql<boolean>`${showsFrozen} and quote.status = 'draft'`)
          .orderBy('v.version', 'desc')
          .limit(1)
          .as('shown'),
      (join) => join.onTrue(),
    )
    .innerJoin('candidate', (join) => join.on(sql<boolean>`candidate.id = coalesce(shown.candidate_id, quote.candidate_id)`))
    .innerJoin('organisation', 'organisation.id', 'quote.organisation_id')
    .selectAll('quote')
    .select([
      'shown.type as shown_type',
      'shown.candidate_id as shown_candidate_id',
      'shown.data as shown_data',
      'shown.version as shown_version',
      'shown.warnings as shown_warnings',
      'candidate.identifier as candidate_identifier',
      'candidate.last_name as candidate_last_name',
      'candidate.birth_date as candidate_birth_date',
      'organisation.name as organisation_name',
      (eb) => eb.selectFrom('training').select('training.id').whereRef('training.quote_id', '=', 'quote.id').limit(1).as('training_id'),
      // The timeline comes with the quote: one round trip for the record and its view.
      (eb) =>
        jsonArrayFrom(
          eb
            .selectFrom('quote_event')
            .select(['quote_event.at', 'quote_event.actor_login', 'quote_event.action', 'quote_event.from_status', 'quote_event.to_status', 'quote_event.version', 'quote_event.comment'])
            .whereRef('quote_event.quote_id', '=', 'quote.id')
            .orderBy('quote_event.seq'),
        ).as('timeline'),
    ])
    .where('quote.id', '=', id);
  if (scope?.party === 'organisation') query = query.where('quote.organisation_id', '=', scope.organisationId!);
  if (scope && scope.party !== 'organisation') query = query.where('quote.submitted_at', 'is not', null);
  if (scope?.party === 'candidate') {
    query = query.where('quote.candidate_id', 'in', (eb) => eb.selectFrom('candidate as own').select('own.id').where('own.account_id', '=', scope.accountId));
  }
  return query;
}

// The three reads by a party, the hot path of every quote page and API call: compiled once
// (src/db/compiled-once.ts), each call only binds the quote's id and the party's scope.
const quoteViewFor = {
  organisation: compiledOnce(['id', 'scopeId'], (db, a: { id: string; scopeId: string }) =>
    quoteViewQuery(db, a.id, 'organisation', { party: 'organisation', organisationId: a.scopeId, accountId: '' }),
  ),
  advisor: compiledOnce(['id'], (db, a: { id: string; scopeId: string }) => quoteViewQuery(db, a.id, 'advisor', { party: 'advisor', organisationId: null, accountId: '' })),
  candidate: compiledOnce(['id', 'scopeId'], (db, a: { id: string; scopeId: string }) =>
    quoteViewQuery(db, a.id, 'candidate', { party: 'candidate', organisationId: null, accountId: a.scopeId }),
  ),
};

/** The quote's view for `party`, within `scope` (null: the caller already holds the quote). */
export function findQuoteView(db: Db, id: string, party: PartyScope['party'], scope: PartyScope | null): Promise<QuoteViewRow | undefined> {
  if (!scope) return quoteViewQuery(db, id, party, null).executeTakeFirst();
  const scopeId = scope.party === 'organisation' ? scope.organisationId! : scope.accountId;
  return quoteViewFor[scope.party].executeTakeFirst(db, { id, scopeId });
}
export type QuoteViewRow = NonNullable<Awaited<ReturnType<ReturnType<typeof quoteViewQuery>['executeTakeFirst']>>>;

/** Stores warnings computed for a row that had none (written outside the application). */
export async function storeMissingWarnings(db: Db, target: { quoteId: string; version: number | null }, warnings: string): Promise<void> {
  if (target.version === null) {
    await db.updateTable('quote').set({ warnings }).where('id', '=', target.quoteId).where('warnings', 'is', null).execute();
  } else {
    await db.updateTable('quote_version').set({ warnings }).where('quote_id', '=', target.quoteId).where('version', '=', target.version).where('warnings', 'is', null).execute();
  }
}

/** Quotes whose stored warnings or error count are not computed yet (written outside the application). */
export function quotesWithoutWarnings(db: Db, limit: number) {
  return db
    .selectFrom('quote')
    .select(['id', 'type', 'data'])
    .where((eb) => eb.or([eb('warnings', 'is', null), eb('error_count', 'is', null)]))
    .limit(limit)
    .execute();
}

/** Fills computed warnings (JSON text) and error counts of quotes still without them, in one statement. */
export async function setQuoteWarnings(db: Db, rows: ReadonlyArray<{ id: string; warnings: string; error_count: number }>): Promise<void> {
  const values = sql.join(rows.map((r) => sql`(${r.id}::uuid, ${r.warnings}::jsonb, ${r.error_count}::int)`));
  await sql`update quote set warnings = coalesce(quote.warnings, v.w), error_count = coalesce(quote.error_count, v.e)
    from (values ${values}) as v(id, w, e) where quote.id = v.id and (quote.warnings is null or quote.error_count is null)`.execute(db);
}

/** As `quotesWithoutWarnings` and `setQuoteWarnings` before the error count existed (migration 0010). */
export function quotesWithoutWarningsOnly(db: Db, limit: number) {
  return db.selectFrom('quote').select(['id', 'type', 'data']).where('warnings', 'is', null).limit(limit).execute();
}

export async function setQuoteWarningsOnly(db: Db, rows: ReadonlyArray<{ id: string; warnings: string }>): Promise<void> {
  const values = sql.join(rows.map((r) => sql`(${r.id}::uuid, ${r.warnings}::jsonb)`));
  await sql`update quote set warnings = v.w from (values ${values}) as v(id, w) where quote.id = v.id and quote.warnings is null`.execute(db);
}

/** Frozen versions whose stored warnings are not computed yet. */
export function versionsWithoutWarnings(db: Db, limit: number) {
  return db.selectFrom('quote_version').select(['quote_id', 'version', 'type', 'data']).where('warnings', 'is', null).limit(limit).execute();
}

/** Fills computed warnings of frozen versions still without them, in one statement. */
export async function setVersionWarnings(db: Db, rows: ReadonlyArray<{ quoteId: string; version: number; warnings: string }>): Promise<void> {
  const values = sql.join(rows.map((r) => sql`(${r.quoteId}::uuid, ${r.version}::int, ${r.warnings}::jsonb)`));
  await sql`update quote_version set warnings = v.w from (values ${values}) as v(q, n, w)
    where quote_version.quote_id = v.q and quote_version.version = v.n and quote_version.warnings is null`.execute(db);
}
