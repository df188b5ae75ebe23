/**
 * An organisation's webhook endpoints (docs/api-webhooks.md), managed by its account managers:
 * each state change writes its audit row in the same transaction. The signing secret is shown
 * once, at creation, and kept sealed (decision 0005): delivery needs it in clear to sign.
 */
import type { AppContext, RequestMeta } from '../../context.js';
import { problems } from '../../http/problem.js';
import { byActor, recordAudit } from '../audit/service.js';
import { ownOrganisationOr404 } from '../habilitations/access.js';
import type { Actor } from '../habilitations/policy.js';
import { DELIVER_JOB, type WebhookEventType } from './events.js';
import { enqueueJob } from '../../jobs/queue.js';
import * as repo from './repository.js';
import { newSecret } from './signing.js';
import { checkDestination, DestinationRefused } from './ssrf.js';

export interface EndpointInput {
  url: string;
  events: WebhookEventType[];
}
export interface EndpointPatch {
  url?: string;
  events?: WebhookEventType[];
  enabled?: boolean;
}

async function refuseUnsafeUrl(ctx: AppContext, url: string): Promise<void> {
  try {
    await checkDestination(url, ctx.config.webhooks);
  } catch (err) {
    if (err instanceof DestinationRefused) throw problems.invalid([{ field: 'url', code: 'unsafe_url', message: err.message }]);
    throw err;
  }
}

const audit = (actor: Actor, meta: RequestMeta, at: Date, organisationId: string, id: string, action: string, details: Record<string, unknown>) => ({
  at,
  ...byActor(actor, meta),
  organisationId,
  action,
  target: { type: 'webhook', id },
  details,
});

export async function createEndpoint(ctx: AppContext, actor: Actor, organisationId: unknown, input: EndpointInput, meta: RequestMeta) {
  const orgId = ownOrganisationOr404(actor, organisationId);
  await refuseUnsafeUrl(ctx, input.url);
  const secret = newSecret();
  const now = ctx.clock.now();
  const row = await ctx.db.transaction().execute(async (trx) => {
    const inserted = await repo.insertEndpoint(trx, {
      organisation_id: orgId,
      url: input.url,
      events: JSON.stringify(input.events),
      secret_sealed: ctx.secretBox.seal(secret),
      created_by: actor.accountId,
      created_at: now,
      updated_at: now,
    });
    // The host only: a URL may carry a token of the receiver in its path or query.
    await recordAudit(trx, audit(actor, meta, now, orgId, inserted.id, 'webhook.created', { host: new URL(input.url).host, events: input.events }));
    return inserted;
  });
  return { endpoint: row, secret };
}

export async function listEndpoints(ctx: AppContext, actor: Actor, organisationId: unknown) {
  return repo.endpointsOf(ctx.db, ownOrganisationOr404(actor, organisationId));
}

async function ownEndpoint(ctx: AppContext, actor: Actor, organisationId: unknown, id: string) {
  const orgId = ownOrganisationOr404(actor, organisationId);
  const row = await repo.findEndpoint(ctx.db, orgId, id);
  if (!row) throw problems.notFound();
  return row;
}

export async function updateEndpoint(ctx: AppContext, actor: Actor, organisationId: unknown, id: string, patch: EndpointPatch, meta: RequestMeta) {
  const before = await ownEndpoint(ctx, actor, organisationId, id);
  if (patch.url !== undefined) await refuseUnsafeUrl(ctx, patch.url);
  const now = ctx.clock.now();
  return ctx.db.transaction().execute(async (trx) => {
    // Enabling again starts afresh: the failures that disabled it are behind.
    const reenabled = patch.enabled === true && !before.enabled;
    const row = await repo.updateEndpoint(trx, id, {
      ...(patch.url !== undefined ? { url: patch.url } : {}),
      ...(patch.events !== undefined ? { events: JSON.stringify(patch.events) } : {}),
      ...(patch.enabled !== undefined ? { enabled: patch.enabled } : {}),
      ...(reenabled ? { failing_since: null, disabled_at: null } : {}),
      ...(patch.enabled === false && before.enabled ? { disabled_at: now } : {}),
      updated_at: now,
    });
    await recordAudit(trx, audit(actor, meta, now, before.organisation_id, id, 'webhook.updated', {
      changed: Object.keys(patch),
      ...(patch.url !== undefined ? { host: new URL(patch.url).host } : {}),
      ...(patch.events !== undefined ? { events: patch.events } : {}),
      ...(patch.enabled !== undefined ? { enabled: patch.enabled } : {}),
    }));
    return row;
  });
}

export async function deleteEndpoint(ctx: AppContext, actor: Actor, organisationId: unknown, id: string, meta: RequestMeta): Promise<void> {
  const before = await ownEndpoint(ctx, actor, organisationId, id);
  const now = ctx.clock.now();
  await ctx.db.transaction().execute(async (trx) => {
    if (!(await repo.deleteEndpoint(trx, before.organisation_id, id))) throw problems.notFound();
    await recordAudit(trx, audit(actor, meta, now, before.organisation_id, id, 'webhook.deleted', { host: new URL(before.url).host }));
  });
}

export async function listDeliveries(ctx: AppContext, actor: Actor, organisationId: unknown, id: string) {
  const endpoint = await ownEndpoint(ctx, actor, organisationId, id);
  return { endpoint, deliveries: await repo.deliveriesOf(ctx.db, endpoint.id) };
}

/** Sends a delivery again, with its original id and body (receivers deduplicate on `webhook-id`). */
export async function replayDelivery(ctx: AppContext, actor: Actor, organisationId: unknown, id: string, deliveryId: string, meta: RequestMeta) {
  const endpoint = await ownEndpoint(ctx, actor, organisationId, id);
  const now = ctx.clock.now();
  return ctx.db.transaction().execute(async (trx) => {
    const delivery = await repo.findDelivery(trx, endpoint.id, deliveryId);
    if (!delivery) throw problems.notFound();
    if (!endpoint.enabled) throw problems.conflict('Ce webhook est désactivé : réactivez-le (enabled: true) avant de rejouer un envoi.');
    if (delivery.status === 'pending') throw problems.conflict('Cet envoi est déjà en attente : il partira à sa prochaine tentative.');
    await repo.updateDelivery(trx, deliveryId, { status: 'pending', next_attempt_at: now });
    await enqueueJob(trx, now, DELIVER_JOB, { deliveryId });
    await recordAudit(trx, audit(actor, meta, now, endpoint.organisation_id, id, 'webhook.replayed', { delivery: deliveryId, event: delivery.event_id }));
    return { id: deliveryId, status: 'pending' as const };
  });
}
