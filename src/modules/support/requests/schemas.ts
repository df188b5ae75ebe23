/**
 * What the support request routes accept and answer (zod, French messages naming the field):
 * the new request's text fields, replies, status changes, the list filters, and the JSON of a
 * request. Forms and the API judge fields with the same schemas.
 */
import { z } from 'zod';
import { emptyIfAbsent, idParams, isoInstant, pageParam, uuidParam } from '../../../http/schemas.js';
import { CATEGORY_CODES, REFERENCE, SUPPORT_STATUSES, isErrorReference, REFERENCE_MESSAGE } from './rules.js';

export const REQUEST_NOT_FOUND = 'Cette demande d’assistance est introuvable.';
export const ATTACHMENT_NOT_FOUND = 'Cette pièce jointe est introuvable.';

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

const page = pageParam;
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

/** `/…/support-requests/:id`: a malformed id answers like an unknown one, 404. */
export const requestParams = idParams(REQUEST_NOT_FOUND);
export const attachmentParams = z.strictObject({ id: uuidParam(REQUEST_NOT_FOUND), attachmentId: uuidParam(ATTACHMENT_NOT_FOUND) });

/** The list filters, an empty value meaning « any » (a form's untouched select). */
export const ownListQuery = z.preprocess(withoutEmpty, ownListSchema);
export const queueQuery = z.preprocess(withoutEmpty, queueSchema);

export const replyBody = emptyIfAbsent(replySchema);
export const statusBody = emptyIfAbsent(statusSchema);

/** The forms: other fields (`_csrf`, the button) are the browser's, not the request's. */
export const replyForm = emptyIfAbsent(z.object({ body: replySchema.shape.body }));
export const statusForm = emptyIfAbsent(z.object({ status: statusSchema.shape.status }));

const organisationSchema = z.object({ id: z.string(), name: z.string() }).nullable();
const statusSchemaOut = z.enum(SUPPORT_STATUSES);

export const listItemSchema = z.object({
  id: z.string(),
  number: z.number().int(),
  status: statusSchemaOut,
  category: z.string(),
  subject: z.string(),
  createdAt: isoInstant,
  updatedAt: isoInstant,
  requester: z.object({ displayName: z.string(), organisation: organisationSchema }),
});
export const requestListSchema = z.object({ requests: z.array(listItemSchema), page: z.number().int(), hasMore: z.boolean() });

export const requestSchema = z.object({
  id: z.string(),
  number: z.number().int(),
  status: statusSchemaOut,
  category: z.string(),
  subject: z.string(),
  description: z.string(),
  steps: z.string().nullable(),
  errorReference: z.string().nullable(),
  createdAt: isoInstant,
  updatedAt: isoInstant,
  requester: z.object({
    displayName: z.string(),
    login: z.string().optional().describe('Pour l’assistance seulement.'),
    organisation: organisationSchema,
  }),
  viewerRole: z.enum(['requester', 'agent']),
  actions: z.object({ reply: z.boolean(), close: z.boolean(), reopen: z.boolean() }).describe('Ce que le lecteur peut faire maintenant.'),
  messages: z.array(z.object({ id: z.string(), authorRole: z.enum(['requester', 'agent']), authorName: z.string(), body: z.string(), at: isoInstant })),
  attachments: z.array(z.object({ id: z.string(), fileName: z.string(), mediaType: z.string(), size: z.number().int(), url: z.string() })),
});

export const createdSchema = z.object({ id: z.string(), status: statusSchemaOut });
export const movedSchema = z.object({ id: z.string(), status: statusSchemaOut });
