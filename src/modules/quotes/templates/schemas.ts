/** What the template routes and pages accept and answer; the routes declare these, the service gets typed input. */
import { z } from 'zod';
import { formField } from '../../../http/forms.js';
import { idParams, isoInstant } from '../../../http/schemas.js';
import { QUOTE_TYPES, trainingSectionSchema } from '../rules/quote-schema.js';
import { quoteType, trainingWire } from '../record/schemas.js';

export const TEMPLATE_NOT_FOUND = 'Ce modèle de devis est introuvable.';

export const templateIdParams = idParams(TEMPLATE_NOT_FOUND);

const nameSchema = z
  .string({ error: (iss) => (iss.input === undefined ? 'Nom du modèle (name) : champ obligatoire.' : 'Nom du modèle (name) : texte attendu.') })
  .trim()
  .min(1, 'Nom du modèle (name) : champ obligatoire.')
  .max(100, 'Nom du modèle (name) : 100 caractères au maximum.');

/** From a quote of the organisation, or from a training section given directly. */
export const templateCreateSchema = z
  .strictObject({
    name: nameSchema,
    quoteId: z.uuid({ error: 'Devis (quoteId) : identifiant de devis invalide.' }).optional(),
    type: z.enum(QUOTE_TYPES, { error: 'Type de devis (type) : choisissez AIF ou POEI.' }).optional(),
    training: trainingSectionSchema.optional(),
  })
  .superRefine((v, ctx) => {
    if (v.quoteId && v.training) ctx.addIssue({ code: 'custom', path: ['training'], message: 'Formation (training) : donnez soit un devis (quoteId), soit une formation, pas les deux.' });
    if (!v.quoteId && !v.training) ctx.addIssue({ code: 'custom', path: ['quoteId'], message: 'Devis (quoteId) : indiquez le devis dont la formation sert de modèle (ou la section training).' });
  });
export type TemplateCreateInput = z.output<typeof templateCreateSchema>;

export const templateRenameSchema = z.strictObject({ name: nameSchema });

export const templateWire = z.object({
  id: z.uuid(),
  name: z.string(),
  type: quoteType,
  training: trainingWire,
  createdAt: isoInstant,
  updatedAt: isoInstant,
});

// Pages: the name as typed in a form, judged by the API's rule.

/** "Save as template" on a quote page, and "rename" on the template list. */
export const templateNameForm = z.object({ name: formField(1000).pipe(nameSchema) });
/** A button's form (delete): nothing but the CSRF field. */
export const templateActionForm = z.object({});
/** The confirmation chosen by a redirect (`fait`). */
export const templatesPageQuery = z.object({ fait: formField(20) });
