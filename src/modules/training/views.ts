/** The training as the API shows it (JSON), from its rows. */
import type { Selectable } from 'kysely';
import type { DB } from '../../db/schema.js';
import { minutesToHundredths } from '../quotes/rules/schedule.js';
import type { TrainingRow } from './repository.js';
import { isReportOverdue, reportDueDate, type AttendanceRecord, type StatementFigures, type TrainingPeriod, type TrainingStatus } from './rules.js';

export const closedOn = (t: { withdrawal_date: string | null; exit_date: string | null }) => t.withdrawal_date ?? t.exit_date;

export function periodOf(t: { start_date: string; end_date: string; entry_date: string | null; withdrawal_date: string | null; exit_date: string | null }): TrainingPeriod {
  return { startDate: t.start_date, endDate: t.end_date, entryDate: t.entry_date, closedOn: closedOn(t) };
}

export function trainingView(t: NonNullable<TrainingRow>, today: string) {
  const closed = closedOn(t);
  return {
    id: t.id,
    status: t.status,
    title: t.title,
    carifOrefSession: t.carif_oref_session,
    startDate: t.start_date,
    endDate: t.end_date,
    entryDate: t.entry_date,
    withdrawal: t.withdrawal_date ? { date: t.withdrawal_date, reason: t.withdrawal_reason, comment: t.withdrawal_comment } : null,
    exitDate: t.exit_date,
    reportDueDate: closed ? reportDueDate(closed) : null,
    reportOverdue: isReportOverdue(t.status as TrainingStatus, closed, today),
    candidate: { identifier: t.identifier, lastName: t.last_name, firstName: t.first_name },
    organisation: { id: t.organisation_id, name: t.organisation_name },
    quote: { id: t.quote_id, type: t.quote_type, agreementReference: t.agreement_reference, approvedAt: t.decided_at?.toISOString() ?? null },
    updatedAt: t.updated_at.toISOString(),
  };
}

const hours = (minutes: number) => minutesToHundredths(minutes) / 100;

export function figuresView(f: StatementFigures) {
  return {
    plannedHalfDays: f.plannedHalfDays,
    plannedHours: hours(f.plannedMinutes),
    attendedHours: hours(f.attendedMinutes),
    attendanceRate: f.attendanceRate,
    presentHalfDays: f.presentHalfDays,
    late: { count: f.lateCount, minutes: f.lateMinutes },
    absentHalfDays: f.absentHalfDays,
    unjustifiedHalfDays: f.unjustifiedHalfDays,
    absencesByReason: f.absencesByReason,
    undeclared: f.undeclared,
  };
}

export function recordView(r: AttendanceRecord) {
  return { date: r.date, period: r.period, status: r.status, lateMinutes: r.lateMinutes, reason: r.reason, justified: r.justified };
}

export function reportView(r: Selectable<DB['training_report']>) {
  return {
    outcome: r.outcome,
    certification: r.certification,
    skills: r.skills,
    difficulties: r.difficulties,
    nextSteps: r.next_steps,
    employmentOutcome: r.employment_outcome,
    submittedAt: r.submitted_at.toISOString(),
  };
}

export function correctionView(c: Selectable<DB['attendance_correction']>) {
  return {
    id: c.id,
    date: c.date,
    period: c.period,
    // Written by the correction as recordView shapes them.
    before: c.before as ReturnType<typeof recordView> | null,
    after: c.after as ReturnType<typeof recordView>,
    reason: c.reason,
    correctedAt: c.corrected_at.toISOString(),
    correctedBy: c.corrected_by_login,
  };
}
