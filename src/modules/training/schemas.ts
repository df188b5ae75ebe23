/**
 * Shapes of the training API bodies and queries (zod, French messages naming the field). They
 * check types and sizes only; whether a date fits the training is for rules.ts, which knows it.
 */
import { z } from 'zod';
import { fieldErrorsFrom, problems } from '../../http/problem.js';
import { isRealDate } from '../onboarding/rules.js';
import {
  ABSENCE_LABELS,
  ABSENCE_REASONS,
  ATTENDANCE_STATUSES,
  CERTIFICATION_RESULTS,
  PERIODS,
  REPORT_OUTCOMES,
  TRAINING_STATUSES,
  WITHDRAWAL_LABELS,
  WITHDRAWAL_REASONS,
  isMonth,
} from './rules.js';

type IssueInput = { input?: unknown };
const required = (label: string, expected: string) => (iss: IssueInput) =>
  iss.input === undefined ? `${label} : champ obligatoire.` : `${label} : ${expected}.`;

export const isoDate = (label: string) =>
  z
    .string({ error: required(label, 'date attendue au format aaaa-mm-jj') })
    .refine((v) => isRealDate(v) && v >= '1900-01-01' && v <= '2199-12-31', `${label} : date invalide, saisissez-la au format aaaa-mm-jj (exemple : 2026-03-02).`);

const choice = <T extends readonly [string, ...string[]]>(label: string, values: T, shown: string = values.join(', ')) =>
  z.enum(values, { error: required(label, `choisissez parmi ${shown}`) });

function text(label: string, min: number, max: number) {
  return z
    .string({ error: required(label, 'texte attendu') })
    .trim()
    .min(min, min <= 1 ? `${label} : champ obligatoire.` : `${label} : ${min} caractères au minimum.`)
    .max(max, `${label} : ${max} caractères au maximum.`);
}

export const monthSchema = z.string({ error: required('Mois (month)', 'mois attendu au format aaaa-mm') }).refine(isMonth, 'Mois (month) : mois invalide, au format aaaa-mm attendu (exemple : 2026-03).');

export const attendanceEntrySchema = z.strictObject({
  date: isoDate('Date'),
  period: choice('Demi-journée (period)', PERIODS, '« am » (matin) ou « pm » (après-midi)'),
  status: choice('Statut (status)', ATTENDANCE_STATUSES, 'present, late, absent'),
  lateMinutes: z
    .number({ error: required('Minutes de retard (lateMinutes)', 'nombre entier de minutes attendu') })
    .int('Minutes de retard (lateMinutes) : nombre entier attendu.')
    .min(1, 'Minutes de retard (lateMinutes) : 1 au minimum.')
    .max(1440, 'Minutes de retard (lateMinutes) : 1 440 au maximum.')
    .nullish(),
  reason: choice('Motif (reason)', ABSENCE_REASONS, ABSENCE_REASONS.map((r) => `${r} (${ABSENCE_LABELS[r]})`).join(', ')).nullish(),
  justified: z.boolean({ error: required('Justifiée (justified)', 'true ou false attendu') }).nullish(),
});

/** A month of a few trainees fits; a whole organisation's month goes through the CSV import. */
export const MAX_ENTRIES = 2000;

export const attendanceBodySchema = z.strictObject({
  entries: z
    .array(attendanceEntrySchema, { error: required('Déclarations (entries)', 'liste attendue') })
    .min(1, 'Déclarations (entries) : au moins une demi-journée.')
    .max(MAX_ENTRIES, `Déclarations (entries) : ${MAX_ENTRIES} au maximum par envoi ; pour un mois entier, utilisez l’import CSV.`),
});

export const entryBodySchema = z.strictObject({ startDate: isoDate('Date d’entrée (startDate)') });

export const withdrawalBodySchema = z
  .strictObject({
    date: isoDate('Date (date)'),
    reason: choice('Motif (reason)', WITHDRAWAL_REASONS, WITHDRAWAL_REASONS.map((r) => `${r} (${WITHDRAWAL_LABELS[r]})`).join(', ')),
    comment: z.preprocess((v) => (v === undefined || v === null ? '' : v), text('Commentaire (comment)', 0, 2000)),
  })
  .superRefine((v, ctx) => {
    if (v.reason === 'other' && v.comment === '') ctx.addIssue({ code: 'custom', path: ['comment'], message: 'Commentaire (comment) : précisez le motif de l’abandon quand vous choisissez « autre ».' });
  });

export const reportBodySchema = z.strictObject({
  outcome: choice('Résultat (outcome)', REPORT_OUTCOMES, 'completed (suivie en totalité), partially_completed (suivie partiellement)'),
  certification: choice('Certification (certification)', CERTIFICATION_RESULTS, 'full, partial, none, pending'),
  skills: text('Compétences acquises (skills)', 1, 4000),
  difficulties: text('Difficultés rencontrées (difficulties)', 1, 4000),
  nextSteps: text('Suites recommandées (nextSteps)', 1, 4000),
  employmentOutcome: z.preprocess((v) => (typeof v === 'string' && v.trim() === '' ? null : v), text('Situation d’emploi (employmentOutcome)', 1, 1000).nullish()),
});

export const correctionBodySchema = z.strictObject({
  entry: attendanceEntrySchema,
  reason: text('Motif de la correction (reason)', 10, 1000),
});

const page = z.coerce
  .number({ error: 'Page (page) : nombre entier attendu.' })
  .int('Page (page) : nombre entier attendu.')
  .min(1, 'Page (page) : 1 au minimum.')
  .max(10_000, 'Page (page) : 10 000 au maximum.')
  .default(1);

export const listQuerySchema = z.strictObject({
  status: choice('Statut (status)', TRAINING_STATUSES).optional(),
  month: monthSchema.optional(),
  overdue: z.enum(['true', 'false'], { error: 'Bilan en retard (overdue) : true ou false attendu.' }).transform((v) => v === 'true').optional(),
  session: z.string().trim().min(1, 'Session (session) : numéro de session attendu.').max(100, 'Session (session) : 100 caractères au maximum.').optional(),
  page,
});

export const monthQuerySchema = z.strictObject({ month: monthSchema });

export function parse<T extends z.ZodType>(schema: T, value: unknown): z.output<T> {
  const parsed = schema.safeParse(value ?? {});
  if (!parsed.success) throw problems.invalid(fieldErrorsFrom(parsed.error.issues));
  return parsed.data;
}

export type AttendanceEntryInput = z.output<typeof attendanceEntrySchema>;
export type WithdrawalInput = z.output<typeof withdrawalBodySchema>;
export type ReportInput = z.output<typeof reportBodySchema>;
export type CorrectionInput = z.output<typeof correctionBodySchema>;
export type ListQuery = z.output<typeof listQuerySchema>;
