/** Rows to wire objects, shared by the JSON routes and the pages. */
import type { WebhookEventType } from './events.js';
import type { DeliveryRow, EndpointRow } from './repository.js';

const iso = (d: Date | null) => (d ? d.toISOString() : null);

export function endpointJson(e: EndpointRow) {
  return {
    id: e.id,
    url: e.url,
    events: e.events as WebhookEventType[],
    enabled: e.enabled,
    failingSince: iso(e.failing_since),
    disabledAt: iso(e.disabled_at),
    createdAt: e.created_at.toISOString(),
  };
}

export function deliveryJson(d: DeliveryRow) {
  return {
    id: d.id,
    eventId: d.event_id,
    type: d.event_type,
    status: d.status,
    attempts: d.attempts,
    responseCode: d.response_code,
    durationMs: d.duration_ms,
    lastError: d.last_error,
    createdAt: d.created_at.toISOString(),
    lastAttemptAt: iso(d.last_attempt_at),
    nextAttemptAt: iso(d.next_attempt_at),
    deliveredAt: iso(d.delivered_at),
  };
}
