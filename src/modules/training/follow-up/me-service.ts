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
import { statementsOf } from '../statements/repository.js';
import { reportOf, trainingsInScope } from './repository.js';
import { WITHDRAWAL_LABELS, monthLabel, type WithdrawalReason } from '../rules.js';
import { loadTraining } from '../service.js';
import { reportView, trainingView } from '../views.js';

interface TimelineEvent {
  kind: 'agreement' | 'entry' | 'statement' | 'withdrawal' | 'exit' | 'report';
  /** 'yyyy-mm-dd' of the event (the day it happened, or the day it was filed). */
  date: string;
  label: string;
}

async function timelineOf(ctx: AppContext, t: NonNullable<TrainingRow>): Promise<TimelineEvent[]> {
  const [statements, report] = await Promise.all([statementsOf(ctx.db, t.id), reportOf(ctx.db, t.id)]);
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

async function candidateView(ctx: AppContext, t: NonNullable<TrainingRow>) {
  const [timeline, statements, report] = await Promise.all([timelineOf(ctx, t), statementsOf(ctx.db, t.id), reportOf(ctx.db, t.id)]);
  const { candidate: _own, ...view } = trainingView(t, parisDay(ctx.clock.now()));
  return { ...view, timeline, statements: statements.map((s) => ({ month: s.month, submittedAt: s.submitted_at.toISOString() })), report: report ? reportView(report) : null };
}

export async function myTrainings(ctx: AppContext, actor: Actor) {
  const rows = await trainingsInScope(ctx.db, scopeOf(actor));
  return { trainings: await Promise.all(rows.map((r) => candidateView(ctx, r))) };
}

export async function myTraining(ctx: AppContext, actor: Actor, id: string) {
  return candidateView(ctx, await loadTraining(ctx, actor, id));
}
