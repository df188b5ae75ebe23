/**
 * Support requests, the pure part: categories, statuses and who may move a
 * request from one to the other (a table, like the quote lifecycle), and the input schemas
 * shared by the API and the forms.
 */
import { z } from 'zod';
import type { SupportRequestStatus } from '../../../db/schema.js';

export const SUPPORT_CATEGORIES = [
  { code: 'acces', label: 'Accès et connexion' },
  { code: 'habilitations', label: 'Habilitations' },
  { code: 'devis', label: 'Devis' },
  { code: 'assiduite', label: 'Assiduité et suivi de formation' },
  { code: 'erreur', label: 'Erreur ou comportement inattendu' },
  { code: 'autre', label: 'Autre question' },
] as const;
export type SupportCategory = (typeof SUPPORT_CATEGORIES)[number]['code'];
const CATEGORY_CODES = SUPPORT_CATEGORIES.map((c) => c.code) as [SupportCategory, ...SupportCategory[]];

export const SUPPORT_STATUSES = ['open', 'answered', 'closed'] as const satisfies readonly SupportRequestStatus[];
export const STATUS_LABELS: Record<SupportRequestStatus, string> = { open: 'Ouverte', answered: 'Répondue', closed: 'Close' };

export function categoryLabel(code: string): string {
  return SUPPORT_CATEGORIES.find((c) => c.code === code)?.label ?? code;
}

/** The two sides of a request: the person who asked, and the agency's support agents. */
export type SupportParty = 'requester' | 'agent';
export type SupportMove = 'reply' | 'close' | 'reopen';

interface Transition {
  move: SupportMove;
  by: readonly SupportParty[];
  from: readonly SupportRequestStatus[];
  to: SupportRequestStatus;
}

/**
 * open → answered → closed, and back: an agent's reply answers the request, the requester's
 * reply (or their reopening a closed one) puts it back in the queue. A closed request takes no
 * reply: it must be reopened first, and only its requester may do that.
 */
export const TRANSITIONS: readonly Transition[] = [
  { move: 'reply', by: ['agent'], from: ['open', 'answered'], to: 'answered' },
  { move: 'reply', by: ['requester'], from: ['open', 'answered'], to: 'open' },
  { move: 'close', by: ['requester', 'agent'], from: ['open', 'answered'], to: 'closed' },
  { move: 'reopen', by: ['requester'], from: ['closed'], to: 'open' },
];

export type MoveOutcome =
  | { ok: true; to: SupportRequestStatus }
  | { ok: false; reason: 'forbidden' | 'conflict'; message: string };

const REFUSALS: Record<SupportMove, { forbidden: string; conflict: string }> = {
  reply: {
    forbidden: 'Vous ne pouvez pas répondre à cette demande.',
    conflict: 'Cette demande est close : elle ne reçoit plus de réponse. Son demandeur peut la rouvrir.',
  },
  close: { forbidden: 'Vous ne pouvez pas clore cette demande.', conflict: 'Cette demande est déjà close.' },
  reopen: {
    forbidden: 'Seul le demandeur peut rouvrir sa demande.',
    conflict: 'Cette demande n’est pas close : elle est toujours traitée par l’assistance.',
  },
};

export function applyMove(move: SupportMove, party: SupportParty, current: SupportRequestStatus): MoveOutcome {
  const rows = TRANSITIONS.filter((t) => t.move === move && t.by.includes(party));
  if (rows.length === 0) return { ok: false, reason: 'forbidden', message: REFUSALS[move].forbidden };
  const row = rows.find((t) => t.from.includes(current));
  if (!row) return { ok: false, reason: 'conflict', message: REFUSALS[move].conflict };
  return { ok: true, to: row.to };
}

const REFERENCE = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
export const REFERENCE_MESSAGE =
  'Référence de l’erreur (errorReference) : recopiez la référence affichée sur la page d’erreur, par exemple 1b4e28ba-2fa1-41d2-883f-0016d3cca427, ou laissez le champ vide.';

export function isErrorReference(value: string): boolean {
  return REFERENCE.test(value);
}

/** Browsers send a textarea's line breaks as CRLF; they are stored as LF. */
const lf = (v: string) => v.replace(/\r\n?/g, '\n');

/** A form sends every field, empty or not: an empty optional text means « not given ». */
const optionalText = (max: number, message: string) =>
  z
    .string({ error: message })
    .trim()
    .max(max, message)
    .optional()
    .transform((v) => (v ? lf(v) : null));

export const TEXT_MAX = 5000;

export const supportRequestSchema = z.strictObject({
  category: z.enum(CATEGORY_CODES, { error: `Catégorie (category) : choisissez parmi ${CATEGORY_CODES.join(', ')}.` }),
  subject: z
    .string({ error: 'Objet (subject) : résumez votre demande en quelques mots.' })
    .trim()
    .min(3, 'Objet (subject) : résumez votre demande en quelques mots (3 caractères au moins).')
    .max(150, 'Objet (subject) : 150 caractères au maximum.'),
  description: z
    .string({ error: 'Description (description) : décrivez le problème ou la question.' })
    .trim()
    .min(10, 'Description (description) : décrivez le problème ou la question (10 caractères au moins).')
    .max(TEXT_MAX, 'Description (description) : 5 000 caractères au maximum.')
    .transform(lf),
  steps: optionalText(TEXT_MAX, 'Étapes suivies (steps) : 5 000 caractères au maximum.'),
  errorReference: z
    .string({ error: REFERENCE_MESSAGE })
    .trim()
    .optional()
    .refine((v) => !v || isErrorReference(v), REFERENCE_MESSAGE)
    .transform((v) => (v ? v.toLowerCase() : null)),
});
export type SupportRequestInput = z.output<typeof supportRequestSchema>;
export const SUPPORT_REQUEST_FIELDS = ['category', 'subject', 'description', 'steps', 'errorReference'] as const;

export const replySchema = z.strictObject({
  body: z
    .string({ error: 'Message (body) : écrivez votre message.' })
    .trim()
    .min(1, 'Message (body) : écrivez votre message.')
    .max(TEXT_MAX, 'Message (body) : 5 000 caractères au maximum.')
    .transform(lf),
});

export const statusSchema = z.strictObject({
  status: z.enum(['closed', 'open'], { error: 'Statut (status) : « closed » pour clore la demande, « open » pour la rouvrir.' }),
});

const page = z.coerce
  .number({ error: 'Page (page) : nombre entier attendu.' })
  .int('Page (page) : nombre entier attendu.')
  .min(1, 'Page (page) : 1 au minimum.')
  .max(10_000, 'Page (page) : 10 000 au maximum.')
  .default(1);
const statusFilter = z.enum(SUPPORT_STATUSES, { error: `Statut (status) : choisissez parmi ${SUPPORT_STATUSES.join(', ')}.` }).optional();

export const ownListSchema = z.strictObject({ status: statusFilter, page });

export const queueSchema = z.strictObject({
  status: statusFilter,
  category: z.enum(CATEGORY_CODES, { error: `Catégorie (category) : choisissez parmi ${CATEGORY_CODES.join(', ')}.` }).optional(),
  organisation: z.string().regex(REFERENCE, 'Organisme (organisation) : identifiant d’organisme attendu.').transform((v) => v.toLowerCase()).optional(),
  /** Minimum age in days: « waiting for at least N days ». */
  age: z.coerce
    .number({ error: 'Ancienneté (age) : nombre de jours attendu.' })
    .int('Ancienneté (age) : nombre entier de jours attendu.')
    .min(0, 'Ancienneté (age) : 0 jour au minimum.')
    .max(3650, 'Ancienneté (age) : 3 650 jours au maximum.')
    .optional(),
  page,
});
export type QueueFilters = z.output<typeof queueSchema>;

/** Query strings and forms send empty strings for untouched filters: they mean « any ». */
export function withoutEmpty(query: unknown): Record<string, unknown> {
  const q = query && typeof query === 'object' ? (query as Record<string, unknown>) : {};
  return Object.fromEntries(Object.entries(q).filter(([, v]) => v !== ''));
}
