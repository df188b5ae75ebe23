/**
 * What `GET /api/v1/audit` declares, and the journal pages read with it: the filters (French
 * messages naming each one; days as French users type them or ISO) and the page of entries.
 */
import { z } from 'zod';
import { isoInstant } from '../../http/schemas.js';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** `jj/mm/aaaa` (as French users type it) or `aaaa-mm-jj` (ISO, for API clients) → [y, m, d], or null. */
export function parseDay(text: string): [number, number, number] | null {
  const fr = /^(\d{1,2})\/(\d{1,2})\/(\d{4})$/.exec(text);
  const iso = /^(\d{4})-(\d{2})-(\d{2})$/.exec(text);
  const [y, m, d] = fr ? [Number(fr[3]), Number(fr[2]), Number(fr[1])] : iso ? [Number(iso[1]), Number(iso[2]), Number(iso[3])] : [0, 0, 0];
  if (!y) return null;
  const check = new Date(Date.UTC(y, m - 1, d));
  return check.getUTCFullYear() === y && check.getUTCMonth() === m - 1 && check.getUTCDate() === d ? [y, m, d] : null;
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


export const auditEntriesWire = z.object({
  entries: z.array(
    z.object({
      id: z.number().int(),
      at: isoInstant,
      actorLogin: z.string().nullable(),
      organisationId: z.uuid().nullable(),
      action: z.string(),
      targetType: z.string().nullable(),
      targetId: z.string().nullable(),
      ip: z.string().nullable(),
      details: z.unknown().describe('Les faits du changement : identifiants seulement, jamais de secret.'),
    }),
  ),
  page: z.number().int(),
  hasMore: z.boolean(),
});
