import { z } from 'zod';

/** A person's first or last name, with French messages naming the field by its label. */
export const personName = (label: string) =>
  z
    .string({ error: `${label} : champ obligatoire.` })
    .trim()
    .min(1, `${label} : champ obligatoire.`)
    .max(100, `${label} : 100 caractères au maximum.`)
    .regex(/^[\p{L}][\p{L}\s'’-]*$/u, `${label} : lettres, espaces, apostrophes et tirets uniquement.`);
