/**
 * Exports (docs/product/exports.md, docs/decisions/0047-exports.md): a list, a grid or the
 * dashboard as a CSV or XLSX file. Each kind reads through the owning module's service, with the
 * list's own access rules and filters, every row at once up to a cap; every candidate it names
 * is counted as exported by bulk-access detection before anything is rendered; one audit row
 * records who exported what, in which format, with which filters and how many rows.
 */
import type { AppContext, RequestMeta } from '../../context.js';
import { HttpProblem, TITLES } from '../../http/problem.js';
import { byActor, recordAuditAlone } from '../audit/service.js';
import type { Actor } from '../habilitations/policy.js';
import { parisDay } from '../onboarding/rules.js';
import { guardCandidateAccess } from '../security/bulk-access.js';
import { attendanceDataset } from './attendance-dataset.js';
import { toCsv } from './csv.js';
import type { Dataset } from './dataset.js';
import { quotesDataset } from './quotes-dataset.js';
import { CONTENT_TYPES, type AttendanceExportQuery, type ExportFormat, type ExportKind, type QuotesExportQuery, type StatisticsExportQuery, type TrainingsExportQuery } from './schemas.js';
import { statisticsDataset } from './statistics-dataset.js';
import { trainingsDataset } from './trainings-dataset.js';
import { toXlsx } from './xlsx.js';

export interface ExportQueries {
  quotes: QuotesExportQuery;
  trainings: TrainingsExportQuery;
  attendance: AttendanceExportQuery;
  statistics: StatisticsExportQuery;
}

export interface ExportFile {
  filename: string;
  contentType: string;
  body: Buffer;
}

function tooLarge(max: number): HttpProblem {
  const shown = max.toLocaleString('fr-FR').replace(/\u202f/g, ' ');
  return new HttpProblem(
    422,
    TITLES[422],
    `Export trop volumineux : il dépasse ${shown} lignes. Affinez les filtres (statut, recherche, mois, session) pour exporter moins de lignes, puis réessayez.`,
    [{ field: 'filters', code: 'export_too_large', message: `Filtres : l’export dépasse ${shown} lignes ; affinez-les.` }],
  );
}

async function datasetOf<K extends ExportKind>(ctx: AppContext, actor: Actor, kind: K, query: ExportQueries[K], meta: RequestMeta): Promise<Dataset> {
  // One row more than the cap tells a complete export from a cut one.
  const limit = ctx.config.exports.maxRows + 1;
  switch (kind) {
    case 'quotes':
      return (await quotesDataset(ctx, actor, query as QuotesExportQuery, limit)) as Dataset;
    case 'trainings':
      return (await trainingsDataset(ctx, actor, query as TrainingsExportQuery, limit)) as Dataset;
    case 'attendance':
      return (await attendanceDataset(ctx, actor, query as AttendanceExportQuery, limit)) as Dataset;
    default:
      return (await statisticsDataset(ctx, actor, query as StatisticsExportQuery, meta)) as Dataset;
  }
}

export async function exportFile<K extends ExportKind>(ctx: AppContext, actor: Actor, kind: K, format: ExportFormat, query: ExportQueries[K], meta: RequestMeta): Promise<ExportFile> {
  const data = await datasetOf(ctx, actor, kind, query, meta);
  const rows = data.table.rows.length;
  if (rows > ctx.config.exports.maxRows) throw tooLarge(ctx.config.exports.maxRows);
  // Counted before anything is rendered: one export of N trainees weighs like N reads, and trips the export threshold.
  await guardCandidateAccess(ctx, actor, data.candidateIds, meta, 'export');
  const body = format === 'csv' ? toCsv(data.table) : await toXlsx(data.table);
  const now = ctx.clock.now();
  await recordAuditAlone(ctx.db, {
    at: now,
    ...byActor(actor, meta),
    organisationId: actor.organisation?.id ?? null,
    action: 'data.exported',
    details: { kind, format, filters: data.filters, rows, candidates: new Set(data.candidateIds).size },
  });
  return { filename: `kairos-${kind}-${parisDay(now)}.${format}`, contentType: CONTENT_TYPES[format], body };
}
