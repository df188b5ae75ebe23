/** What the queue routes and the advisor's queue page accept and answer. */
import { z } from 'zod';
import { formField } from '../../../http/forms.js';
import { isoDay, isoInstant, pageParam } from '../../../http/schemas.js';
import { isRealDate } from '../../onboarding/rules.js';
import { QUOTE_STATUSES } from '../rules/lifecycle.js';
import { findingWire, quoteStatus, quoteType } from '../record/schemas.js';

const date = (label: string) => z.string().refine(isRealDate, `${label} : date invalide, format aaaa-mm-jj attendu.`).optional();

export const queueQuery = z.strictObject({
  status: z.enum(QUOTE_STATUSES, { error: `Statut (status) : choisissez parmi ${QUOTE_STATUSES.join(', ')}.` }).default('accepted'),
  organisation: z.uuid({ error: 'Organisme (organisation) : identifiant invalide.' }).optional(),
  startFrom: date('Début à partir du (startFrom)'),
  startTo: date('Début jusqu’au (startTo)'),
  minWaitingDays: z.coerce
    .number({ error: 'Attente minimale (minWaitingDays) : nombre entier de jours attendu.' })
    .int('Attente minimale (minWaitingDays) : nombre entier de jours attendu.')
    .min(0, 'Attente minimale (minWaitingDays) : 0 au minimum.')
    .max(3650, 'Attente minimale (minWaitingDays) : 3 650 au maximum.')
    .optional(),
  warnings: z.enum(['with', 'without'], { error: 'Avertissements (warnings) : « with » ou « without ».' }).optional(),
  mine: z
    .enum(['true', 'false'], { error: 'Mes candidats (mine) : « true » ou « false ».' })
    .transform((v) => v === 'true')
    .optional()
    .describe('« true » : seulement les candidats que vous avez inscrits.'),
  page: pageParam,
});
export type QueueQuery = z.output<typeof queueQuery>;

export const queueWire = z.object({
  page: z.number().int(),
  pageSize: z.number().int(),
  total: z.number().int(),
  quotes: z.array(
    z.object({
      id: z.uuid(),
      type: quoteType,
      status: quoteStatus,
      version: z.number().int(),
      organisation: z.object({ id: z.uuid(), name: z.string() }),
      candidate: z.object({ identifier: z.string(), lastName: z.string(), firstName: z.string() }),
      title: z.string(),
      startDate: isoDay,
      endDate: isoDay,
      waitingSince: isoInstant.describe('Acceptation par le candidat (à défaut, envoi).'),
      waitingDays: z.number().int(),
      warnings: z.array(findingWire),
    }),
  ),
});

export const candidateQuotesWire = z.object({
  quotes: z.array(
    z.object({
      id: z.uuid(),
      type: quoteType,
      status: quoteStatus,
      version: z.number().int(),
      organisation: z.object({ id: z.uuid(), name: z.string() }),
      title: z.string(),
      startDate: isoDay,
      endDate: isoDay,
      submittedAt: isoInstant,
    }),
  ),
});

// The advisor's queue page: a GET form of the same filters, kept as typed to be shown again.

export const QUEUE_FILTERS = ['status', 'organisation', 'startFrom', 'startTo', 'minWaitingDays', 'warnings', 'mine', 'page'] as const;
export type RawQueueFilters = Record<(typeof QUEUE_FILTERS)[number], string>;

/** The filters as typed; absent and repeated parameters read as empty, empty ones are left to the defaults. */
export function rawQueueFilters(query: unknown): RawQueueFilters {
  const q = (query && typeof query === 'object' ? query : {}) as Record<string, unknown>;
  return Object.fromEntries(QUEUE_FILTERS.map((k) => [k, typeof q[k] === 'string' ? (q[k] as string).trim().slice(0, 100) : ''])) as RawQueueFilters;
}

/** What the API would receive: empty filters left out, and dates typed as jj/mm/aaaa (browsers without a date picker) read as aaaa-mm-jj. */
export function queryOf(raw: RawQueueFilters): Record<string, string> {
  const iso = (v: string) => v.replace(/^(\d{2})\/(\d{2})\/(\d{4})$/, '$3-$2-$1');
  const q: Record<string, string> = { ...raw, startFrom: iso(raw.startFrom), startTo: iso(raw.startTo) };
  return Object.fromEntries(Object.entries(q).filter(([, v]) => v !== ''));
}

/**
 * The page's filters judged by the API's query schema (same messages, same field names); other
 * parameters are ignored. The filters as typed travel along, to be shown in the form again.
 */
export const queuePageQuery = z
  .object(Object.fromEntries(QUEUE_FILTERS.map((k) => [k, formField()])) as Record<(typeof QUEUE_FILTERS)[number], ReturnType<typeof formField>>)
  .transform((query) => {
    const raw = rawQueueFilters(query);
    return { ...queryOf(raw), raw };
  })
  .pipe(queueQuery.extend({ raw: z.custom<RawQueueFilters>() }));
