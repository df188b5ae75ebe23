/**
 * The monthly attendance grid: the trainees of one Carif-Oref session of the organisation ×
 * the half-days of a month, with totals per trainee; saved all at once (one transaction for the
 * whole grid, one refusal stores nothing), only the cells that changed.
 */
import type { AppContext, RequestMeta } from '../../../context.js';
import type { FieldError } from '../../../http/problem.js';
import { byActor, recordAudit } from '../../audit/service.js';
import type { Actor } from '../../habilitations/policy.js';
import { parisDay } from '../../onboarding/rules.js';
import { formatFrenchDate } from '../../quotes/rules/holidays.js';
import { checkUnjustifiedAbsences } from '../alerts/service.js';
import { encodeCell } from './grid-codes.js';
import { activeSessions, checkContextOf, refusal, toWrite } from './service.js';
import { scopeOf, writerOrganisation } from '../policy.js';
import { attendanceOf, gridTrainings, lockGridTrainings, sessionsWithEntries, upsertAttendance, type AttendanceWrite } from './repository.js';
import { PERIOD_LABELS, computeStatement, entryProblems, monthBounds, monthOf, sessionKey, type AttendanceEntry, type Period } from '../rules.js';
import { auditCandidateViews } from '../service.js';
import { figuresView, periodOf } from '../views.js';

export const GRID_LIMIT = 200;

/** The organisation's sessions with at least one entered trainee, for the grid's selector. */
export async function gridSessions(ctx: AppContext, actor: Actor): Promise<string[]> {
  const scope = scopeOf(actor);
  if (scope.kind !== 'organisation') return [];
  return sessionsWithEntries(ctx.db, scope.organisationId);
}

export async function attendanceGrid(ctx: AppContext, actor: Actor, session: string, month: string, meta: RequestMeta) {
  const scope = scopeOf(actor);
  if (scope.kind !== 'organisation') return { rows: [], dates: [] as string[] };
  const range = monthBounds(month);
  // Every trainee with their month in one statement, whatever their number.
  const trainings = await gridTrainings(ctx.db, scope.organisationId, session, month, range, GRID_LIMIT);
  await auditCandidateViews(ctx, actor, meta, trainings.map(({ training: t }) => ({ candidate_id: t.candidate_id, identifier: t.identifier })), 'attendance-grid');
  const rows = trainings.map(({ training: t, sessions, records, locked, proposals }) => {
    const active = activeSessions(sessions, periodOf(t).closedOn);
    return {
      trainingId: t.id,
      candidate: { identifier: t.identifier, firstName: t.first_name, lastName: t.last_name },
      locked,
      halfDays: new Map(active.map((s) => [sessionKey(s.date, s.period), s])),
      records: new Map(records.map((r) => [sessionKey(r.date, r.period), r])),
      /** What a closed attendance sheet proposes where nothing is declared yet, for the officer to confirm. */
      proposals: new Map(proposals.map((p) => [sessionKey(p.date, p.period as Period), p])),
      figures: figuresView(computeStatement(active, records)),
    };
  });
  const dates = [...new Set(rows.flatMap((r) => [...r.halfDays.values()].map((s) => s.date)))].sort();
  return { rows, dates };
}

export type Grid = Awaited<ReturnType<typeof attendanceGrid>>;

/**
 * The grid of a session and month as spreadsheet rows for the export (which counts and audits
 * it): one row per trainee and planned half-day, declared or not, `maxTrainees` trainees at most.
 * Outside the organisation's scope, or for another organisation's session, nothing.
 */
export async function attendanceForExport(ctx: AppContext, actor: Actor, session: string, month: string, maxTrainees: number) {
  const scope = scopeOf(actor);
  if (scope.kind !== 'organisation') return [];
  const trainings = await gridTrainings(ctx.db, scope.organisationId, session, month, monthBounds(month), maxTrainees);
  return trainings.flatMap(({ training: t, sessions, records, locked }) => {
    const byKey = new Map(records.map((r) => [sessionKey(r.date, r.period), r]));
    return activeSessions(sessions, periodOf(t).closedOn).map((s) => {
      const r = byKey.get(sessionKey(s.date, s.period)) ?? null;
      return {
        candidateId: t.candidate_id,
        trainingId: t.id,
        candidate: { identifier: t.identifier, lastName: t.last_name, firstName: t.first_name },
        title: t.title,
        session: t.carif_oref_session,
        date: s.date,
        period: s.period,
        from: s.from,
        to: s.to,
        status: r?.status ?? null,
        lateMinutes: r?.lateMinutes ?? null,
        reason: r?.reason ?? null,
        justified: r?.justified ?? null,
        locked,
      };
    });
  });
}

export interface GridCell {
  trainingId: string;
  date: string;
  period: Period;
  entry: AttendanceEntry;
  /** The cell's element id, so an error links to it. */
  fieldId: string;
}

/** Saves the changed cells of a grid: every trainee's, or nobody's. */
export async function saveGrid(ctx: AppContext, actor: Actor, session: string, cells: GridCell[], meta: RequestMeta): Promise<number> {
  const organisationId = writerOrganisation(actor);
  const now = ctx.clock.now();
  return ctx.db.transaction().execute(async (trx) => {
    const ids = [...new Set(cells.map((c) => c.trainingId))].sort();
    const trainings = ids.length ? await lockGridTrainings(trx, organisationId, session, ids) : [];
    const byId = new Map(trainings.map((t) => [t.id, t]));
    const errors: FieldError[] = [];
    const codes: string[] = [];
    const writes: AttendanceWrite[] = [];
    for (const id of ids) {
      const t = byId.get(id);
      const mine = cells.filter((c) => c.trainingId === id);
      if (!t) {
        // A cell naming a trainee outside the grid (tampered form): refused like an unknown one.
        for (const c of mine) errors.push({ field: c.fieldId, message: 'Cette case ne correspond à aucun stagiaire de la session : rechargez la page.' });
        codes.push('unknown_training');
        continue;
      }
      const check = await checkContextOf(trx, t, parisDay(now));
      const stored = new Map((await attendanceOf(trx, id)).map((r) => [sessionKey(r.date, r.period), encodeCell(r)]));
      for (const c of mine) {
        // The form sends every cell: those left as they were are not declarations.
        if (stored.get(sessionKey(c.date, c.period)) === encodeCell({ status: c.entry.status, lateMinutes: c.entry.lateMinutes ?? null, reason: c.entry.reason ?? null, justified: c.entry.justified ?? null })) continue;
        const found = entryProblems(c.entry, check);
        for (const p of found) {
          errors.push({ field: c.fieldId, code: p.code, message: `${t.first_name} ${t.last_name}, ${formatFrenchDate(c.date)} ${PERIOD_LABELS[c.period]} : ${p.message.replace(/^[^:]+ : /, '')}` });
          codes.push(p.code);
        }
        if (found.length === 0) writes.push(toWrite(id, c.entry));
      }
    }
    if (errors.length) throw refusal(errors, codes, 'Rien n’a été enregistré : corrigez les cases indiquées puis enregistrez de nouveau la grille.');
    if (writes.length === 0) return 0;
    await upsertAttendance(trx, writes, actor.accountId, now);
    for (const t of trainings) {
      const months = [...new Set(writes.filter((w) => w.trainingId === t.id).map((w) => monthOf(w.date)))];
      if (!months.length) continue;
      await recordAudit(trx, { at: now, ...byActor(actor, meta), organisationId, action: 'attendance.recorded', target: { type: 'training', id: t.id }, details: { halfDays: writes.filter((w) => w.trainingId === t.id).length, months, via: 'grid' } });
      await checkUnjustifiedAbsences(trx, ctx, { id: t.id, title: t.title, identifier: t.identifier }, months);
    }
    return writes.length;
  });
}
