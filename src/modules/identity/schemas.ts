/**
 * Schema pieces shared by the identity routes (zod, French messages naming the field). Each
 * sub-domain keeps its own request and answer schemas in its schemas.ts.
 */
import { z } from 'zod';

/** The OpenAPI tag of every route of the module. */
export const IDENTITY_TAGS = ['Identité et sessions'];

/**
 * A text field of a JSON body: `label` names it as the user reads it, with the JSON name
 * (`Mot de passe (password)`). Sizes only: what the text must be is for the service to judge.
 */
export function textField(label: string, max: number, { required = true } = {}) {
  const typed = z.string({ error: (iss) => (iss.input === undefined ? `${label} : champ obligatoire.` : `${label} : texte attendu.`) });
  return (required ? typed.min(1, `${label} : champ obligatoire.`) : typed).max(max, `${label} : ${max} caractères au maximum.`);
}
