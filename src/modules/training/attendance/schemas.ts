/**
 * What the attendance routes accept and answer: half-day declarations (JSON), a month's
 * attendance, the CSV import (text for the API, a file for the page), and the grid form.
 */
import { z } from 'zod';
import { formField } from '../../../http/forms.js';
import { isoDay, problemSchema, problemResponses } from '../../../http/schemas.js';
import { ABSENCE_LABELS, ABSENCE_REASONS, ATTENDANCE_STATUSES, PERIOD_LABELS, PERIODS } from '../rules.js';
import { attendanceRecordSchema, choice, correctionSchema, figuresSchema, isoDate, monthSchema, required } from '../schemas.js';
import { cellId, dayLabel, decodeCell, postedCells, postedValues } from './grid-codes.js';
import type { GridCell } from './grid-service.js';

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
export type AttendanceEntryInput = z.output<typeof attendanceEntrySchema>;

/** A month of a few trainees fits; a whole organisation's month goes through the CSV import. */
export const MAX_ENTRIES = 2000;

export const attendanceBodySchema = z.strictObject({
  entries: z
    .array(attendanceEntrySchema, { error: required('Déclarations (entries)', 'liste attendue') })
    .min(1, 'Déclarations (entries) : au moins une demi-journée.')
    .max(MAX_ENTRIES, `Déclarations (entries) : ${MAX_ENTRIES} au maximum par envoi ; pour un mois entier, utilisez l’import CSV.`),
});

export const monthQuerySchema = z.strictObject({ month: monthSchema });

export const attendanceMonthSchema = z.object({
  trainingId: z.uuid(),
  month: z.string(),
  locked: z.boolean().describe('État de présence transmis : le mois ne change plus que par correction.'),
  halfDays: z.array(
    z.object({
      date: isoDay,
      period: z.enum(PERIODS),
      from: z.string().describe('hh:mm'),
      to: z.string().describe('hh:mm'),
      minutes: z.number().int(),
      attendance: attendanceRecordSchema.nullable(),
    }),
  ),
  figures: figuresSchema,
  corrections: z.array(correctionSchema),
});

export const savedSchema = z.object({ saved: z.number().int() });

// ---------------------------------------------------------------------------------------------
// CSV import

/** The API's body: the file as it is, written to a temporary file by the route's `text/csv` parser (csv-body.ts). */
export const csvTextBody = {
  content: {
    'text/csv': {
      // The parser hands over the file on disk, which JSON Schema cannot name: documented as the
      // string it is on the wire, checked by the handler (anything else is a 415).
      schema: z.any().meta({ type: 'string', description: 'Le fichier CSV tel quel : UTF-8 (avec ou sans BOM), séparateur point-virgule, en-tête imposé.' }),
    },
  },
};

/** The page's body: the form's text fields and the chosen file on disk, as the multipart reader leaves them (csv-body.ts). */
export const csvFormBody = {
  content: {
    'multipart/form-data': {
      schema: z.object({
        fields: z.record(z.string(), z.string()),
        file: z.any().meta({ description: 'Le fichier choisi, écrit sur disque par le lecteur du formulaire (ou null).' }),
      }),
    },
  },
};

export const importedSchema = z.object({ imported: z.number().int() });

/** A refused file names every refused line: its errors carry the line number. */
const csvProblemSchema = problemSchema.extend({
  errors: z
    .array(
      z.object({
        line: z.number().int().optional().describe('Numéro de ligne dans le fichier (l’en-tête est la ligne 1).'),
        field: z.string(),
        message: z.string(),
        code: z.string().optional(),
      }),
    )
    .optional(),
});

export const csvImportResponses = {
  200: importedSchema,
  ...problemResponses(401, 403, 415),
  409: csvProblemSchema.describe('Seul obstacle : des mois verrouillés ; rien n’est enregistré.'),
  413: csvProblemSchema.describe('Fichier trop volumineux.'),
  422: csvProblemSchema.describe('Lignes refusées (numéro, colonne, message) ; rien n’est enregistré.'),
};

// ---------------------------------------------------------------------------------------------
// The grid (page)

export const gridQuery = z.object({ session: formField(100), mois: formField(10), fait: formField(40) });

/**
 * The grid form: every cell posted, each a code of grid-codes.ts. An empty cell is no
 * declaration; a code that is not in the list is refused on its cell (the page links to it).
 */
export const gridForm = z.looseObject({ session: formField(100), mois: formField(10) }).transform((body, ctx) => {
  const cells: GridCell[] = [];
  for (const { value, trainingId, date, period } of postedCells(body)) {
    const declaration = decodeCell(value);
    const fieldId = cellId(trainingId, date, period);
    if (declaration === 'invalid') ctx.addIssue({ code: 'custom', path: [fieldId], message: `${dayLabel(date)}, ${PERIOD_LABELS[period]} : choix inconnu ; choisissez dans la liste.`, input: value });
    else if (declaration) cells.push({ trainingId, date, period, entry: { date, period, ...declaration }, fieldId });
  }
  return { session: body.session, month: body.mois, cells, values: postedValues(body) };
});
