/** What the webhook routes declare: bodies with French messages naming the field, answers on the wire. */
import { z } from 'zod';
import { isoInstant, uuidParam } from '../../http/schemas.js';
import { WEBHOOK_EVENTS } from './events.js';

export const WEBHOOK_TAGS = ['GID — webhooks'];

export const organisationParams = z.strictObject({ orgId: uuidParam() });
export const endpointParams = z.strictObject({ orgId: uuidParam(), id: uuidParam() });
export const deliveryParams = z.strictObject({ orgId: uuidParam(), id: uuidParam(), deliveryId: uuidParam() });

const EVENTS_LIST = WEBHOOK_EVENTS.join(', ');

const url = z
  .string({ error: (i) => (i.input === undefined ? 'L’adresse (url) est obligatoire : indiquez l’URL https de votre serveur.' : 'L’adresse (url) doit être un texte.') })
  .trim()
  .min(1, { error: 'L’adresse (url) est obligatoire : indiquez l’URL https de votre serveur.' })
  .max(2000, { error: 'L’adresse (url) ne doit pas dépasser 2 000 caractères.' });

const events = z
  .array(z.enum(WEBHOOK_EVENTS, { error: `Les événements (events) doivent être pris parmi : ${EVENTS_LIST}.` }), {
    error: (i) => (i.input === undefined ? `Les événements (events) sont obligatoires : choisissez-en au moins un parmi ${EVENTS_LIST}.` : 'Les événements (events) doivent être une liste.'),
  })
  .min(1, { error: `Les événements (events) : choisissez-en au moins un parmi ${EVENTS_LIST}.` })
  .transform((list) => [...new Set(list)]);

export const createBody = z.strictObject({ url, events }, { error: 'Le corps de la requête doit être un objet JSON.' });

export const patchBody = z
  .strictObject(
    {
      url: url.optional(),
      events: events.optional(),
      enabled: z.boolean({ error: 'Activé (enabled) doit valoir true ou false.' }).optional(),
    },
    { error: 'Le corps de la requête doit être un objet JSON.' },
  )
  .refine((b) => b.url !== undefined || b.events !== undefined || b.enabled !== undefined, {
    error: 'Indiquez au moins un champ à modifier : url, events ou enabled.',
    path: ['url'],
  });

export const endpointWire = z.object({
  id: z.uuid(),
  url: z.string(),
  events: z.array(z.enum(WEBHOOK_EVENTS)),
  enabled: z.boolean(),
  failingSince: isoInstant.nullable().describe('Premier échec de la série en cours ; null quand le dernier envoi a réussi.'),
  disabledAt: isoInstant.nullable(),
  createdAt: isoInstant,
});

export const createdWire = endpointWire.extend({
  secret: z.string().describe('Le secret de signature (whsec_…), montré cette seule fois.'),
});

export const listWire = z.object({ webhooks: z.array(endpointWire) });

export const deliveryWire = z.object({
  id: z.uuid(),
  eventId: z.uuid().describe('La valeur de l’en-tête webhook-id.'),
  type: z.string(),
  status: z.enum(['pending', 'delivered', 'failed']),
  attempts: z.number().int(),
  responseCode: z.number().int().nullable(),
  durationMs: z.number().int().nullable(),
  lastError: z.string().nullable(),
  createdAt: isoInstant,
  lastAttemptAt: isoInstant.nullable(),
  nextAttemptAt: isoInstant.nullable(),
  deliveredAt: isoInstant.nullable(),
});

export const deliveriesWire = z.object({ deliveries: z.array(deliveryWire) });

export const replayWire = z.object({ id: z.uuid(), status: z.literal('pending') });
