/** What the monthly statement routes accept and answer: a month's statement, its corrections, its PDF. */
import { z } from 'zod';
import { isoInstant } from '../../../http/schemas.js';
import { attendanceEntrySchema } from '../attendance/schemas.js';
import { correctionSchema, figuresSchema, text } from '../schemas.js';

/** One half-day of a locked month changed, with the reason kept beside the statement. */
export const correctionFields = {
  entry: attendanceEntrySchema,
  reason: text('Motif de la correction (reason)', 10, 1000),
};
export const correctionBodySchema = z.strictObject(correctionFields);
export type CorrectionInput = z.output<typeof correctionBodySchema>;

export const statementSchema = z.object({
  trainingId: z.uuid(),
  month: z.string(),
  submitted: z.boolean().describe('Transmis : le mois est verrouillé.'),
  submittedAt: isoInstant.nullable(),
  figures: figuresSchema.describe('Tels que transmis (corrections comprises), ou calculés à ce jour si le mois n’est pas transmis.'),
  corrections: z.array(correctionSchema),
});

/** The statement PDF: a binary answer, documented as such. */
export const pdfResponse = {
  description: 'État de présence mensuel (PDF), pour un mois transmis.',
  content: { 'application/pdf': { schema: z.string().meta({ format: 'binary' }) } },
};
