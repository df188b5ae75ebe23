/** What the security-alert routes declare: the alert in the path, the reinstatement's note, the answers on the wire. */
import { z } from 'zod';
import { formField } from '../../http/forms.js';
import { idParams, isoInstant } from '../../http/schemas.js';
import { ALERT_NOT_FOUND } from './alerts-service.js';

export const ALERT_TAGS = ['Alertes de sécurité'];

/** A malformed id answers the unknown alert's 404. */
export const alertParams = idParams(ALERT_NOT_FOUND);

export const reinstateSchema = z.strictObject({
  note: z
    .string({ error: (iss) => (iss.input === undefined ? 'Constat (note) : champ obligatoire.' : 'Constat (note) : texte attendu.') })
    .trim()
    .min(10, 'Constat (note) : décrivez en au moins 10 caractères ce que vous avez vérifié (poste analysé, titulaire joint…).')
    .max(2000, 'Constat (note) : 2 000 caractères au maximum.'),
});
export type ReinstateInput = z.infer<typeof reinstateSchema>;

/** The page's form: the note as typed (cut at 2 000 characters past its limit, as `formText` reads it), judged by the API's rule. */
export const reinstateForm = z.object({ note: formField(5000) }).pipe(reinstateSchema);

const alertWire = z.object({
  id: z.uuid(),
  kind: z.enum(['bulk_access', 'account_creation']),
  at: isoInstant,
  status: z.enum(['open', 'resolved']),
  account: z.object({ id: z.uuid(), login: z.string(), status: z.string() }),
  organisation: z.string().nullable().describe('null pour un compte de l’agence.'),
  details: z.record(z.string(), z.unknown()).describe('Selon le type : seuil et compte (accès en masse), comptes retenus (créations).'),
  resolvedAt: isoInstant.nullable(),
  resolution: z.string().nullable().describe('Le constat de l’administrateur qui a traité l’alerte.'),
});
export const alertListWire = z.object({ alerts: z.array(alertWire) });
export const alertDetailWire = alertWire.extend({
  trail: z.object({
    candidates: z.array(z.object({ identifier: z.string(), kind: z.enum(['read', 'export']), at: isoInstant })),
    unmatchedLookups: z.number().int().describe('Recherches par identifiant n’ayant trouvé personne dans l’heure (comptées comme des consultations ; identifiants non conservés).'),
    actions: z.array(
      z.object({ at: isoInstant, action: z.string(), ip: z.string().nullable(), requestId: z.string().nullable(), target: z.object({ type: z.string(), id: z.string().nullable() }).nullable() }),
    ),
  }),
});
