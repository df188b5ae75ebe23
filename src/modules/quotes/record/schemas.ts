/**
 * A quote on the wire, as every quote route answers it (quote-json.ts writes it): the sections of
 * the JSON contract, the funding computed from them, the status, and the timeline.
 */
import { z } from 'zod';
import { idParams, isoDay, isoInstant } from '../../../http/schemas.js';
import { QUOTE_STATUSES, TIMELINE_ACTIONS } from '../rules/lifecycle.js';
import { CONTRACT_TYPES, QUOTE_TYPES } from '../rules/quote-schema.js';
import { QUOTE_NOT_FOUND } from './messages.js';

/** `/…/quotes/:id`: an id that is not a UUID answers the same 404 as an unknown quote. */
export const quoteIdParams = idParams(QUOTE_NOT_FOUND);

export const quoteStatus = z.enum(QUOTE_STATUSES);
export const quoteType = z.enum(QUOTE_TYPES);

export const trainingWire = z.object({
  title: z.string(),
  carifOrefSession: z.string(),
  formacode: z.string(),
  certification: z.string().nullable(),
  startDate: isoDay,
  endDate: isoDay,
  schedule: z.array(z.object({ weekday: z.number().int().describe('1 = lundi … 7 = dimanche'), from: z.string(), to: z.string() })),
  centreHours: z.number(),
  companyHours: z.number(),
  place: z.string().nullable(),
  distanceLearning: z.boolean(),
});

const costsWire = z.object({
  hourlyRate: z.number().describe('Euros, 2 décimales au plus.'),
  pedagogicalCost: z.number(),
  otherLines: z.array(z.object({ label: z.string(), amount: z.number() })),
});

const poeiWire = z.object({
  employerSiret: z.string(),
  jobOfferReference: z.string(),
  contractType: z.enum(CONTRACT_TYPES),
  contractMonths: z.number().int().nullable(),
  tutor: z.object({ lastName: z.string(), firstName: z.string(), jobTitle: z.string() }),
});

export const findingWire = z.object({ field: z.string(), code: z.string(), message: z.string() });

const timelineEntryWire = z.object({
  at: isoInstant,
  actor: z.string().nullable().describe('Identifiant de la personne ; pour le candidat, qui (l’organisme, vous, votre conseiller).'),
  action: z.enum(TIMELINE_ACTIONS),
  fromStatus: quoteStatus.nullable(),
  toStatus: quoteStatus,
  version: z.number().int(),
  comment: z.string().nullable(),
});

export const quoteWire = z.object({
  id: z.uuid(),
  type: quoteType,
  candidate: z.object({ identifier: z.string(), lastName: z.string(), birthDate: isoDay }),
  training: trainingWire,
  costs: costsWire,
  poei: poeiWire.nullable(),
  funding: z.object({ fundedAmount: z.number(), notFundedAmount: z.number(), totalAmount: z.number() }).describe('Ce que finance l’agence, ce qui reste à financer, le total (euros).'),
  status: quoteStatus,
  version: z.number().int(),
  organisation: z.object({ id: z.uuid(), name: z.string() }),
  warnings: z.array(findingWire).describe('Avertissements des règles, calculés à la lecture (vides pour le candidat).'),
  submittedAt: isoInstant.nullable(),
  agreementReference: z.string().nullable(),
  trainingId: z.uuid().nullable(),
  createdAt: isoInstant,
  updatedAt: isoInstant,
  timeline: z.array(timelineEntryWire),
});
