/**
 * Attendance (docs/product/training-follow-up.md#attendance): reading a month, declaring half-days
 * through the API or the grid (the organisation-wide CSV import is import-service.ts). Every write is all-or-nothing:
 * each entry is checked against its training (entry date, closing, locked months, planned
 * half-days, today) and one refusal stores nothing, with the index or line of every refused entry.
 */
import type { Transaction } from 'kysely';
import type { AppContext, RequestMeta } from '../../../context.js';
import type { DB, Training } from '../../../db/schema.js';
import { HttpProblem, TITLES, problems, type FieldError } from '../../../http/problem.js';
import { byActor, recordAudit } from '../../audit/service.js';
import type { Actor } from '../../habilitations/policy.js';
import { parisDay } from '../../onboarding/rules.js';
import { checkUnjustifiedAbsences } from '../alerts/service.js';
import { scopeOf, writerOrganisation } from '../policy.js';
import { candidateIdentifier, lockOwnTraining, lockedMonthsOf, sessionsOf } from '../repository.js';
import { findTrainingMonth, upsertAttendance, type AttendanceWrite } from './repository.js';
import { computeStatement, entryProblems, monthBounds, monthOf, sessionKey, type AttendanceCheckContext, type AttendanceEntry, type EntryProblem, type HalfDaySession } from '../rules.js';
import { auditCandidateViews } from '../service.js';
import { TRAINING_NOT_FOUND } from '../schemas.js';
import { correctionView, figuresView, periodOf, recordView } from '../views.js';

export const CSV_REFUSED = 'Le fichier n’a pas été importé : corrigez les lignes indiquées puis importez-le de nouveau. Rien n’a été enregistré.';

/** The half-days of a month that count for the training: up to its closing day, if closed. */
export const activeSessions = (sessions: HalfDaySession[], closedOn: string | null) => (closedOn ? sessions.filter((s) => s.date <= closedOn) : sessions);

export async function getAttendance(ctx: AppContext, actor: Actor, id: string, month: string, meta: RequestMeta) {
  // The training and its month in one statement; nothing is answered before the view is counted and audited.
  const found = await findTrainingMonth(ctx.db, scopeOf(actor), id, month, monthBounds(month));
  if (!found) throw problems.notFound(TRAINING_NOT_FOUND);
  const { training: row, sessions, records, locked, corrections } = found;
  await auditCandidateViews(ctx, actor, meta, [row], 'attendance');
  const active = activeSessions(sessions, periodOf(row).closedOn);
  const byKey = new Map(records.map((r) => [sessionKey(r.date, r.period), r]));
  return {
    trainingId: id,
    month,
    locked,
    halfDays: active.map((s) => {
      const r = byKey.get(sessionKey(s.date, s.period));
      return { date: s.date, period: s.period, from: s.from, to: s.to, minutes: s.minutes, attendance: r ? recordView(r) : null };
    }),
    figures: figuresView(computeStatement(active, records)),
    corrections: corrections.map(correctionView),
  };
}

export async function checkContextOf(trx: Transaction<DB>, t: Training, today: string): Promise<AttendanceCheckContext> {
  const [sessions, lockedMonths] = await Promise.all([sessionsOf(trx, t.id), lockedMonthsOf(trx, t.id)]);
  return { training: periodOf(t), sessions: new Map(sessions.map((s) => [sessionKey(s.date, s.period), s.minutes])), today, lockedMonths };
}

export const toWrite = (trainingId: string, e: AttendanceEntry): AttendanceWrite => ({
  trainingId,
  date: e.date,
  period: e.period,
  record: { status: e.status, lateMinutes: e.lateMinutes ?? null, reason: e.reason ?? null, justified: e.justified ?? null },
});

/** 409 when the only obstacle is a locked month (a correction is the way), 422 otherwise. */
export function refusal(errors: Array<FieldError & { line?: number }>, codes: string[], detail: string): HttpProblem {
  const onlyLocked = codes.length > 0 && codes.every((c) => c === 'month_locked');
  return onlyLocked
    ? new HttpProblem(409, TITLES[409], 'Ces demi-journées appartiennent à un mois verrouillé (état de présence transmis) : passez par une correction motivée. Rien n’a été enregistré.', errors)
    : new HttpProblem(422, TITLES[422], detail, errors);
}

export interface SavedAttendance {
  saved: number;
}

/** Records entries for one training (API and grid): each refusal names the entry's index. */
export async function saveAttendance(ctx: AppContext, actor: Actor, id: string, entries: AttendanceEntry[], meta: RequestMeta): Promise<SavedAttendance> {
  const organisationId = writerOrganisation(actor);
  const now = ctx.clock.now();
  return ctx.db.transaction().execute(async (trx) => {
    const training = await lockOwnTraining(trx, organisationId, id);
    if (!training) throw problems.notFound(TRAINING_NOT_FOUND);
    const check = await checkContextOf(trx, training, parisDay(now));
    const errors: FieldError[] = [];
    const codes: string[] = [];
    const seen = new Map<string, number>();
    entries.forEach((e, i) => {
      const found: EntryProblem[] = entryProblems(e, check);
      const first = seen.get(sessionKey(e.date, e.period));
      if (first !== undefined) found.push({ field: 'date', code: 'duplicate', message: `Date : cette demi-journée est déjà déclarée par l’entrée n° ${first} de cet envoi.` });
      else seen.set(sessionKey(e.date, e.period), i);
      for (const p of found) {
        errors.push({ field: `entries.${i}.${p.field}`, code: p.code, message: `Entrée n° ${i} : ${p.message}` });
        codes.push(p.code);
      }
    });
    if (errors.length) throw refusal(errors, codes, 'Aucune demi-journée n’a été enregistrée : corrigez les entrées indiquées (numérotées à partir de 0) puis renvoyez l’ensemble.');
    await upsertAttendance(trx, entries.map((e) => toWrite(id, e)), actor.accountId, now);
    const months = [...new Set(entries.map((e) => monthOf(e.date)))].sort();
    await recordAudit(trx, { at: now, ...byActor(actor, meta), organisationId, action: 'attendance.recorded', target: { type: 'training', id }, details: { halfDays: entries.length, months } });
    const identifier = await candidateIdentifier(trx, training.candidate_id);
    await checkUnjustifiedAbsences(trx, ctx, { id, title: training.title, identifier }, months);
    return { saved: entries.length };
  });
}
