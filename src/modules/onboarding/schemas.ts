/**
 * What the onboarding routes accept and answer (zod, French messages naming the field): the
 * membership request (its field rules: rules.ts), the agency's review of requests and letters,
 * and the two steps of activation. The forms judge fields with the same rules.
 */
import { z } from 'zod';
import { emptyIfAbsent, idParams, isoDay, isoInstant } from '../../http/schemas.js';
import { formField } from '../../http/forms.js';
import { isRealDate, membershipRequestSchema } from './rules.js';

export const REQUEST_NOT_FOUND = 'Cette demande d’adhésion est introuvable.';
export const LETTER_NOT_FOUND = 'Ce courrier est introuvable.';

/** A malformed id answers like an unknown one: 404 with the same words. */
export const requestParams = idParams(REQUEST_NOT_FOUND);
export const letterParams = idParams(LETTER_NOT_FOUND);

/** The membership request, judged against the Paris day of the moment it arrives. */
export const membershipBody = (today: () => string) => emptyIfAbsent(membershipRequestSchema(today));

// A real calendar day: 2026-02-30 passed the format and made the database fail (found by fuzzing).
const day = (label: string) =>
  z
    .string()
    .regex(/^\d{4}-\d{2}-\d{2}$/, `${label} : date au format aaaa-mm-jj attendue.`)
    .refine(isRealDate, `${label} : date invalide, saisissez un jour qui existe, au format aaaa-mm-jj.`);

export const requestListQuery = z.strictObject({
  status: z.enum(['pending', 'approved', 'rejected'], { error: 'Statut (status) : choisissez parmi pending, approved, rejected.' }).optional(),
  from: day('Depuis le (from)').optional(),
  to: day('Jusqu’au (to)').optional(),
});

const reason = z
  .string({ error: 'Motif (reason) : expliquez le refus au demandeur, 5 caractères au moins.' })
  .trim()
  .min(5, 'Motif : au moins 5 caractères, pour que le demandeur comprenne le refus.')
  .max(2000, 'Motif : 2 000 caractères au maximum.');
export const rejectBody = emptyIfAbsent(z.strictObject({ reason }));

/** `organisation` is checked as an id by the route: a malformed one is as unknown as a missing one (404). */
export const lettersQuery = z.strictObject({ organisation: z.string({ error: 'Organisme (organisation) : identifiant de l’organisme attendu.' }).max(100, 'Organisme (organisation) : identifiant de l’organisme attendu.') });

const text = (label: string, max: number) => z.string({ error: `${label} : champ obligatoire.` }).min(1, `${label} : champ obligatoire.`).max(max, `${label} : ${max} caractères au maximum.`);
export const activationBody = emptyIfAbsent(
  z.strictObject({
    login: text('Identifiant (login)', 100),
    activationCode: text('Code d’activation (activationCode)', 64),
    password: text('Mot de passe (password)', 1024),
  }),
);
export const activationConfirmBody = emptyIfAbsent(z.strictObject({ login: text('Identifiant (login)', 100), otp: text('Code de vérification (otp)', 20) }));

// Forms: fields read as `formText` reads them (absent → '', cut), other fields (`_csrf`) ignored.
export const emptyForm = emptyIfAbsent(z.object({}));
export const activationForm = emptyIfAbsent(z.object({ login: formField(100), activationCode: formField(64), password: formField(1024) }));
export const activationConfirmForm = emptyIfAbsent(z.object({ login: formField(100), otp: formField(20) }));
export const rejectForm = emptyIfAbsent(z.object({ reason: z.preprocess((v) => (typeof v === 'string' ? v : ''), reason) }));

export const membershipRequestJson = z.object({
  id: z.string(),
  status: z.enum(['pending', 'approved', 'rejected']),
  legalName: z.string(),
  siret: z.string(),
  nda: z.string(),
  qualiopi: z.boolean(),
  qualiopiExpiry: isoDay.nullable(),
  address: z.string(),
  accountManager: z.object({ lastName: z.string(), firstName: z.string(), email: z.string(), phone: z.string() }),
  createdAt: isoInstant,
  decidedAt: isoInstant.nullable(),
  reason: z.string().nullable(),
  organisationId: z.string().nullable(),
});

export const createdRequestSchema = z.object({ id: z.string(), status: z.enum(['pending', 'approved', 'rejected']) });
export const approvedSchema = z.object({ organisationId: z.string(), accountManagerLogin: z.string() });
export const rejectedSchema = z.object({ id: z.string(), status: z.literal('rejected') });
export const lettersSchema = z.object({
  letters: z.array(
    z.object({
      id: z.string(),
      kind: z.enum(['identifier', 'activation']),
      reference: z.string(),
      createdAt: isoInstant,
      sentAt: isoInstant.nullable(),
      ready: z.boolean().describe('Le PDF est prêt à télécharger.'),
    }),
  ),
});
export const sentSchema = z.object({ id: z.string(), sentAt: isoInstant });
export const regeneratedSchema = z.object({ id: z.string(), kind: z.literal('activation') });
export const pdfResponse = { description: 'Le courrier (PDF).', content: { 'application/pdf': { schema: z.string().meta({ format: 'binary' }) } } };
