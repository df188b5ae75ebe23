import { z } from 'zod';
import { personName } from '../../validation.js';

/** Luhn check over a string of digits. */
export function luhnValid(digits: string): boolean {
  let sum = 0;
  for (let i = 0; i < digits.length; i++) {
    let d = digits.charCodeAt(digits.length - 1 - i) - 48;
    if (i % 2 === 1) {
      d *= 2;
      if (d > 9) d -= 9;
    }
    sum += d;
  }
  return sum % 10 === 0;
}

/** La Poste's establishments share SIREN 356000000; their SIRETs follow a sum-multiple-of-5 rule instead of Luhn. */
const LA_POSTE_SIREN = '356000000';

export function siretValid(siret: string): boolean {
  if (!/^\d{14}$/.test(siret)) return false;
  if (siret.startsWith(LA_POSTE_SIREN) && siret !== '35600000000048') {
    const sum = [...siret].reduce((s, c) => s + Number(c), 0);
    return sum % 5 === 0;
  }
  return luhnValid(siret);
}

/** Numéro de déclaration d'activité: 11 digits. */
export function ndaValid(nda: string): boolean {
  return /^\d{11}$/.test(nda);
}

/** French phone numbers: 0X XX XX XX XX or +33 X XX XX XX XX, spaces, dots or dashes allowed. */
export function normaliseFrenchPhone(input: string): string | null {
  const compact = input.replace(/[\s.-]/g, '');
  const m = /^(?:\+33|0033|0)([1-9]\d{8})$/.exec(compact);
  return m ? `0${m[1]}` : null;
}

const compactDigits = (v: string) => v.replace(/\s/g, '');
const isoDate = /^\d{4}-\d{2}-\d{2}$/;

export function isRealDate(value: string): boolean {
  if (!isoDate.test(value)) return false;
  const d = new Date(`${value}T00:00:00Z`);
  return !Number.isNaN(d.getTime()) && d.toISOString().slice(0, 10) === value;
}


/**
 * The adhesion request (docs/product/joining-and-habilitations.md#membership-request), with the
 * clock's "today" for the Qualiopi expiry rule: a day, or a function read at each validation (a
 * route's schema is built once, at start).
 */
export function membershipRequestSchema(today: string | (() => string)) {
  return z
    .strictObject({
      legalName: z
        .string({ error: 'Raison sociale : champ obligatoire.' })
        .trim()
        .min(2, 'Raison sociale : au moins 2 caractères.')
        .max(200, 'Raison sociale : 200 caractères au maximum.'),
      siret: z
        .string({ error: 'SIRET : champ obligatoire.' })
        .transform(compactDigits)
        .refine((v) => /^\d{14}$/.test(v), 'SIRET : saisissez les 14 chiffres du numéro SIRET.')
        .refine(siretValid, 'SIRET : ce numéro n’est pas valide (clé de contrôle incorrecte). Vérifiez-le sur votre extrait Kbis ou l’avis de situation Insee.'),
      nda: z
        .string({ error: 'Numéro de déclaration d’activité : champ obligatoire.' })
        .transform(compactDigits)
        .refine(ndaValid, 'Numéro de déclaration d’activité : saisissez les 11 chiffres du numéro.'),
      qualiopi: z.boolean({ error: 'Certification Qualiopi : indiquez oui ou non.' }),
      qualiopiExpiry: z
        .string({ error: 'Date d’expiration Qualiopi : date au format aaaa-mm-jj attendue.' })
        .refine(isRealDate, 'Date d’expiration Qualiopi : date invalide (format aaaa-mm-jj attendu).')
        .nullable()
        .default(null),
      address: z
        .string({ error: 'Adresse : champ obligatoire.' })
        .trim()
        .min(10, 'Adresse : indiquez l’adresse complète (numéro, voie, code postal, commune).')
        .max(500, 'Adresse : 500 caractères au maximum.'),
      accountManager: z.strictObject(
        {
          lastName: personName('Nom du responsable'),
          firstName: personName('Prénom du responsable'),
          email: z
            .string({ error: 'Courriel du responsable : champ obligatoire.' })
            .trim()
            .max(200, 'Courriel du responsable : 200 caractères au maximum.')
            .pipe(z.email('Courriel du responsable : adresse invalide (exemple : prenom.nom@organisme.fr).')),
          phone: z
            .string({ error: 'Téléphone du responsable : champ obligatoire.' })
            .max(30, 'Téléphone du responsable : numéro trop long.')
            .transform((v, ctx) => {
              const phone = normaliseFrenchPhone(v);
              if (!phone) {
                ctx.addIssue({ code: 'custom', message: 'Téléphone du responsable : numéro français attendu (exemple : 01 23 45 67 89 ou +33 1 23 45 67 89).' });
                return z.NEVER;
              }
              return phone;
            }),
        },
        { error: 'Responsable de gestion des comptes : champ obligatoire.' },
      ),
    })
    .superRefine((v, ctx) => {
      if (v.qualiopi && !v.qualiopiExpiry) {
        ctx.addIssue({ code: 'custom', path: ['qualiopiExpiry'], message: 'Date d’expiration Qualiopi : obligatoire quand l’organisme est certifié.' });
      }
      if (v.qualiopi && v.qualiopiExpiry && v.qualiopiExpiry <= (typeof today === 'function' ? today() : today)) {
        ctx.addIssue({ code: 'custom', path: ['qualiopiExpiry'], message: 'Date d’expiration Qualiopi : la certification doit être en cours de validité (date future).' });
      }
    });
}

export type MembershipRequestInput = z.output<ReturnType<typeof membershipRequestSchema>>;

/** The calendar day in Paris for a given instant, 'yyyy-mm-dd'. */
export function parisDay(at: Date): string {
  return new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/Paris' }).format(at);
}
