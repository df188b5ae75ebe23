/** Webhook endpoints and deliveries (Kysely only). */
import { sql, type Insertable, type Kysely, type Updateable } from 'kysely';
import type { DB } from '../../db/schema.js';

type Db = Kysely<DB>;

const ENDPOINT_COLUMNS = ['id', 'organisation_id', 'url', 'events', 'enabled', 'failing_since', 'disabled_at', 'created_at', 'updated_at'] as const;

export async function subscribedEndpoints(db: Db, organisationId: string, type: string) {
  return db
    .selectFrom('webhook_endpoint')
    .select('id')
    .where('organisation_id', '=', organisationId)
    .where('enabled', '=', true)
    .where(sql<boolean>`events @> ${JSON.stringify([type])}::jsonb`)
    .execute();
}

export async function insertEndpoint(db: Db, values: Insertable<DB['webhook_endpoint']>) {
  return db.insertInto('webhook_endpoint').values(values).returning(ENDPOINT_COLUMNS).executeTakeFirstOrThrow();
}

export async function endpointsOf(db: Db, organisationId: string) {
  return db.selectFrom('webhook_endpoint').select(ENDPOINT_COLUMNS).where('organisation_id', '=', organisationId).orderBy('created_at').orderBy('id').execute();
}

export async function findEndpoint(db: Db, organisationId: string, id: string) {
  return db.selectFrom('webhook_endpoint').select(ENDPOINT_COLUMNS).where('organisation_id', '=', organisationId).where('id', '=', id).executeTakeFirst();
}
export type EndpointRow = NonNullable<Awaited<ReturnType<typeof findEndpoint>>>;

export async function updateEndpoint(db: Db, id: string, values: Updateable<DB['webhook_endpoint']>) {
  return db.updateTable('webhook_endpoint').set(values).where('id', '=', id).returning(ENDPOINT_COLUMNS).executeTakeFirstOrThrow();
}

export async function deleteEndpoint(db: Db, organisationId: string, id: string): Promise<boolean> {
  const r = await db.deleteFrom('webhook_endpoint').where('organisation_id', '=', organisationId).where('id', '=', id).executeTakeFirst();
  return Number(r.numDeletedRows) > 0;
}

export async function insertDelivery(db: Db, values: Insertable<DB['webhook_delivery']>): Promise<string> {
  return (await db.insertInto('webhook_delivery').values(values).returning('id').executeTakeFirstOrThrow()).id;
}

const DELIVERY_COLUMNS = ['id', 'event_id', 'event_type', 'status', 'attempts', 'response_code', 'duration_ms', 'last_error', 'created_at', 'last_attempt_at', 'next_attempt_at', 'delivered_at'] as const;

/** The endpoint's latest deliveries, newest first. */
export async function deliveriesOf(db: Db, endpointId: string, limit = 100) {
  return db.selectFrom('webhook_delivery').select(DELIVERY_COLUMNS).where('endpoint_id', '=', endpointId).orderBy('created_at', 'desc').orderBy('id', 'desc').limit(limit).execute();
}
export type DeliveryRow = Awaited<ReturnType<typeof deliveriesOf>>[number];

export async function findDelivery(db: Db, endpointId: string, id: string) {
  return db.selectFrom('webhook_delivery').select(DELIVERY_COLUMNS).where('endpoint_id', '=', endpointId).where('id', '=', id).forUpdate().executeTakeFirst();
}

/** A delivery with what sending it needs, locked for the attempt. */
export async function lockDeliveryToSend(db: Db, id: string) {
  return db
    .selectFrom('webhook_delivery as d')
    .innerJoin('webhook_endpoint as e', 'e.id', 'd.endpoint_id')
    .select(['d.id', 'd.event_id', 'd.body', 'd.status', 'd.attempts', 'd.created_at', 'e.id as endpoint_id', 'e.organisation_id', 'e.url', 'e.secret_sealed', 'e.enabled', 'e.failing_since'])
    .where('d.id', '=', id)
    .forUpdate()
    .executeTakeFirst();
}

export async function updateDelivery(db: Db, id: string, values: Updateable<DB['webhook_delivery']>): Promise<void> {
  await db.updateTable('webhook_delivery').set(values).where('id', '=', id).execute();
}

export async function failPendingDeliveries(db: Db, endpointId: string, reason: string): Promise<void> {
  await db.updateTable('webhook_delivery').set({ status: 'failed', next_attempt_at: null, last_error: reason }).where('endpoint_id', '=', endpointId).where('status', '=', 'pending').execute();
}

/** Active account managers (with an e-mail address) of the organisation. */
export async function accountManagerEmails(db: Db, organisationId: string): Promise<string[]> {
  const rows = await db
    .selectFrom('account')
    .innerJoin('habilitation', 'habilitation.account_id', 'account.id')
    .select('account.email')
    .distinct()
    .where('account.organisation_id', '=', organisationId)
    .where('account.status', '=', 'active')
    .where('account.email', 'is not', null)
    .whereRef('habilitation.organisation_id', '=', 'account.organisation_id')
    .where('habilitation.application', '=', 'gid')
    .where('habilitation.role', '=', 'account_manager')
    .where('habilitation.suspended_at', 'is', null)
    .execute();
  return rows.map((r) => r.email!);
}
