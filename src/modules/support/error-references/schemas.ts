/** What the error-reference lookup accepts and answers. */
import { z } from 'zod';
import { isoInstant, uuidParam } from '../../../http/schemas.js';

export const REFERENCE_NOT_FOUND = 'Aucune erreur n’est enregistrée sous cette référence (les références sont conservées 30 jours).';

/** A malformed reference answers like an unknown one: 404. */
export const referenceParams = z.strictObject({ requestId: uuidParam(REFERENCE_NOT_FOUND) });

export const referenceSchema = z.object({
  requestId: z.string(),
  at: isoInstant,
  method: z.string(),
  route: z.string(),
  status: z.number().int(),
  user: z.object({ login: z.string() }).nullable(),
  organisationId: z.string().nullable(),
  errorClass: z.string(),
  message: z.string(),
});
