/**
 * Schema pieces shared by the training follow-up's routes (zod, French messages naming the
 * field): the training and the month in the path, dates, choices and texts, form fields checked
 * by the API's rules, and the JSON shapes several answers contain. Each sub-domain keeps its own
 * request and answer schemas in its schemas.ts. Schemas check types and sizes only; whether a
 * date fits the training is for rules.ts, which knows it.
 */
import { z } from 'zod';
import { idParams, isoDay, isoInstant, uuidParam, valueParam } from '../../http/schemas.js';
import { cutText } from '../../http/views/form.js';
import { isRealDate } from '../onboarding/rules.js';
import { QUOTE_TYPES } from '../quotes/rules/quote-schema.js';
import { ABSENCE_REASONS, ATTENDANCE_STATUSES, PERIODS, TRAINING_STATUSES, WITHDRAWAL_REASONS, isMonth } from './rules.js';

/** The OpenAPI tag of every route of the module. */
export const TRAINING_TAGS = ['Suivi des formations'];

/** The answer to an unknown id, a malformed one, or a training outside the actor's scope alike. */
export const TRAINING_NOT_FOUND = 'Cette formation est introuvable.';

type IssueInput = { input?: unknown };
export const required = (label: string, expected: string) => (iss: IssueInput) =>
  iss.input === undefined ? `${label} : champ obligatoire.` : `${label} : ${expected}.`;

export const isoDate = (label: string) =>
  z
    .string({ error: required(label, 'date attendue au format aaaa-mm-jj') })
    .refine((v) => isRealDate(v) && v >= '1900-01-01' && v <= '2199-12-31', `${label} : date invalide, saisissez-la au format aaaa-mm-jj (exemple : 2026-03-02).`);

export const choice = <T extends readonly [string, ...string[]]>(label: string, values: T, shown: string = values.join(', ')) =>
  z.enum(values, { error: required(label, `choisissez parmi ${shown}`) });

export function text(label: string, min: number, max: number) {
  return z
    .string({ error: required(label, 'texte attendu') })
    .trim()
    .min(min, min <= 1 ? `${label} : champ obligatoire.` : `${label} : ${min} caractères au minimum.`)
    .max(max, `${label} : ${max} caractères au maximum.`);
}

const MONTH_INVALID = 'Mois (month) : mois invalide, au format aaaa-mm attendu (exemple : 2026-03).';
export const monthSchema = z.string({ error: required('Mois (month)', 'mois attendu au format aaaa-mm') }).refine(isMonth, MONTH_INVALID);

/** `/…/trainings/:id`: a malformed id answers 404, like an unknown one. */
export const trainingParams = idParams(TRAINING_NOT_FOUND);

/** `/…/trainings/:id/statements/:month`: the month is a value, not a name, so a malformed one is a 422 naming it. */
export const trainingMonthParams = z.strictObject({ id: uuidParam(TRAINING_NOT_FOUND), month: valueParam(isMonth, MONTH_INVALID) });

/**
 * A JSON body read as an empty object when absent (Fastify hands `null` to the schema), so that
 * each required field is named in the 422 rather than the body as a whole.
 */
export const jsonBody = <T extends z.ZodType>(schema: T) => z.preprocess((v) => v ?? {}, schema);

/**
 * A form (or page query) field checked by an API rule: the text cut at `max` characters as
 * `formText` reads it, and an absent, repeated or empty field is `undefined`, so that the rule's
 * "champ obligatoire" applies as it does in the API.
 */
export const formValue = <T extends z.ZodType>(rule: T, max = 5000) =>
  z.preprocess((v) => {
    const cut = typeof v === 'string' ? cutText(v, max) : '';
    return cut === '' ? undefined : cut;
  }, rule);

// ---------------------------------------------------------------------------------------------
// JSON shapes shared by several answers (as on the wire: dates as strings)

export const trainingSchema = z.object({
  id: z.uuid(),
  status: z.enum(TRAINING_STATUSES),
  title: z.string(),
  carifOrefSession: z.string(),
  startDate: isoDay,
  endDate: isoDay,
  entryDate: isoDay.nullable(),
  withdrawal: z.object({ date: isoDay, reason: z.enum(WITHDRAWAL_REASONS).nullable(), comment: z.string().nullable() }).nullable(),
  exitDate: isoDay.nullable(),
  reportDueDate: isoDay.nullable().describe('30 jours après la sortie ou l’abandon.'),
  reportOverdue: z.boolean(),
  candidate: z.object({ identifier: z.string(), lastName: z.string(), firstName: z.string() }),
  organisation: z.object({ id: z.uuid(), name: z.string() }),
  quote: z.object({ id: z.uuid(), type: z.enum(QUOTE_TYPES), agreementReference: z.string().nullable(), approvedAt: isoInstant.nullable() }),
  updatedAt: isoInstant,
});

export const attendanceRecordSchema = z.object({
  date: isoDay,
  period: z.enum(PERIODS),
  status: z.enum(ATTENDANCE_STATUSES),
  lateMinutes: z.number().int().nullable(),
  reason: z.enum(ABSENCE_REASONS).nullable(),
  justified: z.boolean().nullable(),
});

export const figuresSchema = z.object({
  plannedHalfDays: z.number().int(),
  plannedHours: z.number(),
  attendedHours: z.number(),
  attendanceRate: z.number().nullable().describe('Heures suivies ÷ heures prévues, en %, une décimale ; null sans séance prévue.'),
  presentHalfDays: z.number().int(),
  late: z.object({ count: z.number().int(), minutes: z.number().int() }),
  absentHalfDays: z.number().int(),
  unjustifiedHalfDays: z.number().int(),
  absencesByReason: z.record(z.enum(ABSENCE_REASONS), z.number().int()),
  undeclared: z.array(z.object({ date: isoDay, period: z.enum(PERIODS) })),
});

export const correctionSchema = z.object({
  id: z.uuid(),
  date: isoDay,
  period: z.enum(PERIODS),
  before: attendanceRecordSchema.nullable().describe('La demi-journée avant la correction ; null si elle n’était pas déclarée.'),
  after: attendanceRecordSchema,
  reason: z.string(),
  correctedAt: isoInstant,
  correctedBy: z.string().describe('Identifiant de connexion de l’auteur.'),
});

