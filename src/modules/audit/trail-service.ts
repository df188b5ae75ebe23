/**
 * Reading the audit trail (docs/product/security.md#audit-log). Agency administrators see every row
 * (and may filter by organisation); an account manager sees only the rows of their own
 * organisation: the filter is forced, and naming any other organisation answers 404, as for every
 * other tenant's resource.
 */
import type { AppContext, RequestMeta } from '../../context.js';
import { problems } from '../../http/problem.js';
import { hasHabilitation, type Actor } from '../habilitations/policy.js';
import { searchAuditLog, type AuditLogRow } from './repository.js';
import type { AuditQuery } from './schemas.js';
import { byActor, recordAuditAlone } from './service.js';

export const PAGE_SIZE = 50;

/** Minutes Paris is ahead of UTC at an instant (60 in winter, 120 in summer). */
function parisOffsetMs(at: Date): number {
  const parts = new Intl.DateTimeFormat('en-GB', {
    timeZone: 'Europe/Paris',
    hourCycle: 'h23',
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    second: '2-digit',
  }).formatToParts(at);
  const n = (type: string) => Number(parts.find((p) => p.type === type)?.value);
  return Date.UTC(n('year'), n('month') - 1, n('day'), n('hour'), n('minute'), n('second')) - at.getTime();
}

/** The instant a calendar day starts in Paris (the offset is read twice: DST may differ at the guess). */
export function parisDayStart(year: number, month: number, day: number): Date {
  const guess = Date.UTC(year, month - 1, day);
  const first = guess - parisOffsetMs(new Date(guess));
  return new Date(guess - parisOffsetMs(new Date(first)));
}

/** [y, m, d] → 'aaaa-mm-jj', as recorded in the audit details. */
function isoDay(day: [number, number, number]): string {
  return `${day[0]}-${String(day[1]).padStart(2, '0')}-${String(day[2]).padStart(2, '0')}`;
}

/** The organisation filter actually applied: forced to their own for an account manager. */
export function scopedOrganisation(actor: Actor, requested: string | undefined): string | undefined {
  if (hasHabilitation(actor, 'gid', ['agency_admin'])) return requested;
  const own = actor.organisation?.id;
  if (!own || (requested && requested !== own)) throw problems.notFound();
  return own;
}

export interface AuditPage {
  rows: AuditLogRow[];
  page: number;
  hasMore: boolean;
}

/**
 * One page of the trail. Reading it is itself recorded (`audit.viewed`): the log names people and
 * addresses, and a hijacked account browsing it is exactly what an investigation wants to see.
 */
export async function readAuditTrail(ctx: AppContext, actor: Actor, q: AuditQuery, meta: RequestMeta): Promise<AuditPage> {
  const organisationId = scopedOrganisation(actor, q.organisation);
  const rows = await searchAuditLog(ctx.db, {
    organisationId,
    actionPrefix: q.action,
    actorLogin: q.actor,
    from: q.from ? parisDayStart(...q.from) : undefined,
    to: q.to ? parisDayStart(q.to[0], q.to[1], q.to[2] + 1) : undefined,
    offset: (q.page - 1) * PAGE_SIZE,
    limit: PAGE_SIZE + 1,
  });
  await recordAuditAlone(ctx.db, {
    at: ctx.clock.now(),
    action: 'audit.viewed',
    ...byActor(actor, meta),
    organisationId: actor.organisation?.id ?? null,
    details: { filters: { organisation: organisationId ?? null, action: q.action ?? null, actor: q.actor ?? null, from: q.from ? isoDay(q.from) : null, to: q.to ? isoDay(q.to) : null }, page: q.page },
  });
  return { rows: rows.slice(0, PAGE_SIZE), page: q.page, hasMore: rows.length > PAGE_SIZE };
}

