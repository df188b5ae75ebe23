/**
 * The candidate's own trainings (docs/product/training-follow-up.md#candidate-space): the timeline
 * of each (agreement, entry, months, withdrawal or exit, report), the report, and through the
 * shared services the attendance calendar and the statement PDFs. The candidate scope (their
 * account linked to the candidate record) is applied in the queries, like any other scope.
 */
import type { AppContext } from '../../../context.js';
import type { Actor } from '../../habilitations/policy.js';
import { parisDay } from '../../onboarding/rules.js';
import { scopeOf } from '../policy.js';
import type { TrainingRow } from '../repository.js';
import { type statementsOf, statementsOfMany } from '../statements/repository.js';
import { type reportOf, reportsOfMany, trainingsInScope } from './repository.js';
import { WITHDRAWAL_LABELS, monthLabel, type WithdrawalReason } from '../rules.js';
import { loadTraining } from '../service.js';
import { reportView, trainingView } from '../views.js';

interface TimelineEvent {
  kind: 'agreement' | 'entry' | 'statement' | 'withdrawal' | 'exit' | 'report';
  /** 'yyyy-mm-dd' of the event (the day it happened, or the day it was filed). */
  date: string;
  label: string;
}

type Statement = Awaited<ReturnType<typeof statementsOf>>[number];
type Report = NonNullable<Awaited<ReturnType<typeof reportOf>>>;

function timelineOf(t: NonNullable<TrainingRow>, statements: readonly Statement[], report: Report | undefined): TimelineEvent[] {
  const events: TimelineEvent[] = [];
  const at = (d: Date) => parisDay(d);
  if (t.decided_at) events.push({ kind: 'agreement', date: at(t.decided_at), label: `Accord de prise en charge${t.agreement_reference ? ` ${t.agreement_reference}` : ''}` });
  if (t.entry_date) events.push({ kind: 'entry', date: t.entry_date, label: 'Entrée en formation' });
  for (const s of statements) events.push({ kind: 'statement', date: at(s.submitted_at), label: `État de présence de ${monthLabel(s.month)} transmis` });
  if (t.withdrawal_date) events.push({ kind: 'withdrawal', date: t.withdrawal_date, label: `Abandon (${WITHDRAWAL_LABELS[t.withdrawal_reason as WithdrawalReason]})` });
  if (t.exit_date) events.push({ kind: 'exit', date: t.exit_date, label: 'Sortie de formation' });
  if (report) events.push({ kind: 'report', date: at(report.submitted_at), label: 'Bilan de formation déposé' });
  // Stable by date: events of one day keep the order of the training's life.
  return events.map((e, i) => ({ e, i })).sort((a, b) => a.e.date.localeCompare(b.e.date) || a.i - b.i).map((x) => x.e);
}

function candidateView(ctx: AppContext, t: NonNullable<TrainingRow>, statements: readonly Statement[], report: Report | undefined) {
  const { candidate: _own, ...view } = trainingView(t, parisDay(ctx.clock.now()));
  return {
    ...view,
    timeline: timelineOf(t, statements, report),
    statements: statements.map((s) => ({ month: s.month, submittedAt: s.submitted_at.toISOString() })),
    report: report ? reportView(report) : null,
  };
}

/** The statements and reports of every training in two statements, whatever their number. */
async function candidateViews(ctx: AppContext, rows: ReadonlyArray<NonNullable<TrainingRow>>) {
  const ids = rows.map((r) => r.id);
  const [statements, reports] = await Promise.all([statementsOfMany(ctx.db, ids), reportsOfMany(ctx.db, ids)]);
  return rows.map((t) =>
    candidateView(
      ctx,
      t,
      statements.filter((s) => s.training_id === t.id),
      reports.find((r) => r.training_id === t.id),
    ),
  );
}

export async function myTrainings(ctx: AppContext, actor: Actor) {
  return { trainings: await candidateViews(ctx, await trainingsInScope(ctx.db, scopeOf(actor))) };
}

export async function myTraining(ctx: AppContext, actor: Actor, id: string) {
  return (await candidateViews(ctx, [await loadTraining(ctx, actor, id)]))[0]!;
}
