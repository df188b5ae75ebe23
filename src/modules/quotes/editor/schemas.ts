/**
 * What the organisation's quote routes and editor pages accept and answer. The editor form is
 * judged by the API's own quote schema: its fields are named by their dotted path in the JSON
 * (form-input.ts), so every error names the input to show it next to.
 */
import { z } from 'zod';
import { formField } from '../../../http/forms.js';
import { emptyIfAbsent, isoDay, isoInstant, pageParam } from '../../../http/schemas.js';
import { QUOTE_STATUSES } from '../rules/lifecycle.js';
import { MAX_OTHER_LINES, quoteCreateSchema, quoteInputSchema, quotePatchSchema } from '../rules/quote-schema.js';
import { MAX_SCHEDULE_RANGES } from '../rules/schedule.js';
import { QUOTE_CANCEL_EXAMPLE } from './examples.js';
import { quoteStatus, quoteType } from '../record/schemas.js';
import { FIELD_MAX, formValuesFromBody, quoteJsonOf, type FormValues } from './form-input.js';

export const listQuery = z.strictObject({
  status: z.enum(QUOTE_STATUSES, { error: `Statut (status) : choisissez parmi ${QUOTE_STATUSES.join(', ')}.` }).optional(),
  q: z.string().trim().max(100, 'Recherche (q) : 100 caractères au maximum.').optional(),
  erreurs: z
    .enum(['oui'], { error: 'Erreurs (erreurs) : seule la valeur « oui » est acceptée (les brouillons qui ne peuvent pas être soumis en l’état).' })
    .optional()
    .describe('« oui » : seulement les brouillons qui ne peuvent pas être soumis en l’état (au moins une erreur bloquante).'),
  page: pageParam,
});

export const quoteListWire = z.object({
  page: z.number().int(),
  pageSize: z.number().int(),
  total: z.number().int(),
  quotes: z.array(
    z.object({
      id: z.uuid(),
      type: quoteType,
      status: quoteStatus,
      version: z.number().int(),
      candidate: z.object({ identifier: z.string(), lastName: z.string(), birthDate: isoDay }),
      title: z.string(),
      startDate: isoDay,
      endDate: isoDay,
      updatedAt: isoInstant,
    }),
  ),
});

export const quoteCreateBody = emptyIfAbsent(quoteCreateSchema);
export const quotePatchBody = emptyIfAbsent(quotePatchSchema);

export const cancelBody = emptyIfAbsent(
  z.strictObject({
    reason: z.string({ error: 'Motif (reason) : texte attendu.' }).trim().max(2000, 'Motif (reason) : 2 000 caractères au maximum.').nullish(),
    version: z.number({ error: 'Version (version) : nombre entier attendu.' }).int('Version (version) : nombre entier attendu.').min(1).optional(),
  }).meta({ examples: [QUOTE_CANCEL_EXAMPLE] }),
);

// Pages. Their query strings are read leniently: a hand-edited address shows the page, not an error.

/** The confirmation chosen by a redirect (`fait`), on the quote page and the template list. */
export const noticeQuery = z.object({ fait: formField(40) });
export const listPageQuery = z.object({ status: formField(40), q: formField(100), erreurs: formField(10), page: formField(10) });
/** A button's form (cancel, new version): nothing but the CSRF field. */
export const quoteActionForm = z.object({});
/** `modele`: the template a new quote starts from. */
export const newQuoteQuery = z.object({ modele: formField(100) });

/** Every field of the editor form by its dotted name, plus the template it started from and the button used. */
const FORM_FIELD_NAMES = [
  'type',
  ...['identifier', 'lastName', 'birthDate'].map((f) => `candidate.${f}`),
  ...['title', 'carifOrefSession', 'formacode', 'certification', 'startDate', 'endDate', 'centreHours', 'companyHours', 'place', 'distanceLearning'].map((f) => `training.${f}`),
  ...Array.from({ length: MAX_SCHEDULE_RANGES }, (_, i) => ['weekday', 'from', 'to'].map((f) => `training.schedule.${i}.${f}`)).flat(),
  'costs.hourlyRate',
  'costs.pedagogicalCost',
  ...Array.from({ length: MAX_OTHER_LINES }, (_, i) => ['label', 'amount'].map((f) => `costs.otherLines.${i}.${f}`)).flat(),
  ...['employerSiret', 'jobOfferReference', 'contractType', 'contractMonths'].map((f) => `poei.${f}`),
  ...['lastName', 'firstName', 'jobTitle'].map((f) => `poei.tutor.${f}`),
];

/** The editor form as browsers send it; nothing is refused at this stage (the live summary reads it as typed). */
export const quoteFormFields = z.object({
  ...Object.fromEntries(FORM_FIELD_NAMES.map((name) => [name, formField(FIELD_MAX)])),
  modele: formField(100),
  action: formField(20),
});

/** What the editor form adds to the quote: the values as typed (shown again if the service refuses), the template, the button. */
export interface QuoteFormExtras {
  values: FormValues;
  modele: string;
  action: string;
}

/**
 * The editor form, judged by the API's quote schema. A refused form is shown again as typed
 * (the raw body, with `attachValidation`); an accepted one carries its typed values along for the
 * service's own refusals (a candidate that does not match).
 */
export const quoteFormBody = quoteFormFields
  .transform((body) => {
    const values = formValuesFromBody(body);
    return { ...quoteJsonOf(values), form: { values, modele: body.modele, action: body.action } };
  })
  .pipe(quoteInputSchema.extend({ form: z.custom<QuoteFormExtras>() }));
