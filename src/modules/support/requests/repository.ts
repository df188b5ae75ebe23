/**
 * SQL of support requests. Every read of a request goes through `visibleRequest`: the
 * requester's own, or any for a support agent; anyone else finds nothing (tenant rule in the
 * query, not only in the route).
 */
import { sql, type Insertable, type Kysely, type Transaction } from 'kysely';
import type { DB, SupportRequestStatus } from '../../../db/schema.js';
import type { QueueFilters } from './schemas.js';

type Db = Kysely<DB> | Transaction<DB>;

export const PAGE_SIZE = 50;

export interface Viewer {
  accountId: string;
  isAgent: boolean;
}

const requestColumns = [
  'support_request.id',
  'support_request.number',
  'support_request.account_id',
  'support_request.organisation_id',
  'support_request.category',
  'support_request.subject',
  'support_request.description',
  'support_request.steps',
  'support_request.error_reference',
  'support_request.status',
  'support_request.created_at',
  'support_request.updated_at',
  'account.display_name as requester_name',
  'account.login as requester_login',
  'organisation.name as organisation_name',
] as const;

function withRequester(db: Db) {
  return db
    .selectFrom('support_request')
    .innerJoin('account', 'account.id', 'support_request.account_id')
    .leftJoin('organisation', 'organisation.id', 'support_request.organisation_id');
}

export async function visibleRequest(db: Db, viewer: Viewer, id: string, options: { lock?: boolean } = {}) {
  let q = withRequester(db).select(requestColumns).where('support_request.id', '=', id);
  if (!viewer.isAgent) q = q.where('support_request.account_id', '=', viewer.accountId);
  if (options.lock) q = q.forUpdate('support_request');
  return q.executeTakeFirst();
}
export type RequestRow = NonNullable<Awaited<ReturnType<typeof visibleRequest>>>;

export async function messagesOf(db: Db, requestId: string) {
  return db
    .selectFrom('support_message')
    .innerJoin('account', 'account.id', 'support_message.author_id')
    .select(['support_message.id', 'support_message.author_id', 'support_message.author_role', 'support_message.body', 'support_message.at', 'account.display_name as author_name'])
    .where('support_message.request_id', '=', requestId)
    .orderBy('support_message.seq')
    .execute();
}

export async function attachmentsOf(db: Db, requestId: string) {
  return db
    .selectFrom('support_attachment')
    .select(['id', 'media_type', 'size', 'original_name', 'stored_name', 'at'])
    .where('request_id', '=', requestId)
    .orderBy('position')
    .execute();
}

export async function findAttachment(db: Db, requestId: string, attachmentId: string) {
  return db
    .selectFrom('support_attachment')
    .select(['id', 'media_type', 'size', 'original_name', 'stored_name'])
    .where('request_id', '=', requestId)
    .where('id', '=', attachmentId)
    .executeTakeFirst();
}

const listColumns = [
  'support_request.id',
  'support_request.number',
  'support_request.category',
  'support_request.subject',
  'support_request.status',
  'support_request.created_at',
  'support_request.updated_at',
  'account.display_name as requester_name',
  'organisation.name as organisation_name',
  'support_request.organisation_id',
] as const;

export async function ownRequests(db: Db, accountId: string, filters: { status?: SupportRequestStatus; page: number }) {
  let q = withRequester(db).select(listColumns).where('support_request.account_id', '=', accountId);
  if (filters.status) q = q.where('support_request.status', '=', filters.status);
  const rows = await q
    .orderBy('support_request.updated_at', 'desc')
    .orderBy('support_request.number', 'desc')
    .limit(PAGE_SIZE + 1)
    .offset((filters.page - 1) * PAGE_SIZE)
    .execute();
  return { rows: rows.slice(0, PAGE_SIZE), hasMore: rows.length > PAGE_SIZE };
}

/** The agents' queue: oldest first, so the longest wait is served first. */
export async function queueRequests(db: Db, filters: QueueFilters, now: Date) {
  let q = withRequester(db).select(listColumns);
  if (filters.status) q = q.where('support_request.status', '=', filters.status);
  if (filters.category) q = q.where('support_request.category', '=', filters.category);
  if (filters.organisation) q = q.where('support_request.organisation_id', '=', filters.organisation);
  if (filters.age !== undefined) q = q.where('support_request.created_at', '<=', new Date(now.getTime() - filters.age * 86_400_000));
  const rows = await q
    .orderBy('support_request.created_at', 'asc')
    .orderBy('support_request.number', 'asc')
    .limit(PAGE_SIZE + 1)
    .offset((filters.page - 1) * PAGE_SIZE)
    .execute();
  return { rows: rows.slice(0, PAGE_SIZE), hasMore: rows.length > PAGE_SIZE };
}
export type ListRow = Awaited<ReturnType<typeof ownRequests>>['rows'][number];

/** Organisations that have asked for help, for the queue's filter. */
export async function requestingOrganisations(db: Db) {
  return db
    .selectFrom('organisation')
    .select(['organisation.id', 'organisation.name'])
    .where(({ exists, selectFrom }) => exists(selectFrom('support_request').select(sql`1`.as('one')).whereRef('support_request.organisation_id', '=', 'organisation.id')))
    .orderBy('organisation.name')
    .execute();
}

/** Active agents who have already answered this request: the other party of a requester's reply. */
export async function answeringAgents(db: Db, requestId: string) {
  return db
    .selectFrom('account')
    .select(['account.id', 'account.email'])
    .where('account.status', '=', 'active')
    .where('account.email', 'is not', null)
    .where(({ exists, selectFrom }) =>
      exists(
        selectFrom('support_message')
          .select(sql`1`.as('one'))
          .whereRef('support_message.author_id', '=', 'account.id')
          .where('support_message.request_id', '=', requestId)
          .where('support_message.author_role', '=', 'agent'),
      ),
    )
    .execute();
}

export async function accountEmail(db: Db, accountId: string): Promise<string | null> {
  const row = await db.selectFrom('account').select(['email', 'status']).where('id', '=', accountId).executeTakeFirst();
  return row && row.status !== 'deleted' ? row.email : null;
}

export async function insertRequest(trx: Transaction<DB>, values: Insertable<DB['support_request']>) {
  return trx.insertInto('support_request').values(values).returning(['id', 'number', 'status', 'organisation_id']).executeTakeFirstOrThrow();
}

export async function insertAttachment(trx: Transaction<DB>, values: Insertable<DB['support_attachment']>): Promise<void> {
  await trx.insertInto('support_attachment').values(values).execute();
}

export async function insertMessage(trx: Transaction<DB>, values: Insertable<DB['support_message']>) {
  return trx.insertInto('support_message').values(values).returning(['id']).executeTakeFirstOrThrow();
}

export async function setRequestStatus(trx: Transaction<DB>, id: string, status: SupportRequestStatus, now: Date): Promise<void> {
  await trx.updateTable('support_request').set({ status, updated_at: now }).where('id', '=', id).execute();
}
