/**
 * Monthly statements (docs/product/training-follow-up.md#monthly-statements): submitting a month
 * computes its figures and locks it; afterwards a half-day changes only through a correction with a
 * reason, which is kept, audited, shown with the statement, and updates its figures.
 */
import type { AppContext, RequestMeta } from '../../../context.js';
import { formatDate } from '../../../http/format.js';
import { problems } from '../../../http/problem.js';
import { byActor, recordAudit } from '../../audit/service.js';
import { emitWebhookEvent } from '../../webhooks/index.js';
import type { Actor } from '../../habilitations/policy.js';
import { parisDay } from '../../onboarding/rules.js';
import { checkUnjustifiedAbsences } from '../alerts/service.js';
import { attendanceOf, correctionsOf, insertCorrection, upsertAttendance } from '../attendance/repository.js';
import { activeSessions } from '../attendance/service.js';
import { writerOrganisation } from '../policy.js';
import { candidateIdentifier, lockOwnTraining, sessionsOf } from '../repository.js';
import { computeStatement, entryProblems, monthBounds, monthLabel, monthOf, sessionKey, submissionProblems, type StatementFigures } from '../rules.js';
import { TRAINING_NOT_FOUND } from '../schemas.js';
import { auditCandidateViews, loadTraining } from '../service.js';
import { closedOn, correctionView, figuresView, periodOf, recordView } from '../views.js';
import { renderStatementPdf } from './pdf.js';
import { insertStatement, statementOf, updateStatementFigures } from './repository.js';
import type { CorrectionInput } from './schemas.js';

const NOT_SUBMITTED = (month: string) => `Aucun état de présence n’a été transmis pour ${monthLabel(month)} : le mois n’est pas verrouillé.`;

/** The month's statement: as submitted (with its corrections), or as it would be computed now. */
export async function getStatement(ctx: AppContext, actor: Actor, id: string, month: string, meta: RequestMeta) {
  const row = await loadTraining(ctx, actor, id);
  await auditCandidateViews(ctx, actor, meta, [row], 'statement');
  const range = monthBounds(month);
  const [stored, corrections] = await Promise.all([statementOf(ctx.db, id, month), correctionsOf(ctx.db, id, range)]);
  const figures = stored
    ? (stored.figures as unknown as StatementFigures)
    : computeStatement(activeSessions(await sessionsOf(ctx.db, id, range), closedOn(row)), await attendanceOf(ctx.db, id, range));
  return {
    trainingId: id,
    month,
    submitted: !!stored,
    submittedAt: stored?.submitted_at.toISOString() ?? null,
    figures: figuresView(figures),
    corrections: corrections.map(correctionView),
  };
}

export async function submitStatement(ctx: AppContext, actor: Actor, id: string, month: string, meta: RequestMeta) {
  const organisationId = writerOrganisation(actor);
  const now = ctx.clock.now();
  await ctx.db.transaction().execute(async (trx) => {
    const training = await lockOwnTraining(trx, organisationId, id);
    if (!training) throw problems.notFound(TRAINING_NOT_FOUND);
    if (await statementOf(trx, id, month)) throw problems.conflict(`L’état de présence de ${monthLabel(month)} est déjà transmis : le mois est verrouillé. Une modification passe par une correction motivée.`);
    const range = monthBounds(month);
    const period = periodOf(training);
    const sessions = activeSessions(await sessionsOf(trx, id, range), period.closedOn);
    const figures = computeStatement(sessions, await attendanceOf(trx, id, range));
    const found = submissionProblems({ month, training: period, today: parisDay(now), sessions, figures });
    if (found.length) throw problems.invalid(found, 'Le mois ne peut pas encore être transmis : voyez le détail.');
    await insertStatement(trx, { training_id: id, month, figures: JSON.stringify(figures), submitted_at: now, submitted_by: actor.accountId, updated_at: now });
    await recordAudit(trx, {
      at: now,
      ...byActor(actor, meta),
      organisationId,
      action: 'statement.submitted',
      target: { type: 'training', id },
      details: { month, attendedMinutes: figures.attendedMinutes, plannedMinutes: figures.plannedMinutes, unjustifiedHalfDays: figures.unjustifiedHalfDays },
    });
    await emitWebhookEvent(trx, now, organisationId, 'statement.submitted', { trainingId: id, status: 'submitted', month });
  });
  return getStatement(ctx, actor, id, month, meta);
}

/** Changes one half-day of a locked month, keeping what it was, who changed it and why. */
export async function correctAttendance(ctx: AppContext, actor: Actor, id: string, month: string, input: CorrectionInput, meta: RequestMeta) {
  const organisationId = writerOrganisation(actor);
  const now = ctx.clock.now();
  const e = input.entry;
  await ctx.db.transaction().execute(async (trx) => {
    const training = await lockOwnTraining(trx, organisationId, id);
    if (!training) throw problems.notFound(TRAINING_NOT_FOUND);
    const statement = await statementOf(trx, id, month);
    if (!statement) throw problems.conflict(`${NOT_SUBMITTED(month)} Déclarez l’assiduité normalement.`);
    if (monthOf(e.date) !== month) throw problems.invalid([{ field: 'entry.date', message: `Date : la correction porte sur ${monthLabel(month)} ; choisissez un jour de ce mois.` }]);
    const sessions = await sessionsOf(trx, id);
    const check = { training: periodOf(training), sessions: new Map(sessions.map((s) => [sessionKey(s.date, s.period), s.minutes])), today: parisDay(now), lockedMonths: new Set<string>() };
    const found = entryProblems(e, check);
    if (found.length) throw problems.invalid(found.map((p) => ({ field: `entry.${p.field}`, code: p.code, message: p.message })));
    const range = monthBounds(month);
    const before = (await attendanceOf(trx, id, { first: e.date, last: e.date })).find((r) => r.period === e.period) ?? null;
    const after = { status: e.status, lateMinutes: e.lateMinutes ?? null, reason: e.reason ?? null, justified: e.justified ?? null };
    await upsertAttendance(trx, [{ trainingId: id, date: e.date, period: e.period, record: after }], actor.accountId, now);
    await insertCorrection(trx, {
      training_id: id,
      date: e.date,
      period: e.period,
      before: before ? JSON.stringify(recordView(before)) : null,
      after: JSON.stringify({ date: e.date, period: e.period, ...after }),
      reason: input.reason,
      corrected_at: now,
      corrected_by: actor.accountId,
      corrected_by_login: actor.login,
    });
    const figures = computeStatement(activeSessions(await sessionsOf(trx, id, range), periodOf(training).closedOn), await attendanceOf(trx, id, range));
    await updateStatementFigures(trx, id, month, JSON.stringify(figures), now);
    await recordAudit(trx, {
      at: now,
      ...byActor(actor, meta),
      organisationId,
      action: 'attendance.corrected',
      target: { type: 'training', id },
      details: { month, date: e.date, period: e.period, from: before?.status ?? null, to: e.status },
    });
    const identifier = await candidateIdentifier(trx, training.candidate_id);
    await checkUnjustifiedAbsences(trx, ctx, { id, title: training.title, identifier }, [month]);
  });
  return getStatement(ctx, actor, id, month, meta);
}

/** The PDF of a submitted month, for whoever may read the training (candidate included). */
export async function statementPdf(ctx: AppContext, actor: Actor, id: string, month: string, meta: RequestMeta): Promise<Buffer> {
  const row = await loadTraining(ctx, actor, id);
  const stored = await statementOf(ctx.db, id, month);
  if (!stored) throw problems.notFound(NOT_SUBMITTED(month));
  await auditCandidateViews(ctx, actor, meta, [row], 'statement-pdf');
  const range = monthBounds(month);
  const [sessions, records, corrections] = await Promise.all([sessionsOf(ctx.db, id, range), attendanceOf(ctx.db, id, range), correctionsOf(ctx.db, id, range)]);
  const byKey = new Map(records.map((r) => [sessionKey(r.date, r.period), r]));
  return renderStatementPdf({
    operatorName: ctx.config.operatorName,
    month,
    organisationName: row.organisation_name,
    candidate: { identifier: row.identifier, firstName: row.first_name, lastName: row.last_name },
    title: row.title,
    session: row.carif_oref_session,
    submittedOn: formatDate(stored.submitted_at),
    figures: stored.figures as unknown as StatementFigures,
    halfDays: activeSessions(sessions, closedOn(row)).map((s) => ({ session: s, record: byKey.get(sessionKey(s.date, s.period)) ?? null })),
    corrections: corrections.map((c) => ({ date: c.date, period: c.period, reason: c.reason, correctedOn: formatDate(c.corrected_at) })),
  });
}
