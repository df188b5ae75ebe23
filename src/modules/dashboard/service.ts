/**
 * The dashboards of Kairos: what needs doing today and a few figures, one block per staff role.
 * Each block is built only for a role the actor holds, from aggregates filtered by the actor's
 * tenant: an organisation's own rows; an advisor's agency queue and their own trainees (the
 * follow-up's scope); the agency administrator's whole agency.
 */
import type { AppContext, RequestMeta } from '../../context.js';
import { problems } from '../../http/problem.js';
import { hasHabilitation, type Actor } from '../habilitations/policy.js';
import { parisDay } from '../onboarding/rules.js';
import { ANSWER_DAYS, fillMissingWarnings } from '../quotes/index.js';
import { addDays, isoWeekday } from '../quotes/rules/holidays.js';
import { QUOTE_STATUSES, STATUS_LABELS } from '../quotes/rules/lifecycle.js';
import { auditCandidateViews } from '../training/service.js';
import { WITHDRAWAL_LABELS, WITHDRAWAL_REASONS, type WithdrawalReason } from '../training/rules.js';
import * as repo from './repository.js';
import * as trainerRepo from './trainer-repository.js';
import type { Dashboard, TaskCode } from './schemas.js';

const DAY_MS = 86_400_000;
/** Quotes that expire within this many days are listed as « à faire ». */
export const EXPIRY_WARNING_DAYS = 3;
/** Below this attendance rate a trainee is at risk. */
export const AT_RISK_RATE = 0.8;
/** Rows of the agency's table by organisation. */
export const ORGANISATION_ROWS = 50;
export const WAITING_BUCKETS = [
  { label: 'moins de 3 jours', minDays: 0, maxDays: 2 },
  { label: '3 à 6 jours', minDays: 3, maxDays: 6 },
  { label: '7 à 13 jours', minDays: 7, maxDays: 13 },
  { label: '14 jours ou plus', minDays: 14, maxDays: null },
] as const;
const ALERT_LABELS: Record<string, string> = {
  unjustified_absences: 'absences injustifiées',
  withdrawal: 'abandons',
  report_overdue: 'bilans en retard',
};

type Todo = NonNullable<Dashboard['organisation']>['todo'];
const item = (code: TaskCode, label: string, count: number, href: string) => ({ code, label, count, href });
const rateOf = (attended: number, recorded: number) => (recorded > 0 ? attended / recorded : null);
const round1 = (v: number | null) => (v === null ? null : Math.round(v * 10) / 10);

/** First day of the month `back` months before the one of `day`. */
export function monthStart(day: string, back = 0): string {
  const [y, m] = day.split('-').map(Number) as [number, number];
  const d = new Date(Date.UTC(y, m - 1 - back, 1));
  return d.toISOString().slice(0, 10);
}

function byReason(rows: Array<{ reason: string; count: number }>) {
  return WITHDRAWAL_REASONS.map((reason) => ({ reason, label: WITHDRAWAL_LABELS[reason], count: rows.find((r) => r.reason === reason)?.count ?? 0 }));
}

export type OrganisationSort = repo.OrganisationSort;

interface Dates {
  now: Date;
  today: string;
  monthFirst: string;
  threeMonthsFrom: string;
}

/** Quotes written outside the application get their stored findings before being counted on them. */
async function organisationQuotes(ctx: AppContext, organisationId: string, d: Dates, answerBefore: Date) {
  await fillMissingWarnings(ctx.db, { versions: false });
  return repo.organisationQuotes(ctx.db, organisationId, d.today, answerBefore, addDays(d.today, EXPIRY_WARNING_DAYS));
}

async function organisationBlock(ctx: AppContext, actor: Actor, organisationId: string, d: Dates): Promise<Dashboard['organisation']> {
  const editor = hasHabilitation(actor, 'kairos', ['quote_editor']);
  const follower = hasHabilitation(actor, 'kairos', ['attendance_officer', 'reader']);
  const answerBefore = new Date(d.now.getTime() - (ANSWER_DAYS - EXPIRY_WARNING_DAYS) * DAY_MS);
  const [quoteRows, decided, trainingTodo, sessions, withdrawals] = await Promise.all([
    editor ? organisationQuotes(ctx, organisationId, d, answerBefore) : null,
    editor ? repo.decisions(ctx.db, { organisationId }) : null,
    follower ? repo.organisationTrainingTodo(ctx.db, organisationId, d.today, d.monthFirst) : null,
    follower ? repo.attendanceBySession(ctx.db, { organisationId }, d.threeMonthsFrom, d.today) : null,
    follower ? repo.withdrawalsByReason(ctx.db, organisationId) : null,
  ]);
  const todo: Todo = [];
  if (quoteRows) {
    const sum = (f: (r: repo.QuoteTodoRow) => number) => quoteRows.reduce((s, r) => s + f(r), 0);
    todo.push(
      item('drafts_with_errors', 'Brouillons avec erreurs (ne peuvent pas être soumis en l’état)', sum((r) => r.blockedDrafts), '/devis?status=draft&erreurs=oui'),
      item('drafts_flagged', 'Brouillons avec avertissements (le conseiller les verra)', sum((r) => r.warnedDrafts), '/devis?status=draft'),
      item('changes_requested', 'Devis à modifier à la demande du conseiller', sum((r) => (r.status === 'changes_requested' ? r.count : 0)), '/devis?status=changes_requested'),
      item('quotes_expiring', `Devis qui expirent dans les ${EXPIRY_WARNING_DAYS} jours`, sum((r) => r.expiring), '/devis?status=submitted'),
    );
  }
  if (trainingTodo) {
    const previousMonth = monthStart(d.today, 1).slice(0, 7);
    todo.push(
      item('entries_to_declare', 'Entrées en formation à déclarer', trainingTodo.entriesToDeclare, '/kairos/formations?status=planned'),
      item('months_to_submit', 'Mois d’assiduité terminés à transmettre', trainingTodo.monthsToSubmit, `/kairos/formations?month=${previousMonth}`),
      item('reports_due', 'Bilans à rédiger (dans les 30 jours)', trainingTodo.reportsDue, '/kairos/formations?status=exited'),
      item('reports_overdue', 'Bilans en retard', trainingTodo.reportsOverdue, '/kairos/formations?overdue=true'),
      item('unjustified_absences', 'Stagiaires avec des absences injustifiées ce mois-ci', trainingTodo.unjustifiedTrainees, `/kairos/formations?month=${d.today.slice(0, 7)}`),
    );
  }
  return {
    todo,
    quotes:
      quoteRows && decided
        ? {
            byStatus: QUOTE_STATUSES.map((status) => ({ status, label: STATUS_LABELS[status], count: quoteRows.find((r) => r.status === status)?.count ?? 0 })),
            approved: decided.approved,
            refused: decided.refused,
            approvalRate: rateOf(decided.approved, decided.approved + decided.refused),
            medianDecisionDays: round1(decided.medianDays),
          }
        : null,
    training:
      sessions && withdrawals
        ? {
            from: d.threeMonthsFrom,
            to: d.today,
            attendanceBySession: sessions.map((s) => ({ ...s, rate: rateOf(s.attended, s.recorded) })),
            withdrawalsByReason: byReason(withdrawals),
          }
        : null,
  };
}

async function advisorBlock(ctx: AppContext, actor: Actor, d: Dates, meta: RequestMeta): Promise<Dashboard['advisor']> {
  const [buckets, alerts, atRisk, overdueReports] = await Promise.all([
    repo.queueWaiting(ctx.db, d.now),
    repo.advisorAlerts(ctx.db, actor.accountId, new Date(d.now.getTime() - 30 * DAY_MS)),
    repo.advisorAtRisk(ctx.db, actor.accountId, d.monthFirst, AT_RISK_RATE),
    repo.advisorOverdueReports(ctx.db, actor.accountId, d.today),
  ]);
  // The trainees at risk are named: a view of their data by the advisor, audited and counted like the training list's.
  await auditCandidateViews(ctx, actor, meta, atRisk.map((r) => ({ candidate_id: r.candidateId, identifier: r.identifier })), 'dashboard');
  const alertTotal = alerts.reduce((s, a) => s + a.count, 0);
  return {
    todo: [
      item('queue_waiting_long', 'Devis en attente de décision depuis 7 jours ou plus', (buckets[2] ?? 0) + (buckets[3] ?? 0), '/conseiller/devis?minWaitingDays=7'),
      item('alerts', 'Alertes sur vos candidats (30 derniers jours)', alertTotal, '/kairos/formations'),
      item('trainees_at_risk', 'Stagiaires en difficulté (assiduité sous 80 % ou absences injustifiées)', atRisk.length, '/kairos/formations?status=in_progress'),
      item('reports_overdue', 'Bilans en retard', overdueReports, '/kairos/formations?overdue=true'),
    ],
    queueByWaiting: WAITING_BUCKETS.map((b, i) => ({ ...b, count: buckets[i] ?? 0 })),
    alerts: Object.keys(ALERT_LABELS).map((kind) => ({ kind, label: ALERT_LABELS[kind]!, count: alerts.find((a) => a.kind === kind)?.count ?? 0 })),
    atRisk: atRisk.map((r) => ({ trainingId: r.trainingId, identifier: r.identifier, lastName: r.lastName, firstName: r.firstName, rate: rateOf(r.attended, r.recorded), unjustified: r.unjustified })),
    overdueReports,
  };
}

async function agencyBlock(ctx: AppContext, actor: Actor, d: Dates, sort: OrganisationSort): Promise<Dashboard['agency']> {
  const gidAdmin = hasHabilitation(actor, 'gid', ['agency_admin']);
  const yearFrom = monthStart(d.today, 11);
  const since = new Date(`${yearFrom}T00:00:00Z`);
  const [pipeline, decided, attendance, organisations, pending] = await Promise.all([
    repo.pipelineByMonth(ctx.db, since),
    repo.decisions(ctx.db, { since }),
    repo.attendanceOverall(ctx.db, d.threeMonthsFrom, d.today),
    repo.byOrganisation(ctx.db, d.today, d.threeMonthsFrom, sort, ORGANISATION_ROWS),
    gidAdmin ? repo.agencyPending(ctx.db) : null,
  ]);
  const months = Array.from({ length: 12 }, (_, i) => monthStart(d.today, 11 - i).slice(0, 7));
  const totals = Object.fromEntries(WITHDRAWAL_REASONS.map((r) => [r, organisations.reduce((s, o) => s + (o.withdrawals[r] ?? 0), 0)])) as Record<WithdrawalReason, number>;
  const todo: Todo = pending
    ? [
        item('adhesions_pending', 'Demandes d’adhésion à instruire', pending.adhesions, '/admin/adhesions'),
        item('security_alerts_open', 'Alertes de sécurité ouvertes', pending.securityAlerts, '/securite/alertes'),
      ]
    : [];
  todo.push(item('reports_overdue', 'Bilans en retard (tous organismes)', organisations.reduce((s, o) => s + o.overdueReports, 0), '/kairos?tri=retards#par-organisme'));
  return {
    todo,
    pipeline: months.map((month) => pipeline.find((p) => p.month === month) ?? { month, submitted: 0, approved: 0, refused: 0 }),
    decisionDelay: { decided: decided.approved + decided.refused, medianDays: round1(decided.medianDays), p90Days: round1(decided.p90Days) },
    attendance: { ...attendance, rate: rateOf(attendance.attended, attendance.recorded), from: d.threeMonthsFrom, to: d.today },
    withdrawalsByReason: byReason(Object.entries(totals).map(([reason, count]) => ({ reason, count }))),
    organisations: {
      sort,
      rows: organisations.map((o) => ({
        id: o.id,
        name: o.name,
        overdueReports: o.overdueReports,
        withdrawals: o.withdrawalTotal,
        withdrawalsByReason: o.withdrawals,
        attendance: { recorded: o.recorded, attended: o.attended, rate: rateOf(o.attended, o.recorded) },
      })),
    },
    adhesionsPending: pending?.adhesions ?? null,
    securityAlertsOpen: pending?.securityAlerts ?? null,
  };
}

/** The sheets of the trainer's organisation: today's half-days to open, present and close; past ones left open; the week. */
async function trainerBlock(ctx: AppContext, organisationId: string, d: Dates): Promise<Dashboard['trainer']> {
  const monday = addDays(d.today, 1 - isoWeekday(d.today));
  const sunday = addDays(monday, 6);
  const [week, past] = await Promise.all([trainerRepo.plannedHalfDays(ctx.db, organisationId, monday, sunday), trainerRepo.pastOpenSheets(ctx.db, organisationId, d.today)]);
  const today = week.filter((h) => h.date === d.today);
  const toOpen = today.filter((h) => h.sheetId === null);
  const open = today.filter((h) => h.sheetStatus === 'open');
  const only = (ids: Array<string | null>) => (ids.length === 1 && ids[0] ? `/kairos/emargement/${ids[0]}` : '/kairos/emargement');
  return {
    todo: [
      item('sheets_to_open', 'Demi-journées d’aujourd’hui dont la feuille d’émargement n’est pas ouverte', toOpen.length, '/kairos/emargement'),
      item('sheets_open_today', 'Feuilles d’aujourd’hui ouvertes : à présenter aux stagiaires puis à clore', open.length, only(open.map((h) => h.sheetId))),
      item('sheets_past_open', 'Feuilles des jours passés encore ouvertes : à clore', past.count, past.count === 1 ? only([past.firstId]) : '/kairos/emargement'),
    ],
    today: today.map(({ date: _date, ...h }) => h),
    week: { from: monday, to: sunday, sessions: new Set(week.map((h) => h.session)).size, halfDays: week.length },
    pastOpenSheets: past.count,
  };
}

/** Which blocks the actor sees; none (a candidate, a staff member without a Kairos role) is refused. */
export function dashboardRoles(actor: Actor): { organisationId: string | null; advisor: boolean; agency: boolean; trainerOf: string | null } {
  const org = actor.organisation;
  const organisationId = org?.kind === 'training_provider' && hasHabilitation(actor, 'kairos', ['quote_editor', 'attendance_officer', 'reader']) ? org.id : null;
  const advisor = org?.kind === 'agency' && hasHabilitation(actor, 'kairos', ['advisor']);
  const agency = org?.kind === 'agency' && hasHabilitation(actor, 'kairos', ['agency_admin']);
  const trainerOf = org?.kind === 'training_provider' && hasHabilitation(actor, 'kairos', ['trainer']) ? org.id : null;
  return { organisationId, advisor, agency, trainerOf };
}

/** Whether the actor holds a role with a dashboard block. */
export function hasDashboard(roles: ReturnType<typeof dashboardRoles>): boolean {
  return Boolean(roles.organisationId || roles.advisor || roles.agency || roles.trainerOf);
}

export async function dashboardFor(ctx: AppContext, actor: Actor, meta: RequestMeta, sort: OrganisationSort = 'retards'): Promise<Dashboard> {
  const roles = dashboardRoles(actor);
  if (!hasDashboard(roles)) throw problems.forbidden();
  const now = ctx.clock.now();
  const today = parisDay(now);
  const d: Dates = { now, today, monthFirst: monthStart(today), threeMonthsFrom: monthStart(today, 2) };
  const [organisation, advisor, agency, trainer] = await Promise.all([
    roles.organisationId ? organisationBlock(ctx, actor, roles.organisationId, d) : null,
    roles.advisor ? advisorBlock(ctx, actor, d, meta) : null,
    roles.agency ? agencyBlock(ctx, actor, d, sort) : null,
    roles.trainerOf ? trainerBlock(ctx, roles.trainerOf, d) : null,
  ]);
  return { generatedAt: now.toISOString(), today, organisation, advisor, agency, trainer };
}
