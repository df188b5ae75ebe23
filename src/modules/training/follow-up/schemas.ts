/**
 * What the follow-up routes accept and answer: the list of trainings, one training, the
 * declarations that move it through its life (entry, withdrawal, exit, report), the candidate's
 * own view; and the same declarations as the forms of a training's page send them.
 */
import { z } from 'zod';
import { formField } from '../../../http/forms.js';
import { cutText } from '../../../http/views/form.js';
import { isoDay, isoInstant, pageParam } from '../../../http/schemas.js';
import { decodeCell } from '../attendance/grid-codes.js';
import { CERTIFICATION_RESULTS, REPORT_OUTCOMES, TRAINING_STATUSES, WITHDRAWAL_LABELS, WITHDRAWAL_REASONS, isMonth } from '../rules.js';
import { choice, formValue, isoDate, monthSchema, text, trainingSchema } from '../schemas.js';
import { correctionFields } from '../statements/schemas.js';

export const entryFields = { startDate: isoDate('Date d’entrée (startDate)') };
export const entryBodySchema = z.strictObject(entryFields);

const withdrawalFields = {
  date: isoDate('Date (date)'),
  reason: choice('Motif (reason)', WITHDRAWAL_REASONS, WITHDRAWAL_REASONS.map((r) => `${r} (${WITHDRAWAL_LABELS[r]})`).join(', ')),
  comment: z.preprocess((v) => (v === undefined || v === null ? '' : v), text('Commentaire (comment)', 0, 2000)),
};

/** « Autre motif » tells the advisor nothing by itself. */
function otherNeedsComment(v: { reason: string; comment: string }, ctx: z.RefinementCtx) {
  if (v.reason === 'other' && v.comment === '') ctx.addIssue({ code: 'custom', path: ['comment'], message: 'Commentaire (comment) : précisez le motif de l’abandon quand vous choisissez « autre ».' });
}

export const withdrawalBodySchema = z.strictObject(withdrawalFields).superRefine(otherNeedsComment);

const reportFields = {
  outcome: choice('Résultat (outcome)', REPORT_OUTCOMES, 'completed (suivie en totalité), partially_completed (suivie partiellement)'),
  certification: choice('Certification (certification)', CERTIFICATION_RESULTS, 'full, partial, none, pending'),
  skills: text('Compétences acquises (skills)', 1, 4000),
  difficulties: text('Difficultés rencontrées (difficulties)', 1, 4000),
  nextSteps: text('Suites recommandées (nextSteps)', 1, 4000),
  employmentOutcome: z.preprocess((v) => (typeof v === 'string' && v.trim() === '' ? null : v), text('Situation d’emploi (employmentOutcome)', 1, 1000).nullish()),
};
export const reportBodySchema = z.strictObject(reportFields);

const listFields = {
  status: choice('Statut (status)', TRAINING_STATUSES).optional(),
  month: monthSchema.optional(),
};

export const listQuerySchema = z.strictObject({
  ...listFields,
  overdue: z.enum(['true', 'false'], { error: 'Bilan en retard (overdue) : true ou false attendu.' }).transform((v) => v === 'true').optional(),
  session: z.string().trim().min(1, 'Session (session) : numéro de session attendu.').max(100, 'Session (session) : 100 caractères au maximum.').optional(),
  page: pageParam,
});

export type WithdrawalInput = z.output<typeof withdrawalBodySchema>;
export type ReportInput = z.output<typeof reportBodySchema>;
export type ListQuery = z.output<typeof listQuerySchema>;

// ---------------------------------------------------------------------------------------------
// Answers

const reportSchema = z.object({
  outcome: z.enum(REPORT_OUTCOMES),
  certification: z.enum(CERTIFICATION_RESULTS),
  skills: z.string(),
  difficulties: z.string(),
  nextSteps: z.string(),
  employmentOutcome: z.string().nullable(),
  submittedAt: isoInstant,
});

export const trainingListSchema = z.object({ page: z.number().int(), pageSize: z.number().int(), total: z.number().int(), trainings: z.array(trainingSchema) });

export const trainingDetailSchema = trainingSchema.extend({
  plannedHalfDays: z.number().int(),
  plannedHours: z.number(),
  months: z.array(z.object({ month: z.string(), locked: z.boolean(), submittedAt: isoInstant.nullable() })).describe('Du mois d’entrée à celui de la sortie, de l’abandon ou de la fin prévue.'),
  report: reportSchema.nullable(),
});

const TIMELINE_KINDS = ['agreement', 'entry', 'statement', 'withdrawal', 'exit', 'report'] as const;
export type TimelineKind = (typeof TIMELINE_KINDS)[number];

export const myTrainingSchema = trainingSchema.omit({ candidate: true }).extend({
  timeline: z.array(z.object({ kind: z.enum(TIMELINE_KINDS), date: isoDay, label: z.string() })),
  statements: z.array(z.object({ month: z.string(), submittedAt: isoInstant })),
  report: reportSchema.nullable(),
});
export const myTrainingsSchema = z.object({ trainings: z.array(myTrainingSchema) });

// ---------------------------------------------------------------------------------------------
// Pages: filters and the declaration forms of a training's page (each field checked by the API's rule)

/** The list's filters as the GET form sends them: empty means "all", a page that is not a number is the first. */
export const listPageQuery = z.object({
  status: formValue(listFields.status, 40),
  month: formValue(listFields.month, 20),
  overdue: formField(10).transform((v) => v === 'true'),
  page: z.preprocess((v) => String(Math.max(1, Number(typeof v === 'string' ? cutText(v, 6) : '') || 1)), pageParam),
});

export const trainingPageQuery = z.object({ fait: formField(40) });
export const myTrainingPageQuery = z.object({ mois: formField(10) });

const MONTH_CHOICE = 'Mois : choisissez un mois dans la liste.';
const formMonth = formValue(z.string({ error: MONTH_CHOICE }).refine(isMonth, MONTH_CHOICE));

export const entryForm = z.object({ startDate: formValue(entryFields.startDate) });
export const transmissionForm = z.object({ month: formMonth });
export const withdrawalForm = z
  .object({ date: formValue(withdrawalFields.date), reason: formValue(withdrawalFields.reason), comment: formValue(withdrawalFields.comment) })
  .superRefine(otherNeedsComment);
export const exitForm = z.object({});
export const reportForm = z.object({
  outcome: formValue(reportFields.outcome),
  certification: formValue(reportFields.certification),
  skills: formValue(reportFields.skills),
  difficulties: formValue(reportFields.difficulties),
  nextSteps: formValue(reportFields.nextSteps),
  employmentOutcome: formValue(reportFields.employmentOutcome),
});

/**
 * The correction form: a month of the list, then the day, the half-day and the new declaration
 * (one select, grid-codes.ts) checked as the API's correction entry, so errors name `entry.*`.
 */
export const correctionForm = z
  .object({ month: formMonth, date: formField(5000), period: formField(5000), cell: formField(5000), reason: formField(5000) })
  .transform(({ month, date, period, cell, reason }) => {
    const declaration = decodeCell(cell);
    return { month, entry: { date, period, ...(declaration && declaration !== 'invalid' ? declaration : { status: 'invalid' }) }, ...(reason ? { reason } : {}) };
  })
  .pipe(z.object({ month: z.string(), ...correctionFields }));
