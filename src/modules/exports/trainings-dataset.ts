/** The trainings of the caller's scope as their list filters them (GET /api/v1/trainings), one row per training. */
import type { AppContext } from '../../context.js';
import type { Actor } from '../habilitations/policy.js';
import { TRAINING_STATUS_LABELS, WITHDRAWAL_LABELS, trainingsForExport } from '../training/index.js';
import { candidateColumns, type Column } from './columns.js';
import type { Dataset } from './dataset.js';
import type { TrainingsExportQuery } from './schemas.js';

type Row = Awaited<ReturnType<typeof trainingsForExport>>[number];
const label = <K extends string>(labels: Record<K, string>, key: string | null) => (key === null ? null : (labels[key as K] ?? key));

const COLUMNS: ReadonlyArray<Column<Row>> = [
  { header: 'Référence de la formation', type: 'text', width: 38, value: (r) => r.id },
  ...candidateColumns<Row>(),
  { header: 'Formation', type: 'text', width: 40, value: (r) => r.title },
  { header: 'Session Carif-Oref', type: 'text', width: 20, value: (r) => r.carifOrefSession },
  { header: 'Organisme', type: 'text', width: 28, value: (r) => r.organisation.name },
  { header: 'Statut', type: 'text', width: 14, value: (r) => label(TRAINING_STATUS_LABELS, r.status) },
  { header: 'Début prévu', type: 'date', width: 12, value: (r) => r.startDate },
  { header: 'Fin prévue', type: 'date', width: 12, value: (r) => r.endDate },
  { header: 'Entrée', type: 'date', width: 12, value: (r) => r.entryDate },
  { header: 'Sortie', type: 'date', width: 12, value: (r) => r.exitDate },
  { header: 'Abandon le', type: 'date', width: 12, value: (r) => r.withdrawal?.date ?? null },
  { header: 'Motif d’abandon', type: 'text', width: 22, value: (r) => label(WITHDRAWAL_LABELS, r.withdrawal?.reason ?? null) },
  { header: 'Commentaire d’abandon', type: 'text', width: 30, value: (r) => r.withdrawal?.comment ?? null },
  { header: 'Bilan attendu le', type: 'date', width: 14, value: (r) => r.reportDueDate },
  { header: 'Bilan en retard', type: 'text', width: 10, value: (r) => (r.reportOverdue ? 'oui' : 'non') },
  { header: 'Type de devis', type: 'text', width: 10, value: (r) => r.quote.type },
  { header: 'Référence de l’accord', type: 'text', width: 22, value: (r) => r.quote.agreementReference },
  { header: 'Validé le', type: 'date', width: 12, value: (r) => (r.quote.approvedAt ? new Date(r.quote.approvedAt) : null) },
];

export async function trainingsDataset(ctx: AppContext, actor: Actor, query: TrainingsExportQuery, limit: number): Promise<Dataset<Row>> {
  const { page: _page, ...filters } = query;
  const rows = await trainingsForExport(ctx, actor, filters, limit);
  return {
    table: { sheet: 'Formations', columns: COLUMNS, rows },
    candidateIds: rows.map((r) => r.candidateId),
    filters: { status: query.status ?? null, month: query.month ?? null, overdue: query.overdue ?? null, session: query.session ?? null },
  };
}
