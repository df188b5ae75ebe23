/** Change of account manager: the inputs of the request and of the agency's decision. */
import { z } from 'zod';

export const CHANGE_STATUSES = ['pending', 'approved', 'rejected'] as const;
export type ChangeStatus = (typeof CHANGE_STATUSES)[number];

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const NOT_OBJECT = 'Le corps de la requête doit être un objet JSON.';
// Browsers send textarea line breaks as CRLF: counted as one character, as the user sees them.
const unixLines = (v: unknown) => (typeof v === 'string' ? v.replace(/\r\n?/g, '\n') : v);

function reasonText(label: string, min: number, max: number) {
  const bounded = z
    .string()
    .trim()
    .min(min, { error: `${label} doit contenir au moins ${min} caractères : précisez-le.` })
    .max(max, { error: `${label} ne doit pas dépasser ${max.toLocaleString('fr-FR')} caractères : abrégez-le.` });
  // The type is checked first, alone: a list or a number gets one clear message, not a length one too.
  const text = z.string({ error: (i) => (i.input === undefined ? `${label} est obligatoire : précisez-le.` : `${label} doit être un texte.`) }).pipe(bounded);
  return z.preprocess(unixLines, text);
}

export const NEW_MANAGER_INVALID = 'Le nouveau responsable (newManagerId) doit être un compte actif de votre organisme : choisissez-le dans la liste.';

export const changeRequestSchema = z.strictObject(
  {
    newManagerId: z
      .string({ error: (i) => (i.input === undefined ? 'Le nouveau responsable (newManagerId) est obligatoire : choisissez-le.' : NEW_MANAGER_INVALID) })
      .regex(UUID, { error: NEW_MANAGER_INVALID })
      .transform((v) => v.toLowerCase()),
    reason: reasonText('Le motif (reason)', 10, 1000),
  },
  { error: NOT_OBJECT },
);
export type ChangeRequestInput = z.infer<typeof changeRequestSchema>;

export const rejectSchema = z.strictObject({ reason: reasonText('Le motif du refus (reason)', 5, 1000) }, { error: NOT_OBJECT });
export type RejectInput = z.infer<typeof rejectSchema>;

/** Approval needs no body; an optional note is kept with the decision. */
export const approveSchema = z
  .strictObject(
    {
      reason: z.preprocess(
        unixLines,
        z.string({ error: 'Le commentaire (reason) doit être un texte.' }).trim().max(1000, { error: 'Le commentaire (reason) ne doit pas dépasser 1 000 caractères.' }),
      ).optional(),
    },
    { error: NOT_OBJECT },
  )
  .optional();
export type ApproveInput = z.infer<typeof approveSchema>;

/** Empty query parameters (`?status=`) mean "no filter". */
export const changeListQuerySchema = z.object({
  status: z.preprocess(
    (v) => (v === '' ? undefined : v),
    z.enum(CHANGE_STATUSES, { error: 'Le statut (status) doit être « pending », « approved » ou « rejected ».' }).optional(),
  ),
});
