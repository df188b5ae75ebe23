/**
 * The delivery job: signs and sends one delivery, records the attempt, schedules the next one
 * or gives up. The request is made outside any transaction (it may last 10 s); the outcome is
 * written after, in one. Retries follow the Standard Webhooks schedule (5 s, 5 min, 30 min, 2 h,
 * 5 h, 10 h, 10 h: about 27 h over eight attempts). An endpoint whose deliveries have failed
 * without a success for three days is disabled and its organisation's account managers mailed.
 */
import type { AppContext } from '../../context.js';
import { enqueueJob } from '../../jobs/queue.js';
import type { JobHandler } from '../../jobs/worker.js';
import { queueMail } from '../../mail/mailer.js';
import { recordAudit } from '../audit/service.js';
import { DELIVER_JOB } from './events.js';
import * as repo from './repository.js';
import { send, type SendOutcome } from './sender.js';
import { signedHeaders } from './signing.js';
import { checkDestination, DestinationRefused } from './ssrf.js';

export const RETRY_DELAYS_MS = [5_000, 300_000, 1_800_000, 7_200_000, 18_000_000, 36_000_000, 36_000_000];
export const DISABLE_AFTER_MS = 3 * 24 * 3_600_000;

async function attempt(ctx: AppContext, d: NonNullable<Awaited<ReturnType<typeof repo.lockDeliveryToSend>>>): Promise<SendOutcome> {
  try {
    // Checked again now, and the connection goes to the address checked (DNS rebinding).
    const dest = await checkDestination(d.url, ctx.config.webhooks);
    const headers = signedHeaders(ctx.secretBox.open(d.secret_sealed), d.event_id, ctx.clock.now(), d.body);
    return await send(dest, headers, d.body);
  } catch (err) {
    if (err instanceof DestinationRefused) return { status: null, durationMs: 0, error: `refused: ${err.message}` };
    throw err;
  }
}

function disabledMail(ctx: AppContext, to: string, host: string) {
  return {
    to,
    subject: 'Kairos : un webhook de votre organisme a été désactivé',
    text:
      `Bonjour,\n\nLes envois vers le webhook ${host} échouent depuis trois jours : nous l’avons désactivé.\n` +
      `Vérifiez que votre serveur répond par un code 2xx, puis réactivez-le dans GID Partenaires (${ctx.config.publicUrl}/gid/api/webhooks) ; ` +
      'les envois échoués peuvent y être rejoués.\n\nL’équipe Kairos\n',
  };
}

export async function deliver(ctx: AppContext, deliveryId: string): Promise<void> {
  const d = await repo.lockDeliveryToSend(ctx.db, deliveryId);
  if (!d || d.status !== 'pending') return; // deleted with its endpoint, or already settled
  if (!d.enabled) {
    await repo.updateDelivery(ctx.db, d.id, { status: 'failed', next_attempt_at: null, last_error: 'endpoint disabled' });
    return;
  }
  const outcome = await attempt(ctx, d);
  const now = ctx.clock.now();
  const ok = outcome.status !== null && outcome.status >= 200 && outcome.status < 300;
  await ctx.db.transaction().execute(async (trx) => {
    const current = await repo.lockDeliveryToSend(trx, deliveryId);
    if (!current || current.status !== 'pending') return;
    const attempts = current.attempts + 1;
    const recorded = { attempts, response_code: outcome.status, duration_ms: outcome.durationMs, last_attempt_at: now };
    if (ok) {
      await repo.updateDelivery(trx, d.id, { ...recorded, status: 'delivered', delivered_at: now, next_attempt_at: null, last_error: null });
      if (current.failing_since) await repo.updateEndpoint(trx, current.endpoint_id, { failing_since: null });
      return;
    }
    const error = outcome.error ?? `HTTP ${outcome.status}`;
    const failingSince = current.failing_since ?? now;
    if (now.getTime() - failingSince.getTime() >= DISABLE_AFTER_MS) {
      await repo.updateDelivery(trx, d.id, { ...recorded, status: 'failed', next_attempt_at: null, last_error: error });
      await repo.updateEndpoint(trx, current.endpoint_id, { enabled: false, disabled_at: now, updated_at: now });
      await repo.failPendingDeliveries(trx, current.endpoint_id, 'endpoint disabled');
      const host = new URL(current.url).host;
      for (const to of await repo.accountManagerEmails(trx, current.organisation_id)) await queueMail(trx, now, disabledMail(ctx, to, host));
      await recordAudit(trx, { at: now, organisationId: current.organisation_id, action: 'webhook.disabled', target: { type: 'webhook', id: current.endpoint_id }, details: { host, failingSince: failingSince.toISOString() } });
      return;
    }
    if (!current.failing_since) await repo.updateEndpoint(trx, current.endpoint_id, { failing_since: now });
    const delay = RETRY_DELAYS_MS[attempts - 1];
    if (delay === undefined) {
      await repo.updateDelivery(trx, d.id, { ...recorded, status: 'failed', next_attempt_at: null, last_error: error });
      return;
    }
    const next = new Date(now.getTime() + delay);
    await repo.updateDelivery(trx, d.id, { ...recorded, next_attempt_at: next, last_error: error });
    await enqueueJob(trx, now, DELIVER_JOB, { deliveryId }, { runAt: next });
  });
}

export function deliveryJobHandler(ctx: AppContext): JobHandler {
  return async (payload) => {
    if (typeof payload.deliveryId === 'string') await deliver(ctx, payload.deliveryId);
  };
}
