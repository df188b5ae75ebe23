/**
 * Trainings (docs/product/training-follow-up.md): reading them within the actor's scope, and the
 * declarations that move a training through its lifecycle (entry, withdrawal, exit, report).
 * The pure rules decide; this loads, locks, stores and audits, each change and its audit row in
 * one transaction.
 */
import type { Transaction } from 'kysely';
import type { AppContext, RequestMeta } from '../../../context.js';
import type { DB, Training } from '../../../db/schema.js';
import { problems } from '../../../http/problem.js';
import { byActor, recordAudit } from '../../audit/service.js';
import type { Actor } from '../../habilitations/policy.js';
import { emitWebhookEvent, type WebhookEventType } from '../../webhooks/index.js';
import { parisDay } from '../../onboarding/rules.js';
import { formatFrenchDate } from '../../quotes/rules/holidays.js';
import type { StoredQuoteData } from '../../quotes/record/quote-json.js';
import { raiseAlert } from '../alerts/service.js';
import { scopeOf, writerOrganisation } from '../policy.js';
import { auditCandidateViews, loadTraining } from '../service.js';
import { TRAINING_NOT_FOUND } from '../schemas.js';
import { lastAttendedDate } from '../attendance/repository.js';
import { candidateIdentifier, insertSessions, lockOwnTraining, sessionsOf, type TrainingRow } from '../repository.js';
import { statementsOf } from '../statements/repository.js';
import { PAGE_SIZE, approvedQuoteData, exportTrainings, insertReport, listTrainings, reportOf, updateTraining } from './repository.js';
import {
  applyTrainingTransition,
  entryDateProblems,
  halfDaySessions,
  monthBounds,
  monthsBetween,
  withdrawalDateProblems,
  type TrainingAction,
  type TrainingStatus,
} from '../rules.js';
import type { ListQuery, ReportInput, WithdrawalInput } from './schemas.js';
import { closedOn, periodOf, reportView, trainingView } from '../views.js';
import { minutesToHundredths } from '../../quotes/rules/schedule.js';

const today = (ctx: AppContext) => parisDay(ctx.clock.now());

export async function listTrainingsFor(ctx: AppContext, actor: Actor, query: ListQuery, meta: RequestMeta) {
  const { total, rows } = await listTrainings(ctx.db, scopeOf(actor), query, today(ctx), query.month ? monthBounds(query.month) : undefined);
  await auditCandidateViews(ctx, actor, meta, rows, 'training-list');
  return { page: query.page, pageSize: PAGE_SIZE, total, trainings: rows.map((r) => trainingView(r, today(ctx))) };
}

/**
 * Every training of the list for the same filters, `limit` at most, for the export (which counts
 * and audits it): the list's scope, so an advisor exports their own trainees only.
 */
export async function trainingsForExport(ctx: AppContext, actor: Actor, query: Omit<ListQuery, 'page'>, limit: number) {
  const rows = await exportTrainings(ctx.db, scopeOf(actor), query, today(ctx), limit, query.month ? monthBounds(query.month) : undefined);
  return rows.map((r) => ({ candidateId: r.candidate_id, ...trainingView(r, today(ctx)) }));
}

async function detailOf(ctx: AppContext, row: NonNullable<TrainingRow>) {
  const [sessions, statements, report] = await Promise.all([sessionsOf(ctx.db, row.id), statementsOf(ctx.db, row.id), reportOf(ctx.db, row.id)]);
  const period = periodOf(row);
  const months = period.entryDate ? monthsBetween(period.entryDate, period.closedOn ?? period.endDate) : [];
  const submitted = new Map(statements.map((s) => [s.month, s.submitted_at]));
  return {
    ...trainingView(row, today(ctx)),
    plannedHalfDays: sessions.length,
    plannedHours: minutesToHundredths(sessions.reduce((n, s) => n + s.minutes, 0)) / 100,
    months: months.map((m) => ({ month: m, locked: submitted.has(m), submittedAt: submitted.get(m)?.toISOString() ?? null })),
    report: report ? reportView(report) : null,
  };
}

export async function getTraining(ctx: AppContext, actor: Actor, id: string, meta: RequestMeta) {
  const row = await loadTraining(ctx, actor, id);
  await auditCandidateViews(ctx, actor, meta, [row], 'training');
  return detailOf(ctx, row);
}

// ---------------------------------------------------------------------------------------------
// Declarations (attendance officers of the training's organisation)

interface Locked {
  trx: Transaction<DB>;
  training: Training;
  now: Date;
  today: string;
}

const WEBHOOK_EVENT_OF: Record<TrainingAction, WebhookEventType> = {
  enter: 'training.entered',
  withdraw: 'training.withdrawn',
  exit: 'training.exited',
  report: 'training.reported',
};

/** Locks the organisation's training, applies `action`'s transition check, runs `change`, then returns the fresh view; the organisation's webhooks hear of it in the same transaction. */
async function declare(ctx: AppContext, actor: Actor, id: string, action: TrainingAction, change: (l: Locked, to: TrainingStatus) => Promise<void>) {
  const organisationId = writerOrganisation(actor);
  const now = ctx.clock.now();
  await ctx.db.transaction().execute(async (trx) => {
    const training = await lockOwnTraining(trx, organisationId, id);
    if (!training) throw problems.notFound(TRAINING_NOT_FOUND);
    const t = applyTrainingTransition(training.status as TrainingStatus, action);
    if (!t.ok) throw problems.conflict(t.message);
    await change({ trx, training, now, today: parisDay(now) }, t.to);
    await emitWebhookEvent(trx, now, training.organisation_id, WEBHOOK_EVENT_OF[action], { trainingId: training.id, status: t.to });
  });
  return detailOf(ctx, await loadTraining(ctx, actor, id));
}

const auditOf = (actor: Actor, meta: RequestMeta, l: Locked, action: string, details: Record<string, unknown>) =>
  recordAudit(l.trx, { at: l.now, ...byActor(actor, meta), organisationId: l.training.organisation_id, action, target: { type: 'training', id: l.training.id }, details });

/** The schedule of the approved version (frozen), or of the quote row when no version was kept. */
async function scheduleOf(trx: Transaction<DB>, t: Training) {
  const data = (await approvedQuoteData(trx, t.quote_id, t.quote_version)) as unknown as StoredQuoteData;
  return data.training.schedule;
}

export async function declareEntry(ctx: AppContext, actor: Actor, id: string, startDate: string, meta: RequestMeta) {
  return declare(ctx, actor, id, 'enter', async (l, to) => {
    const problemsFound = entryDateProblems(startDate, periodOf(l.training), l.today);
    if (problemsFound.length) throw problems.invalid(problemsFound);
    const sessions = halfDaySessions(await scheduleOf(l.trx, l.training), startDate, l.training.end_date);
    if (sessions.length === 0) {
      throw problems.invalid([{ field: 'startDate', code: 'no_session', message: `Date d’entrée : l’emploi du temps du devis ne prévoit aucune séance entre le ${formatFrenchDate(startDate)} et la fin de la formation.` }]);
    }
    await insertSessions(l.trx, l.training.id, sessions);
    await updateTraining(l.trx, l.training.id, { status: to, entry_date: startDate, updated_at: l.now });
    await auditOf(actor, meta, l, 'training.entered', { startDate, halfDays: sessions.length });
  });
}

export async function declareWithdrawal(ctx: AppContext, actor: Actor, id: string, input: WithdrawalInput, meta: RequestMeta) {
  return declare(ctx, actor, id, 'withdraw', async (l, to) => {
    const found = withdrawalDateProblems(input.date, periodOf(l.training), l.today, await lastAttendedDate(l.trx, l.training.id));
    if (found.length) throw problems.invalid(found);
    await updateTraining(l.trx, l.training.id, { status: to, withdrawal_date: input.date, withdrawal_reason: input.reason, withdrawal_comment: input.comment || null, updated_at: l.now });
    await auditOf(actor, meta, l, 'training.withdrawn', { date: input.date, reason: input.reason });
    const identifier = await candidateIdentifier(l.trx, l.training.candidate_id);
    await raiseAlert(l.trx, ctx, { id: l.training.id, title: l.training.title, identifier }, 'withdrawal', '', { date: input.date, reason: input.reason });
  });
}

export async function declareExit(ctx: AppContext, actor: Actor, id: string, meta: RequestMeta) {
  return declare(ctx, actor, id, 'exit', async (l, to) => {
    if (l.today < l.training.end_date) {
      throw problems.conflict(`La sortie se déclare à la fin prévue de la formation (${formatFrenchDate(l.training.end_date)}) ou après ; pour un arrêt anticipé, déclarez un abandon.`);
    }
    await updateTraining(l.trx, l.training.id, { status: to, exit_date: l.training.end_date, updated_at: l.now });
    await auditOf(actor, meta, l, 'training.exited', { date: l.training.end_date });
  });
}

export async function submitReport(ctx: AppContext, actor: Actor, id: string, input: ReportInput, meta: RequestMeta) {
  return declare(ctx, actor, id, 'report', async (l, to) => {
    await insertReport(l.trx, {
      training_id: l.training.id,
      outcome: input.outcome,
      certification: input.certification,
      skills: input.skills,
      difficulties: input.difficulties,
      next_steps: input.nextSteps,
      employment_outcome: input.employmentOutcome ?? null,
      submitted_at: l.now,
      submitted_by: actor.accountId,
    });
    await updateTraining(l.trx, l.training.id, { status: to, updated_at: l.now });
    const closed = closedOn(l.training);
    await auditOf(actor, meta, l, 'training.reported', { outcome: input.outcome, certification: input.certification, closedOn: closed });
  });
}
