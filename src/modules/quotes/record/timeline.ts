/**
 * The quote's timeline (quote_event) and audit rows: every transition writes both, in the
 * transaction that makes the change, with the organisation's `quote.status_changed` webhook
 * deliveries. Automatic transitions (expiry) have no actor.
 */
import type { Transaction } from 'kysely';
import type { RequestMeta } from '../../../context.js';
import type { DB, Quote } from '../../../db/schema.js';
import { byActor, recordAudit, type AuditEntry } from '../../audit/service.js';
import type { Actor } from '../../habilitations/policy.js';
import { emitWebhookEvent } from '../../webhooks/index.js';
import type { QuoteStatus } from '../rules/lifecycle.js';
import { insertQuoteEvent } from './repository.js';

export interface EventInput {
  quote: Pick<Quote, 'id' | 'version' | 'organisation_id'>;
  actor: Actor | null;
  at: Date;
  action: string;
  from: QuoteStatus | null;
  to: QuoteStatus;
  comment?: string | null;
}

export async function recordEvent(trx: Transaction<DB>, e: EventInput): Promise<void> {
  await insertQuoteEvent(trx, {
    quote_id: e.quote.id,
    at: e.at,
    actor_id: e.actor?.accountId ?? null,
    actor_login: e.actor?.login ?? null,
    action: e.action,
    from_status: e.from,
    to_status: e.to,
    version: e.quote.version,
    comment: e.comment ?? null,
  });
  if (e.from !== e.to) {
    await emitWebhookEvent(trx, e.at, e.quote.organisation_id, 'quote.status_changed', { quoteId: e.quote.id, status: e.to, version: e.quote.version });
  }
}

/** An audit row about a quote; `organisationId` is the quote's, so the OF's audit trail shows it. */
type QuoteAuditInput = { quote: Pick<Quote, 'id' | 'organisation_id'>; actor: Actor | null; meta: RequestMeta | null; at: Date; action: string; details?: Record<string, unknown> };

/** The audit row of something done to (or seen of) a quote. */
export function quoteAuditEntry(entry: QuoteAuditInput): AuditEntry {
  return {
    at: entry.at,
    ...(entry.actor && entry.meta ? byActor(entry.actor, entry.meta) : {}),
    organisationId: entry.quote.organisation_id,
    action: entry.action,
    target: { type: 'quote', id: entry.quote.id },
    details: entry.details ?? {},
  };
}

export async function recordQuoteAudit(trx: Transaction<DB>, entry: QuoteAuditInput): Promise<void> {
  await recordAudit(trx, quoteAuditEntry(entry));
}
