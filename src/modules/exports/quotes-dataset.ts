/** The organisation's quotes as its list filters them (GET /api/v1/quotes), one row per quote. */
import type { AppContext } from '../../context.js';
import type { Actor } from '../habilitations/policy.js';
import { quotesForExport, type QuoteExportRow } from '../quotes/index.js';
import { STATUS_LABELS } from '../quotes/rules/lifecycle.js';
import { candidateColumns, type Column } from './columns.js';
import type { Dataset } from './dataset.js';
import type { QuotesExportQuery } from './schemas.js';

const COLUMNS: ReadonlyArray<Column<QuoteExportRow>> = [
  { header: 'Référence du devis', type: 'text', width: 38, value: (r) => r.id },
  { header: 'Type', type: 'text', width: 8, value: (r) => r.type },
  { header: 'Statut', type: 'text', width: 22, value: (r) => STATUS_LABELS[r.status] ?? r.status },
  { header: 'Version', type: 'integer', width: 9, value: (r) => r.version },
  ...candidateColumns<QuoteExportRow>(),
  { header: 'Date de naissance', type: 'date', width: 14, value: (r) => r.candidate.birthDate },
  { header: 'Intitulé de la formation', type: 'text', width: 40, value: (r) => r.title },
  { header: 'Session Carif-Oref', type: 'text', width: 20, value: (r) => r.carifOrefSession },
  { header: 'Début', type: 'date', width: 12, value: (r) => r.startDate },
  { header: 'Fin', type: 'date', width: 12, value: (r) => r.endDate },
  { header: 'Heures en centre', type: 'decimal', width: 12, value: (r) => r.centreHours },
  { header: 'Heures en entreprise', type: 'decimal', width: 12, value: (r) => r.companyHours },
  { header: 'Taux horaire (€)', type: 'money', width: 12, value: (r) => r.hourlyRateCents },
  { header: 'Coût pédagogique (€)', type: 'money', width: 14, value: (r) => r.pedagogicalCents },
  { header: 'Autres frais (€)', type: 'money', width: 12, value: (r) => r.otherCents },
  { header: 'Total (€)', type: 'money', width: 14, value: (r) => r.pedagogicalCents + r.otherCents },
  { header: 'Soumis le', type: 'date', width: 12, value: (r) => r.submittedAt },
  { header: 'Décidé le', type: 'date', width: 12, value: (r) => r.decidedAt },
  { header: 'Référence de l’accord', type: 'text', width: 22, value: (r) => r.agreementReference },
  { header: 'Modifié le', type: 'date', width: 12, value: (r) => r.updatedAt },
];

export async function quotesDataset(ctx: AppContext, actor: Actor, query: QuotesExportQuery, limit: number): Promise<Dataset<QuoteExportRow>> {
  const rows = await quotesForExport(ctx, actor, { ...(query.status ? { status: query.status } : {}), ...(query.q ? { q: query.q } : {}), ...(query.erreurs ? { erreurs: query.erreurs } : {}) }, limit);
  return {
    table: { sheet: 'Devis', columns: COLUMNS, rows },
    candidateIds: rows.map((r) => r.candidateId),
    // The search may be a candidate's name: the audit row says only that there was one.
    filters: { status: query.status ?? null, search: Boolean(query.q), erreurs: query.erreurs ?? null },
  };
}
