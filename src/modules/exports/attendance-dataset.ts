/** A session's month of attendance, as its grid shows it: one row per trainee and planned half-day. */
import type { AppContext } from '../../context.js';
import type { Actor } from '../habilitations/policy.js';
import { ABSENCE_LABELS, ATTENDANCE_LABELS, PERIOD_LABELS, attendanceForExport } from '../training/index.js';
import { candidateColumns, yesNo, type Column } from './columns.js';
import type { Dataset } from './dataset.js';
import type { AttendanceExportQuery } from './schemas.js';

type Row = Awaited<ReturnType<typeof attendanceForExport>>[number];

const COLUMNS: ReadonlyArray<Column<Row>> = [
  ...candidateColumns<Row>(),
  { header: 'Formation', type: 'text', width: 40, value: (r) => r.title },
  { header: 'Session Carif-Oref', type: 'text', width: 20, value: (r) => r.session },
  { header: 'Date', type: 'date', width: 12, value: (r) => r.date },
  { header: 'Demi-journée', type: 'text', width: 12, value: (r) => PERIOD_LABELS[r.period] },
  { header: 'Horaires', type: 'text', width: 12, value: (r) => `${r.from}–${r.to}` },
  { header: 'Statut', type: 'text', width: 12, value: (r) => (r.status ? ATTENDANCE_LABELS[r.status] : 'non déclaré') },
  { header: 'Retard (minutes)', type: 'integer', width: 10, value: (r) => r.lateMinutes },
  { header: 'Motif d’absence', type: 'text', width: 24, value: (r) => (r.reason ? ABSENCE_LABELS[r.reason] : null) },
  { header: 'Justifiée', type: 'text', width: 10, value: (r) => yesNo(r.justified) },
  { header: 'Mois transmis', type: 'text', width: 10, value: (r) => yesNo(r.locked) },
];

export async function attendanceDataset(ctx: AppContext, actor: Actor, query: AttendanceExportQuery, limit: number): Promise<Dataset<Row>> {
  // Trainees are capped too (a trainee's month holds one row or more); the service refuses more than the row cap.
  const rows = await attendanceForExport(ctx, actor, query.session, query.month, limit);
  return {
    table: { sheet: 'Assiduité', columns: COLUMNS, rows },
    candidateIds: [...new Set(rows.map((r) => r.candidateId))],
    filters: { session: query.session, month: query.month },
  };
}
