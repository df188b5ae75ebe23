/**
 * The figures of the caller's dashboard (GET /api/v1/dashboard, /kairos), one row per figure or
 * series point. Trainees are never named here: the advisor's trainees at risk appear as a count.
 */
import type { AppContext, RequestMeta } from '../../context.js';
import type { Actor } from '../habilitations/policy.js';
import { dashboardFor, type Dashboard } from '../dashboard/index.js';
import type { Column } from './columns.js';
import type { Dataset } from './dataset.js';
import type { StatisticsExportQuery } from './schemas.js';

interface Figure {
  block: string;
  indicator: string;
  label: string;
  value: number | null;
  unit: 'nombre' | 'taux' | 'jours';
}

const COLUMNS: ReadonlyArray<Column<Figure>> = [
  { header: 'Bloc', type: 'text', width: 24, value: (f) => f.block },
  { header: 'Indicateur', type: 'text', width: 36, value: (f) => f.indicator },
  { header: 'Libellé', type: 'text', width: 48, value: (f) => f.label },
  { header: 'Valeur', type: 'decimal', width: 12, value: (f) => (f.value === null ? null : f.unit === 'taux' ? Math.round(f.value * 1000) / 10 : f.value) },
  { header: 'Unité', type: 'text', width: 10, value: (f) => (f.unit === 'taux' ? '%' : f.unit) },
];

type Todo = Array<{ label: string; count: number }>;
const todoFigures = (block: string, todo: Todo): Figure[] => todo.map((t) => ({ block, indicator: 'À faire', label: t.label, value: t.count, unit: 'nombre' }));
const count = (block: string, indicator: string, label: string, value: number | null): Figure => ({ block, indicator, label, value, unit: 'nombre' });
const rate = (block: string, indicator: string, label: string, value: number | null): Figure => ({ block, indicator, label, value, unit: 'taux' });
const days = (block: string, indicator: string, label: string, value: number | null): Figure => ({ block, indicator, label, value, unit: 'jours' });

/** The dashboard flattened, block by block, in the order the page shows it. */
export function figuresOf(d: Dashboard): Figure[] {
  const out: Figure[] = [];
  if (d.organisation) {
    const b = 'Organisme de formation';
    out.push(...todoFigures(b, d.organisation.todo));
    const q = d.organisation.quotes;
    if (q) {
      out.push(...q.byStatus.map((s) => count(b, 'Devis par statut', s.label, s.count)));
      out.push(count(b, 'Décisions', 'Devis validés', q.approved), count(b, 'Décisions', 'Devis refusés', q.refused));
      out.push(rate(b, 'Décisions', 'Taux de validation', q.approvalRate), days(b, 'Décisions', 'Délai médian de décision', q.medianDecisionDays));
    }
    const t = d.organisation.training;
    if (t) {
      for (const s of t.attendanceBySession) {
        out.push(count(b, 'Assiduité par session', `${s.session} : demi-journées déclarées`, s.recorded), rate(b, 'Assiduité par session', `${s.session} : taux d’assiduité`, s.rate));
      }
      out.push(...t.withdrawalsByReason.map((w) => count(b, 'Abandons par motif', w.label, w.count)));
    }
  }
  if (d.advisor) {
    const b = 'Conseiller';
    out.push(...todoFigures(b, d.advisor.todo));
    out.push(...d.advisor.queueByWaiting.map((w) => count(b, 'Devis en attente de décision', w.label, w.count)));
    out.push(...d.advisor.alerts.map((a) => count(b, 'Alertes (30 derniers jours)', a.label, a.count)));
    out.push(count(b, 'Bilans', 'Bilans en retard', d.advisor.overdueReports));
  }
  if (d.agency) {
    const b = 'Agence';
    out.push(...todoFigures(b, d.agency.todo));
    for (const p of d.agency.pipeline) {
      out.push(count(b, 'Devis par mois', `${p.month} : soumis`, p.submitted), count(b, 'Devis par mois', `${p.month} : validés`, p.approved), count(b, 'Devis par mois', `${p.month} : refusés`, p.refused));
    }
    out.push(count(b, 'Délai de décision', 'Décisions (12 mois)', d.agency.decisionDelay.decided), days(b, 'Délai de décision', 'Médiane', d.agency.decisionDelay.medianDays), days(b, 'Délai de décision', '90e centile', d.agency.decisionDelay.p90Days));
    out.push(count(b, 'Assiduité', 'Demi-journées déclarées', d.agency.attendance.recorded), rate(b, 'Assiduité', 'Taux d’assiduité', d.agency.attendance.rate));
    out.push(...d.agency.withdrawalsByReason.map((w) => count(b, 'Abandons par motif', w.label, w.count)));
    for (const o of d.agency.organisations.rows) {
      out.push(
        count(b, 'Par organisme', `${o.name} : bilans en retard`, o.overdueReports),
        count(b, 'Par organisme', `${o.name} : abandons`, o.withdrawals),
        rate(b, 'Par organisme', `${o.name} : taux d’assiduité`, o.attendance.rate),
      );
    }
    if (d.agency.adhesionsPending !== null) out.push(count(b, 'Gouvernance', 'Demandes d’adhésion en attente', d.agency.adhesionsPending));
    if (d.agency.securityAlertsOpen !== null) out.push(count(b, 'Gouvernance', 'Alertes de sécurité ouvertes', d.agency.securityAlertsOpen));
  }
  if (d.trainer) {
    const b = 'Formateur';
    out.push(...todoFigures(b, d.trainer.todo));
    for (const h of d.trainer.today) out.push(count(b, 'Demi-journées du jour', `${h.session} ${h.startsAt}–${h.endsAt} : stagiaires prévus`, h.trainees));
    out.push(count(b, 'Semaine', 'Sessions', d.trainer.week.sessions), count(b, 'Semaine', 'Demi-journées prévues', d.trainer.week.halfDays));
    out.push(count(b, 'Feuilles d’émargement', 'Feuilles des jours passés encore ouvertes', d.trainer.pastOpenSheets));
  }
  return out;
}

export async function statisticsDataset(ctx: AppContext, actor: Actor, query: StatisticsExportQuery, meta: RequestMeta): Promise<Dataset<Figure>> {
  const rows = figuresOf(await dashboardFor(ctx, actor, meta, query.tri));
  return { table: { sheet: 'Statistiques', columns: COLUMNS, rows }, candidateIds: [], filters: { tri: query.tri ?? null } };
}
