/** The internal security policy of an organisation: its fields, labels and limits. */
import { z } from 'zod';

export const POLICY_LABELS = {
  rolesPolicy: 'Qui peut détenir quel rôle',
  departuresPolicy: 'Gestion des départs',
  otherRules: 'Autres règles',
} as const;
export type PolicyField = keyof typeof POLICY_LABELS;
export const POLICY_FIELDS = Object.keys(POLICY_LABELS) as PolicyField[];

export const POLICY_MIN = 20;
export const POLICY_MAX = 5000;
/** 5000 → « 5 000 », as French readers expect numbers. */
export const frenchNumber = (n: number) => n.toLocaleString('fr-FR');

// Browsers send textarea line breaks as CRLF: counted as one character, as the user sees them.
const unixLines = (v: unknown) => (typeof v === 'string' ? v.replace(/\r\n?/g, '\n') : v);

function policyText(field: PolicyField, min: number) {
  const label = `La rubrique « ${POLICY_LABELS[field]} » (${field})`;
  let bounded = z.string().trim().max(POLICY_MAX, { error: `${label} ne doit pas dépasser ${frenchNumber(POLICY_MAX)} caractères : raccourcissez-la.` });
  if (min > 0) bounded = bounded.min(min, { error: `${label} doit contenir au moins ${min} caractères : décrivez vos règles en quelques phrases.` });
  // The type is checked first, alone: a list or a number gets one clear message, not a length one too.
  const text = z.string({ error: (i) => (i.input === undefined ? `${label} est obligatoire : rédigez-la.` : `${label} doit être un texte.`) }).pipe(bounded);
  return z.preprocess(unixLines, text);
}

export const policySchema = z.strictObject(
  {
    rolesPolicy: policyText('rolesPolicy', POLICY_MIN),
    departuresPolicy: policyText('departuresPolicy', POLICY_MIN),
    otherRules: policyText('otherRules', 0).optional().default(''),
  },
  { error: 'Le corps de la requête doit être un objet JSON.' },
);
export type PolicyInput = z.infer<typeof policySchema>;

/** The fields whose text differs, for the audit row (the texts themselves stay in the table). */
export function changedFields(before: Record<PolicyField, string> | null, after: Record<PolicyField, string>): PolicyField[] {
  return POLICY_FIELDS.filter((f) => (before ? before[f] !== after[f] : after[f] !== ''));
}
