/** What the candidate routes accept and answer; the routes declare these, the service gets typed input. */
import { z } from 'zod';
import { isoDay, isoInstant } from '../../http/schemas.js';
import { personName } from '../../validation.js';
import { QUOTE_STATUSES } from '../quotes/rules/lifecycle.js';
import { QUOTE_TYPES } from '../quotes/rules/quote-schema.js';
import { isRealDate } from '../onboarding/rules.js';

export const IDENTIFIER = /^\d{7}[A-Z]$/;
export const CANDIDATE_NOT_FOUND = 'Ce candidat est introuvable.';

/** Spaces and lower case are how people copy an identifier from a letter; both are harmless. */
export const normaliseIdentifier = (v: string) => v.replace(/\s/g, '').toUpperCase();

/** `today` is read at each request: the birth date must lie in the past of the request's day. */
export function candidateInputSchema(today: () => string) {
  return z.strictObject({
    identifier: z
      .string({ error: 'Identifiant : champ obligatoire.' })
      .transform(normaliseIdentifier)
      .refine((v) => IDENTIFIER.test(v), 'Identifiant : 7 chiffres suivis d’une lettre attendus (exemple : 1234567A).'),
    lastName: personName('Nom'),
    firstName: personName('Prénom'),
    birthDate: z
      .string({ error: 'Date de naissance : champ obligatoire.' })
      .refine(isRealDate, 'Date de naissance : date invalide, saisissez-la au format aaaa-mm-jj (exemple : 1990-04-12).')
      .refine((v) => v >= '1900-01-01' && v < today(), 'Date de naissance : elle doit être passée et postérieure au 1er janvier 1900.'),
    email: z
      .string({ error: 'Adresse e-mail : champ obligatoire.' })
      .trim()
      .max(254, 'Adresse e-mail : 254 caractères au maximum.')
      .pipe(z.email('Adresse e-mail : adresse invalide (exemple : prenom.nom@exemple.fr).')),
  });
}
export type CandidateInput = z.output<ReturnType<typeof candidateInputSchema>>;

export const searchQuery = z.strictObject({
  q: z
    .string({ error: 'Recherche (q) : champ obligatoire.' })
    .trim()
    .min(2, 'Recherche (q) : au moins 2 caractères (nom, prénom ou identifiant).')
    .max(100, 'Recherche (q) : 100 caractères au maximum.'),
});

/**
 * The identifier in the path, as typed (spaces, lower case): one that cannot be an identifier
 * answers 404 like an unknown one, so the two cannot be told apart.
 */
export const identifierParams = z.strictObject({
  identifier: z
    .string()
    .transform(normaliseIdentifier)
    .refine((v) => IDENTIFIER.test(v), CANDIDATE_NOT_FOUND),
});

export const candidateSchema = z.object({
  identifier: z.string(),
  lastName: z.string(),
  firstName: z.string(),
  birthDate: isoDay,
  email: z.string(),
});

export const candidateFileSchema = candidateSchema.extend({
  quotes: z.array(
    z.object({
      id: z.uuid(),
      type: z.enum(QUOTE_TYPES),
      status: z.enum(QUOTE_STATUSES),
      version: z.number().int(),
      organisation: z.object({ id: z.uuid(), name: z.string() }),
      title: z.string().nullable(),
      startDate: isoDay.nullable(),
      endDate: isoDay.nullable(),
      updatedAt: isoInstant,
    }),
  ),
  trainings: z.array(z.never()).describe('Toujours vide : le suivi se lit par /api/v1/trainings.'),
});
