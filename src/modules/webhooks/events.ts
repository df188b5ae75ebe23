/**
 * The events an organisation may subscribe to, and their emission: called by the services where
 * the change happens, inside their transaction, so a delivery exists if and only if the change
 * committed (the outbox). Bodies carry identifiers and statuses only, never names.
 */
import { randomUUID } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { DB } from '../../db/schema.js';
import { enqueueJob } from '../../jobs/queue.js';
import * as repo from './repository.js';

export const WEBHOOK_EVENTS = [
  'quote.status_changed',
  'training.entered',
  'training.withdrawn',
  'training.exited',
  'training.reported',
  'statement.submitted',
  'attendance.alert',
] as const;
export type WebhookEventType = (typeof WEBHOOK_EVENTS)[number];

export const DELIVER_JOB = 'webhook.deliver';

export type WebhookEventData =
  | { quoteId: string; status: string; version: number }
  | { trainingId: string; status: string; month?: string };

/** Writes one delivery per enabled endpoint of the organisation subscribed to `type`, and its job. */
export async function emitWebhookEvent(trx: Kysely<DB>, now: Date, organisationId: string, type: WebhookEventType, data: WebhookEventData): Promise<void> {
  const endpoints = await repo.subscribedEndpoints(trx, organisationId, type);
  if (endpoints.length === 0) return;
  const id = randomUUID();
  const body = JSON.stringify({ id, type, occurredAt: now.toISOString(), organisationId, data });
  for (const endpoint of endpoints) {
    const deliveryId = await repo.insertDelivery(trx, { endpoint_id: endpoint.id, event_id: id, event_type: type, body, created_at: now, next_attempt_at: now });
    await enqueueJob(trx, now, DELIVER_JOB, { deliveryId });
  }
}
