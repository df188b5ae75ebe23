/**
 * What the export routes accept: each list's own query string (its `page` is accepted and
 * ignored: an export holds every page), the grid's session and month, the dashboard's sort; and
 * their answer, a file documented as binary content.
 */
import { z } from 'zod';
import { dashboardQuery } from '../dashboard/index.js';
import { quoteListQuery } from '../quotes/index.js';
import { listQuerySchema as trainingListQuery } from '../training/index.js';
import { monthSchema } from '../training/schemas.js';

export const EXPORT_KINDS = ['quotes', 'trainings', 'attendance', 'statistics'] as const;
export type ExportKind = (typeof EXPORT_KINDS)[number];
export const EXPORT_FORMATS = ['csv', 'xlsx'] as const;
export type ExportFormat = (typeof EXPORT_FORMATS)[number];

export const CONTENT_TYPES: Record<ExportFormat, string> = {
  csv: 'text/csv; charset=utf-8',
  xlsx: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
};

export const quotesExportQuery = quoteListQuery;
export const trainingsExportQuery = trainingListQuery;
export const attendanceExportQuery = z.strictObject({
  session: z
    .string({ error: 'Session (session) : numéro de session Carif-Oref attendu.' })
    .trim()
    .min(1, 'Session (session) : numéro de session Carif-Oref attendu.')
    .max(100, 'Session (session) : 100 caractères au maximum.'),
  month: monthSchema,
});
export const statisticsExportQuery = dashboardQuery;

export type QuotesExportQuery = z.output<typeof quotesExportQuery>;
export type TrainingsExportQuery = z.output<typeof trainingsExportQuery>;
export type AttendanceExportQuery = z.output<typeof attendanceExportQuery>;
export type StatisticsExportQuery = z.output<typeof statisticsExportQuery>;

/** The file, documented as binary content of its format. */
export function fileResponse(format: ExportFormat, what: string) {
  return { description: `${what} (${format.toUpperCase()}).`, content: { [CONTENT_TYPES[format].split(';')[0]!]: { schema: z.string().meta({ format: 'binary' }) } } };
}
