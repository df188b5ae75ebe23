/**
 * Reading the audit trail (docs/product/security.md#audit-log). Agency administrators see every row
 * (and may filter by organisation); an account manager sees only the rows of their own
 * organisation: the filter is forced, and naming any other organisation answers 404, as for every
 * other tenant's resource.
 */
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { AppContext, RequestMeta } from '../../context.js';
import { problems } from '../../http/problem.js';
import { actorOf, requestMeta } from '../../http/request-meta.js';
import { hasHabilitation, requireHabilitation, type Actor } from '../habilitations/policy.js';
import { searchAuditLog, type AuditLogRow } from './repository.js';
import { byActor, recordAuditAlone } from './service.js';

export const PAGE_SIZE = 50;

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

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

/** `jj/mm/aaaa` (as French users type it) or `aaaa-mm-jj` (ISO, for API clients) → [y, m, d], or null. */
export function parseDay(text: string): [number, number, number] | null {
  const fr = /^(\d{1,2})\/(\d{1,2})\/(\d{4})$/.exec(text);
  const iso = /^(\d{4})-(\d{2})-(\d{2})$/.exec(text);
  const [y, m, d] = fr ? [Number(fr[3]), Number(fr[2]), Number(fr[1])] : iso ? [Number(iso[1]), Number(iso[2]), Number(iso[3])] : [0, 0, 0];
  if (!y) return null;
  const check = new Date(Date.UTC(y, m - 1, d));
  return check.getUTCFullYear() === y && check.getUTCMonth() === m - 1 && check.getUTCDate() === d ? [y, m, d] : null;
}

/** [y, m, d] → 'aaaa-mm-jj', as recorded in the audit details. */
function isoDay(day: [number, number, number]): string {
  return `${day[0]}-${String(day[1]).padStart(2, '0')}-${String(day[2]).padStart(2, '0')}`;
}

const blankAsMissing = (v: unknown) => (v === '' ? undefined : typeof v === 'string' ? v.trim() : v);

function dayField(label: string, field: string) {
  return z.preprocess(
    blankAsMissing,
    z
      .string({ error: `${label} (${field}) doit être une date unique.` })
      .refine((v) => parseDay(v) !== null, { error: `${label} (${field}) doit être une date au format jj/mm/aaaa, par exemple 05/03/2026.` })
      .transform((v) => parseDay(v)!)
      .optional(),
  );
}

export const auditQuerySchema = z
  .object({
    organisation: z.preprocess(blankAsMissing, z.string({ error: 'L’organisme (organisation) doit être un identifiant unique.' }).regex(UUID, { error: 'L’organisme (organisation) doit être un identifiant valide (UUID).' }).transform((v) => v.toLowerCase()).optional()),
    action: z.preprocess(blankAsMissing, z.string({ error: 'L’action (action) doit être un texte unique.' }).regex(/^[a-z0-9_.]{1,80}$/, { error: 'L’action (action) ne peut contenir que des lettres minuscules sans accent, des chiffres, « _ » et « . » (par exemple access_review).' }).optional()),
    actor: z.preprocess(blankAsMissing, z.string({ error: 'L’auteur (actor) doit être un identifiant unique.' }).max(100, { error: 'L’auteur (actor) ne doit pas dépasser 100 caractères.' }).transform((v) => v.toLowerCase()).optional()),
    from: dayField('La date de début', 'from'),
    to: dayField('La date de fin', 'to'),
    page: z.preprocess(blankAsMissing, z.coerce.number({ error: 'La page (page) doit être un nombre.' }).int({ error: 'La page (page) doit être un nombre entier.' }).min(1, { error: 'La page (page) commence à 1.' }).max(10_000, { error: 'La page (page) ne doit pas dépasser 10 000.' }).default(1)),
  })
  .refine((q) => !q.from || !q.to || Date.UTC(...q.from) <= Date.UTC(...q.to), { error: 'La date de fin (to) doit être postérieure ou égale à la date de début (from).', path: ['to'] });
export type AuditQuery = z.infer<typeof auditQuerySchema>;

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

export const auditReaders = requireHabilitation('gid', ['agency_admin', 'account_manager']);

export async function auditRoutes(app: FastifyInstance): Promise<void> {
  const r = app.withTypeProvider<ZodTypeProvider>();
  r.get('/api/v1/audit', { config: { access: auditReaders }, schema: { querystring: auditQuerySchema } }, async (request) => {
    const result = await readAuditTrail(app.ctx, actorOf(request), request.query, requestMeta(request));
    return {
      entries: result.rows.map((e) => ({
        id: e.id,
        at: e.at.toISOString(),
        actorLogin: e.actor_login,
        organisationId: e.organisation_id,
        action: e.action,
        targetType: e.target_type,
        targetId: e.target_id,
        ip: e.ip,
        details: e.details,
      })),
      page: result.page,
      hasMore: result.hasMore,
    };
  });
}
