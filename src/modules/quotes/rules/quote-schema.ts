/**
 * The SHAPE of a quote (docs/product/quotes.md#fields; the JSON contract): types, sizes, real
 * dates, bounded numbers, a coherent schedule. Passing it means the quote can be stored as a draft;
 * whether it can be SUBMITTED is decided by the business rules of rules.ts, which report every
 * problem at once. That is why code formats (formacode, certification, Carif-Oref, SIRET) and
 * required-for-submission texts are only length-capped here: a draft may hold them half-typed.
 */
import { z } from 'zod';
import { isRealDate } from '../../onboarding/rules.js';
import { MAX_AMOUNT_CENTS, formatHundredths, parseHundredths, type DecimalRefusal } from './money.js';
import { MAX_SCHEDULE_RANGES, scheduleIssues } from './schedule.js';

export const QUOTE_TYPES = ['AIF', 'POEI'] as const;
export type QuoteType = (typeof QUOTE_TYPES)[number];

/**
 * Contract promised by a POEI employer. `contractMonths` carries the duration the minimum
 * applies to: the contract length for cdd, professionalisation, apprenticeship and seasonal, and
 * for temporary the cumulated months of assignments within the 9 months after the training.
 * It is ignored for cdi.
 */
export const CONTRACT_TYPES = ['cdi', 'cdd', 'professionalisation', 'apprenticeship', 'seasonal', 'temporary'] as const;
export type ContractType = (typeof CONTRACT_TYPES)[number];

/** Per field (centre, company): a full-time year is about 1 600 h. */
export const MAX_HOURS_PER_FIELD = 2000;
export const MAX_OTHER_LINES = 20;
/** Dates outside this window are typing mistakes, and would leave the holiday calendar's range. */
const MIN_YEAR = 1900;
const MAX_YEAR = 2199;
const CODE_MAX = 100;

type IssueInput = { input?: unknown };
/** `expected` is the whole phrase, agreed in gender: 'texte attendu', 'liste attendue'. */
const typeError = (label: string, expected: string) => (iss: IssueInput) =>
  iss.input === undefined ? `${label} : champ obligatoire.` : `${label} : ${expected}.`;

function text(label: string, min: number, max: number) {
  return z
    .string({ error: typeError(label, 'texte attendu') })
    .trim()
    .min(min, `${label} : champ obligatoire.`)
    .max(max, `${label} : ${max} caractères au maximum.`);
}

/** Nullable text where an empty form field means "none". */
function nullableText(label: string, max: number, normalise: (v: string) => string = (v) => v) {
  return z.preprocess(
    (v) => (typeof v === 'string' && v.trim() === '' ? null : v),
    z
      .string({ error: typeError(label, 'texte attendu') })
      .trim()
      .max(max, `${label} : ${max} caractères au maximum.`)
      .transform(normalise)
      .nullable(),
  );
}

function isoDate(label: string) {
  return z.string({ error: typeError(label, 'date attendue au format aaaa-mm-jj') }).superRefine((v, ctx) => {
    if (!isRealDate(v)) {
      ctx.addIssue({ code: 'custom', message: `${label} : date invalide, saisissez-la au format aaaa-mm-jj (exemple : 2026-09-14).` });
      return;
    }
    const year = Number(v.slice(0, 4));
    if (year < MIN_YEAR || year > MAX_YEAR) {
      ctx.addIssue({ code: 'custom', message: `${label} : l’année doit être comprise entre ${MIN_YEAR} et ${MAX_YEAR}. Vérifiez la date.` });
    }
  });
}

const decimalMessages: Record<DecimalRefusal, (label: string, max: string) => string> = {
  not_a_number: (l) => `${l} : saisissez un nombre (exemple : 12,50).`,
  too_many_decimals: (l) => `${l} : 2 décimales au maximum.`,
  negative: (l) => `${l} : la valeur ne peut pas être négative.`,
  too_large: (l, max) => `${l} : ${max} au maximum.`,
};

/** A number with ≤ 2 decimals; JSON numbers, or form text with a comma ("12,50"). */
function decimal(label: string, maxHundredths: number, unit: string) {
  return z.union([z.number(), z.string()], { error: typeError(label, 'nombre attendu') }).transform((v, ctx) => {
    const r = parseHundredths(v, maxHundredths);
    if (r.ok) return r.hundredths / 100;
    ctx.addIssue({ code: 'custom', message: decimalMessages[r.code](label, `${formatHundredths(maxHundredths)}${unit}`) });
    return z.NEVER;
  });
}
const euros = (label: string) => decimal(label, MAX_AMOUNT_CENTS, '\u00a0€');
const hours = (label: string) => decimal(label, MAX_HOURS_PER_FIELD * 100, '\u00a0h');

const section = (label: string) => ({
  error: (iss: IssueInput & { code?: string; keys?: string[] }) =>
    iss.code === 'unrecognized_keys'
      ? `${label} : champ(s) inconnu(s) ${(iss.keys ?? []).join(', ')} ; retirez-les.`
      : typeError(label, 'objet attendu')(iss),
});

const scheduleRangeSchema = z.strictObject(
  {
    weekday: z.number({ error: typeError('Emploi du temps (jour)', 'nombre de 1 (lundi) à 7 (dimanche) attendu') }),
    from: z.string({ error: typeError('Emploi du temps (heure de début)', 'heure attendue au format HH:MM') }),
    to: z.string({ error: typeError('Emploi du temps (heure de fin)', 'heure attendue au format HH:MM') }),
  },
  section('Emploi du temps (plage horaire)'),
);

const wellTyped = (v: unknown): boolean =>
  typeof v === 'object' && v !== null && typeof (v as { weekday?: unknown }).weekday === 'number' && typeof (v as { from?: unknown }).from === 'string' && typeof (v as { to?: unknown }).to === 'string';

export const scheduleSchema = z
  .array(scheduleRangeSchema, { error: typeError('Emploi du temps', 'liste de plages horaires attendue') })
  .max(MAX_SCHEDULE_RANGES, `Emploi du temps : ${MAX_SCHEDULE_RANGES} plages horaires au maximum (deux par jour) ; regroupez ou supprimez des plages.`)
  .superRefine((schedule, ctx) => {
    // Ranges that failed their type check are already reported; judging them again would only repeat it.
    if (schedule.length > MAX_SCHEDULE_RANGES || !schedule.every(wellTyped)) return;
    for (const issue of scheduleIssues(schedule)) ctx.addIssue({ code: 'custom', path: issue.path, message: issue.message });
  });

export const candidateSectionSchema = z.strictObject(
  {
    identifier: z
      .string({ error: typeError('Identifiant du candidat', 'texte attendu') })
      .transform((v) => v.replace(/\s/g, '').toUpperCase())
      .refine((v) => /^\d{7}[A-Z]$/.test(v), 'Identifiant du candidat : 7 chiffres suivis d’une lettre attendus (exemple : 1234567A).'),
    lastName: text('Nom du candidat', 1, 100),
    birthDate: isoDate('Date de naissance du candidat'),
  },
  section('Candidat'),
);

export const trainingSectionSchema = z.strictObject(
  {
    title: text('Intitulé de la formation', 1, 200),
    carifOrefSession: text('Numéro de session Carif-Oref', 0, CODE_MAX),
    formacode: text('Formacode', 0, CODE_MAX),
    certification: nullableText('Code de certification', CODE_MAX, (v) => v.replace(/\s/g, '').toUpperCase()),
    startDate: isoDate('Date de début'),
    endDate: isoDate('Date de fin'),
    schedule: scheduleSchema,
    centreHours: hours('Heures en centre'),
    companyHours: hours('Heures en entreprise'),
    place: nullableText('Lieu de formation', 500),
    distanceLearning: z.boolean({ error: typeError('Formation à distance', 'oui ou non (booléen) attendu') }),
  },
  section('Formation'),
);

const otherLineSchema = z.strictObject(
  { label: text('Autres frais (libellé)', 1, 100), amount: euros('Autres frais (montant)') },
  section('Autres frais (ligne)'),
);

export const costsSectionSchema = z.strictObject(
  {
    hourlyRate: euros('Taux horaire'),
    pedagogicalCost: euros('Coût pédagogique'),
    otherLines: z
      .array(otherLineSchema, { error: typeError('Autres frais', 'liste attendue') })
      .max(MAX_OTHER_LINES, `Autres frais : ${MAX_OTHER_LINES} lignes au maximum ; regroupez des frais.`),
  },
  section('Coûts'),
);

export const poeiSectionSchema = z.strictObject(
  {
    employerSiret: text('SIRET de l’employeur', 0, 30).transform((v) => v.replace(/\s/g, '')),
    jobOfferReference: text('Référence de l’offre d’emploi', 0, CODE_MAX),
    contractType: z.enum(CONTRACT_TYPES, {
      error: (iss) => (iss.input === undefined ? 'Type de contrat : champ obligatoire.' : `Type de contrat : choisissez parmi ${CONTRACT_TYPES.join(', ')}.`),
    }),
    contractMonths: z
      .number({ error: typeError('Durée du contrat (mois)', 'nombre entier de mois attendu') })
      .int('Durée du contrat (mois) : nombre entier de mois attendu.')
      .min(1, 'Durée du contrat (mois) : 1 mois au minimum.')
      .max(120, 'Durée du contrat (mois) : 120 mois au maximum.')
      .nullable()
      .default(null),
    tutor: z.strictObject(
      { lastName: text('Nom du tuteur', 0, 100), firstName: text('Prénom du tuteur', 0, 100), jobTitle: text('Fonction du tuteur', 0, 100) },
      section('Tuteur'),
    ),
  },
  section('Volet POEI (employeur)'),
);

const quoteTypeSchema = z.enum(QUOTE_TYPES, {
  error: (iss) => (iss.input === undefined ? 'Type de devis : champ obligatoire.' : 'Type de devis : choisissez AIF ou POEI.'),
});
const poeiNullable = poeiSectionSchema.nullable();

/** A whole quote, as posted to create a draft (and as returned, minus the server's fields). */
export const quoteInputSchema = z.strictObject(
  { type: quoteTypeSchema, candidate: candidateSectionSchema, training: trainingSectionSchema, costs: costsSectionSchema, poei: poeiNullable },
  section('Devis'),
);
export type QuoteInput = z.output<typeof quoteInputSchema>;

/** PATCH: any non-empty subset of the sections; each section given is replaced as a whole. */
export const quotePatchSchema = z
  .strictObject(
    {
      type: quoteTypeSchema.optional(),
      candidate: candidateSectionSchema.optional(),
      training: trainingSectionSchema.optional(),
      costs: costsSectionSchema.optional(),
      poei: poeiNullable.optional(),
    },
    section('Modification du devis'),
  )
  .refine((p) => Object.keys(p).length > 0, {
    message: 'Modification du devis : indiquez au moins une section à modifier (type, candidate, training, costs ou poei).',
    // An unknown key is already reported; "nothing to change" on top of it would mislead.
    when: (payload) => payload.issues.length === 0,
  });
export type QuotePatch = z.output<typeof quotePatchSchema>;

const CREATE_KEYS = ['templateId', 'type', 'candidate', 'training', 'costs', 'poei'] as const;

/**
 * Without a template, `type` and `training` are required as in quoteInputSchema, and their errors
 * take their place among the others (in field order), so that a quote posted whole gets exactly
 * the errors quoteInputSchema gives. It runs even when other fields failed (`when`), since every
 * error is reported at once.
 */
function requireSectionsWithoutTemplate(value: unknown, ctx: z.core.$RefinementCtx<unknown>) {
  const body = ctx.value;
  if (typeof body !== 'object' || body === null || Array.isArray(body) || 'templateId' in body) return;
  const given = body as Record<string, unknown>;
  const rank = (path: readonly PropertyKey[]) => (path.length === 0 ? CREATE_KEYS.length : CREATE_KEYS.indexOf(String(path[0]) as (typeof CREATE_KEYS)[number]));
  const require = (key: 'type' | 'training', message: string) => {
    const issue = { code: 'custom' as const, path: [key], message, input: given[key] };
    const at = ctx.issues.findIndex((i) => rank(i.path ?? []) > rank(issue.path));
    ctx.issues.splice(at === -1 ? ctx.issues.length : at, 0, issue);
  };
  if (given.type === undefined) require('type', 'Type de devis : champ obligatoire.');
  if (given.training == null) require('training', given.training === null ? 'Formation : objet attendu.' : 'Formation : champ obligatoire.');
}

/**
 * POST /api/v1/quotes: a whole quote, or one started from a template (`templateId`) that supplies
 * the training section, and the type unless given. Whether the template exists in the caller's
 * organisation is the service's question (a database lookup).
 */
export const quoteCreateSchema = z
  .strictObject(
    {
      templateId: z.uuid({ error: 'Modèle (templateId) : identifiant de modèle invalide.' }).optional(),
      type: quoteTypeSchema.optional(),
      candidate: candidateSectionSchema,
      training: trainingSectionSchema.nullish(),
      costs: costsSectionSchema,
      poei: poeiNullable,
    },
    section('Devis'),
  )
  .superRefine(requireSectionsWithoutTemplate, { when: () => true });
export type QuoteCreateInput = z.output<typeof quoteCreateSchema>;
