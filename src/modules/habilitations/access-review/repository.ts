/** Access review queries (Kysely only). Every query names the organisation: tenant first. */
import { sql, type Kysely } from 'kysely';
import type { DB } from '../../../db/schema.js';
import type { ReviewDecision } from './rules.js';

type Db = Kysely<DB>;

export interface ReviewRow {
  id: string;
  organisation_id: string;
  opened_at: Date;
  due_at: Date;
  closed_at: Date | null;
  last_reminder_at: Date | null;
}

// Locks of the access review, by organisation (see recurring.ts for the namespace scheme).
const REVIEW_LOCK_NAMESPACE = 7_101_003;

/** Serialises the openings and closings of one organisation's campaigns across instances. */
export async function lockOrganisationReviews(trx: Db, organisationId: string): Promise<void> {
  await sql`select pg_advisory_xact_lock(${REVIEW_LOCK_NAMESPACE}, hashtext(${organisationId}))`.execute(trx);
}

export async function findOpenReview(db: Db, organisationId: string): Promise<ReviewRow | undefined> {
  return db
    .selectFrom('access_review')
    .selectAll()
    .where('organisation_id', '=', organisationId)
    .where('closed_at', 'is', null)
    .orderBy('opened_at', 'desc')
    .limit(1)
    .executeTakeFirst();
}

/** When the organisation's latest campaign opened, or null when it never had one. */
export async function lastOpenedAt(db: Db, organisationId: string): Promise<Date | null> {
  const row = await db
    .selectFrom('access_review')
    .select('opened_at')
    .where('organisation_id', '=', organisationId)
    .orderBy('opened_at', 'desc')
    .limit(1)
    .executeTakeFirst();
  return row?.opened_at ?? null;
}

export async function organisationName(db: Db, organisationId: string): Promise<string> {
  const row = await db.selectFrom('organisation').select('name').where('id', '=', organisationId).executeTakeFirstOrThrow();
  return row.name;
}

export async function listOpenReviews(db: Db): Promise<ReviewRow[]> {
  return db.selectFrom('access_review').selectAll().where('closed_at', 'is', null).orderBy('opened_at').execute();
}

/** Active training providers (or one of them), with what decides whether a campaign is due (rules.ts). */
export async function reviewCandidates(db: Db, organisationId?: string) {
  let q = db
    .selectFrom('organisation as o')
    .select(['o.id', 'o.name', 'o.created_at'])
    .select((eb) => [
      eb.selectFrom('access_review as r').select((e) => e.fn.max('r.opened_at').as('m')).whereRef('r.organisation_id', '=', 'o.id').as('last_opened_at'),
      eb.exists(eb.selectFrom('access_review as r').select('r.id').whereRef('r.organisation_id', '=', 'o.id').where('r.closed_at', 'is', null)).as('has_open'),
    ])
    .where('o.kind', '=', 'training_provider')
    .where('o.status', '=', 'active');
  if (organisationId) q = q.where('o.id', '=', organisationId);
  return q.orderBy('o.created_at').execute();
}

export async function insertReview(trx: Db, organisationId: string, openedAt: Date, dueAt: Date): Promise<ReviewRow> {
  return trx
    .insertInto('access_review')
    .values({ organisation_id: organisationId, opened_at: openedAt, due_at: dueAt, closed_at: null, last_reminder_at: openedAt })
    .returningAll()
    .executeTakeFirstOrThrow();
}

/**
 * The habilitations a campaign covers: those of the organisation's (not deleted) accounts that
 * existed when it opened, except the account manager role (see isReviewable). Rows granted
 * later were just chosen by the account manager, so they need no review yet.
 */
function itemsOf(db: Db, review: Pick<ReviewRow, 'id' | 'organisation_id' | 'opened_at'>) {
  return db
    .selectFrom('habilitation as h')
    .innerJoin('account as a', 'a.id', 'h.account_id')
    .leftJoin('access_review_decision as d', (j) => j.onRef('d.habilitation_id', '=', 'h.id').on('d.review_id', '=', review.id))
    .where('h.organisation_id', '=', review.organisation_id)
    .where('a.organisation_id', '=', review.organisation_id)
    .where('a.status', '!=', 'deleted')
    .where('h.granted_at', '<=', review.opened_at)
    .where((eb) => eb.not(eb.and([eb('h.application', '=', 'gid'), eb('h.role', '=', 'account_manager')])));
}

export async function listItems(db: Db, review: ReviewRow) {
  return itemsOf(db, review)
    .innerJoin('role as r', (j) => j.onRef('r.application', '=', 'h.application').onRef('r.code', '=', 'h.role'))
    .innerJoin('application as app', 'app.code', 'h.application')
    .select([
      'h.id as habilitationId',
      'a.id as userId',
      'a.display_name as displayName',
      'a.login',
      'h.application',
      'app.name as applicationName',
      'h.role',
      'r.label as roleLabel',
      'h.suspended_at as suspendedAt',
      'd.decision',
    ])
    .orderBy('a.display_name')
    .orderBy('h.application')
    .orderBy('h.role')
    .execute();
}

export type ReviewItemRow = Awaited<ReturnType<typeof listItems>>[number];

export async function findItem(db: Db, review: ReviewRow, habilitationId: string) {
  return itemsOf(db, review)
    .select(['h.id', 'h.account_id', 'a.login', 'h.application', 'h.role', 'd.decision'])
    .where('h.id', '=', habilitationId)
    .executeTakeFirst();
}

/** Habilitations of the campaign without a decision (the ones the grace period will suspend). */
export async function undecidedItems(db: Db, review: ReviewRow) {
  return itemsOf(db, review)
    .select(['h.id', 'h.account_id', 'a.login', 'h.application', 'h.role', 'h.suspended_at'])
    .where('d.decision', 'is', null)
    .execute();
}

export async function countUndecided(db: Db, review: Pick<ReviewRow, 'id' | 'organisation_id' | 'opened_at'>): Promise<number> {
  const row = await itemsOf(db, review)
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('d.decision', 'is', null)
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

export async function lockReview(trx: Db, reviewId: string): Promise<ReviewRow | undefined> {
  return trx.selectFrom('access_review').selectAll().where('id', '=', reviewId).where('closed_at', 'is', null).forUpdate().executeTakeFirst();
}

export async function insertDecision(trx: Db, d: { reviewId: string; habilitationId: string; decision: ReviewDecision; at: Date; by: string }) {
  const r = await trx
    .insertInto('access_review_decision')
    .values({ review_id: d.reviewId, habilitation_id: d.habilitationId, decision: d.decision, decided_at: d.at, decided_by: d.by })
    .onConflict((oc) => oc.columns(['review_id', 'habilitation_id']).doNothing())
    .executeTakeFirst();
  return Number(r.numInsertedOrUpdatedRows ?? 0) === 1;
}

export async function closeReview(trx: Db, reviewId: string, at: Date): Promise<void> {
  await trx.updateTable('access_review').set({ closed_at: at }).where('id', '=', reviewId).where('closed_at', 'is', null).execute();
}

export async function markReminded(trx: Db, reviewId: string, at: Date): Promise<void> {
  await trx.updateTable('access_review').set({ last_reminder_at: at }).where('id', '=', reviewId).execute();
}

/** Active accounts holding the (not suspended) account manager role of the organisation. */
export async function activeManagers(db: Db, organisationId: string) {
  return db
    .selectFrom('account as a')
    .innerJoin('habilitation as h', 'h.account_id', 'a.id')
    .select(['a.id', 'a.login', 'a.display_name', 'a.email'])
    .where('h.organisation_id', '=', organisationId)
    .where('a.organisation_id', '=', organisationId)
    .where('h.application', '=', 'gid')
    .where('h.role', '=', 'account_manager')
    .where('h.suspended_at', 'is', null)
    .where('a.status', '=', 'active')
    .orderBy('a.display_name')
    .execute();
}

/**
 * Active staff accounts whose latest sign-in (else creation, or password set at activation) is
 * older than the cutoff. Failed sign-ins do not count: an attacker guessing passwords must not
 * keep a dormant account alive.
 */
export async function dormantAccounts(db: Db, cutoff: Date) {
  const result = await sql<{ id: string; login: string; organisation_id: string | null; last_activity: Date }>`
    select id, login, organisation_id, last_activity from (
      select a.id, a.login, a.organisation_id,
        greatest(a.created_at, a.password_changed_at, (select max(s.created_at) from session s where s.account_id = a.id)) as last_activity
      from account a
      where a.kind = 'staff' and a.status = 'active'
    ) t
    where last_activity <= ${cutoff}
    order by last_activity`.execute(db);
  return result.rows;
}

export async function latestSignIn(db: Db, accountId: string): Promise<Date | null> {
  const row = await db.selectFrom('session').select((eb) => eb.fn.max('created_at').as('at')).where('account_id', '=', accountId).executeTakeFirst();
  return row?.at ? new Date(row.at) : null;
}

/**
 * Latest audited change made to each account (reactivation, new habilitation…). An account
 * reactivated by its account manager after an inactivity suspension must get a fresh period,
 * not be suspended again the next night before its holder could sign in.
 */
export async function lastChangeOfAccounts(db: Db, accounts: Array<{ id: string; organisation_id: string | null }>): Promise<Map<string, Date>> {
  const orgIds = [...new Set(accounts.map((a) => a.organisation_id).filter((o): o is string => !!o))];
  if (accounts.length === 0 || orgIds.length === 0) return new Map();
  const rows = await db
    .selectFrom('audit_log')
    .select(['target_id', (eb) => eb.fn.max('at').as('at')])
    .where('organisation_id', 'in', orgIds)
    .where('target_type', '=', 'account')
    .where(
      'target_id',
      'in',
      accounts.map((a) => a.id),
    )
    .groupBy('target_id')
    .execute();
  return new Map(rows.map((r) => [r.target_id!, new Date(r.at)]));
}

export async function suspendHabilitation(trx: Db, habilitationId: string, at: Date): Promise<boolean> {
  const r = await trx.updateTable('habilitation').set({ suspended_at: at }).where('id', '=', habilitationId).where('suspended_at', 'is', null).executeTakeFirst();
  return Number(r.numUpdatedRows) === 1;
}

/** A confirmed habilitation is vouched for again: it counts even if an earlier review suspended it. */
export async function confirmHabilitation(trx: Db, habilitationId: string, at: Date): Promise<void> {
  await trx.updateTable('habilitation').set({ reviewed_at: at, suspended_at: null }).where('id', '=', habilitationId).execute();
}

export async function deleteHabilitationRow(trx: Db, organisationId: string, habilitationId: string): Promise<boolean> {
  const r = await trx.deleteFrom('habilitation').where('id', '=', habilitationId).where('organisation_id', '=', organisationId).executeTakeFirst();
  return Number(r.numDeletedRows) === 1;
}
