/** Candidate records: queries only, no rules. */
import type { Kysely, Transaction } from 'kysely';
import type { DB, NewCandidate } from '../../db/schema.js';

type Db = Kysely<DB> | Transaction<DB>;

export const SEARCH_LIMIT = 50;

export function findByIdentifier(db: Db, identifier: string) {
  return db.selectFrom('candidate').selectAll().where('identifier', '=', identifier).executeTakeFirst();
}

export function insertCandidate(db: Db, row: NewCandidate) {
  return db.insertInto('candidate').values(row).returningAll().executeTakeFirstOrThrow();
}

export function findByAccount(db: Db, accountId: string) {
  return db.selectFrom('candidate').selectAll().where('account_id', '=', accountId).executeTakeFirst();
}

/** `%` and `_` typed by a user are literal characters, not wildcards. */
function likeEscape(text: string): string {
  return text.replace(/[\\%_]/g, (c) => `\\${c}`);
}

/** By identifier prefix or by a part of the last or first name, case-insensitively. */
export function searchCandidates(db: Db, q: string) {
  const pattern = `%${likeEscape(q.toLowerCase())}%`;
  return db
    .selectFrom('candidate')
    .selectAll()
    .where((eb) =>
      eb.or([
        eb('identifier', 'like', `${likeEscape(q.toUpperCase())}%`),
        eb(eb.fn('lower', ['last_name']), 'like', pattern),
        eb(eb.fn('lower', ['first_name']), 'like', pattern),
      ]),
    )
    .orderBy('last_name')
    .orderBy('first_name')
    .orderBy('identifier')
    .limit(SEARCH_LIMIT)
    .execute();
}

/** A candidate's quotes as an advisor sees them in the candidate file (drafts are the OF's work in progress). */
export function quotesOfCandidate(db: Db, candidateId: string) {
  return db
    .selectFrom('quote')
    .innerJoin('organisation', 'organisation.id', 'quote.organisation_id')
    .select(['quote.id', 'quote.type', 'quote.status', 'quote.version', 'quote.data', 'quote.updated_at', 'organisation.id as organisation_id', 'organisation.name as organisation_name'])
    .where('quote.candidate_id', '=', candidateId)
    .where('quote.status', '!=', 'draft')
    .orderBy('quote.updated_at', 'desc')
    .execute();
}
