/**
 * Training follow-up (docs/product/training-follow-up.md) as pure rules: the training's lifecycle
 * as data, the half-day sessions generated from the quote's schedule, what makes an attendance
 * entry acceptable, and the monthly statement's figures. No I/O: the services load, lock and store
 * around these.
 *
 * Dates are 'yyyy-mm-dd' strings and months 'yyyy-mm' (calendar days in France, see
 * quotes/holidays.ts); durations are whole minutes, turned into hours only for display.
 */
import { addDays, formatFrenchDate } from '../quotes/rules/holidays.js';
import { plannedSessions, type Schedule } from '../quotes/rules/schedule.js';

export const TRAINING_STATUSES = ['planned', 'in_progress', 'withdrawn', 'exited', 'reported'] as const;
export type TrainingStatus = (typeof TRAINING_STATUSES)[number];

export const PERIODS = ['am', 'pm'] as const;
export type Period = (typeof PERIODS)[number];
export const PERIOD_LABELS: Record<Period, string> = { am: 'matin', pm: 'après-midi' };

export const ATTENDANCE_STATUSES = ['present', 'late', 'absent'] as const;
export type AttendanceStatus = (typeof ATTENDANCE_STATUSES)[number];
export const ATTENDANCE_LABELS: Record<AttendanceStatus, string> = { present: 'présent', late: 'en retard', absent: 'absent' };

export const ABSENCE_REASONS = ['sickness', 'justified', 'unjustified', 'family_event', 'agency_appointment', 'other'] as const;
export type AbsenceReason = (typeof ABSENCE_REASONS)[number];
export const ABSENCE_LABELS: Record<AbsenceReason, string> = {
  sickness: 'maladie',
  justified: 'absence justifiée',
  unjustified: 'absence injustifiée',
  family_event: 'événement familial',
  agency_appointment: 'rendez-vous à l’agence',
  other: 'autre motif',
};

export const WITHDRAWAL_REASONS = ['found_job', 'health', 'personal', 'disengagement', 'other'] as const;
export type WithdrawalReason = (typeof WITHDRAWAL_REASONS)[number];
export const WITHDRAWAL_LABELS: Record<WithdrawalReason, string> = {
  found_job: 'a trouvé un emploi',
  health: 'santé',
  personal: 'raisons personnelles',
  disengagement: 'désengagement',
  other: 'autre motif',
};

export const REPORT_OUTCOMES = ['completed', 'partially_completed'] as const;
export const REPORT_OUTCOME_LABELS: Record<(typeof REPORT_OUTCOMES)[number], string> = {
  completed: 'formation suivie en totalité',
  partially_completed: 'formation suivie partiellement',
};
export const CERTIFICATION_RESULTS = ['full', 'partial', 'none', 'pending'] as const;
export const CERTIFICATION_LABELS: Record<(typeof CERTIFICATION_RESULTS)[number], string> = {
  full: 'obtenue en totalité',
  partial: 'obtenue en partie',
  none: 'non obtenue',
  pending: 'résultat en attente',
};

/** The report is due this many days after the training closed (exit or withdrawal). */
export const REPORT_DUE_DAYS = 30;

// ---------------------------------------------------------------------------------------------
// Lifecycle

export type TrainingAction = 'enter' | 'withdraw' | 'exit' | 'report';

export const TRAINING_TRANSITIONS: ReadonlyArray<{ action: TrainingAction; from: readonly TrainingStatus[]; to: TrainingStatus }> = [
  { action: 'enter', from: ['planned'], to: 'in_progress' },
  { action: 'withdraw', from: ['in_progress'], to: 'withdrawn' },
  { action: 'exit', from: ['in_progress'], to: 'exited' },
  { action: 'report', from: ['withdrawn', 'exited'], to: 'reported' },
];

const REFUSALS: Record<TrainingAction, string> = {
  enter: 'L’entrée en formation est déjà déclarée.',
  withdraw: 'Un abandon ne peut être déclaré que pour une formation en cours (entrée déclarée, ni sortie ni abandon).',
  exit: 'La sortie ne peut être déclarée que pour une formation en cours (entrée déclarée, ni sortie ni abandon).',
  report: 'Le bilan se dépose après la sortie ou l’abandon, une seule fois.',
};

export const STATUS_LABELS: Record<TrainingStatus, string> = {
  planned: 'prévue',
  in_progress: 'en cours',
  withdrawn: 'abandon',
  exited: 'sortie',
  reported: 'bilan déposé',
};

export type TransitionResult = { ok: true; to: TrainingStatus } | { ok: false; message: string };

export function applyTrainingTransition(status: TrainingStatus, action: TrainingAction): TransitionResult {
  const t = TRAINING_TRANSITIONS.find((x) => x.action === action && x.from.includes(status));
  if (t) return { ok: true, to: t.to };
  const hint = status === 'planned' ? ' Déclarez d’abord l’entrée en formation.' : '';
  return { ok: false, message: `${REFUSALS[action]} Statut actuel : ${STATUS_LABELS[status]}.${hint}` };
}

// ---------------------------------------------------------------------------------------------
// Months

const MONTH = /^(\d{4})-(0[1-9]|1[0-2])$/;
const MONTH_NAMES = ['janvier', 'février', 'mars', 'avril', 'mai', 'juin', 'juillet', 'août', 'septembre', 'octobre', 'novembre', 'décembre'];

export const isMonth = (value: unknown): value is string => typeof value === 'string' && MONTH.test(value);
export const monthOf = (date: string) => date.slice(0, 7);

/** First and last day of a 'yyyy-mm' month. */
export function monthBounds(month: string): { first: string; last: string } {
  const [y, m] = month.split('-').map(Number);
  const next = m === 12 ? `${y + 1}-01-01` : `${y}-${String(m + 1).padStart(2, '0')}-01`;
  return { first: `${month}-01`, last: addDays(next, -1) };
}

/** 'mars 2026' */
export function monthLabel(month: string): string {
  return `${MONTH_NAMES[Number(month.slice(5, 7)) - 1]} ${month.slice(0, 4)}`;
}

/** Every month from the one of `from` to the one of `to`, both included. */
export function monthsBetween(from: string, to: string): string[] {
  const out: string[] = [];
  for (let m = monthOf(from); m <= monthOf(to); m = monthOf(addDays(monthBounds(m).last, 1))) out.push(m);
  return out;
}

// ---------------------------------------------------------------------------------------------
// Sessions

export interface HalfDaySession {
  date: string;
  period: Period;
  /** 'HH:MM' of the first range and end of the last range of the half-day. */
  from: string;
  to: string;
  minutes: number;
}

export const sessionKey = (date: string, period: Period) => `${date}|${period}`;

/**
 * The half-days to attend between two dates (both included), public holidays left out.
 * Attendance is declared per half-day, so the schedule's ranges are grouped by the half-day
 * they start in (quotes/schedule.ts): 09:00–10:30 and 10:45–12:30 make one morning of 3 h 15.
 */
export function halfDaySessions(schedule: Schedule, from: string, to: string): HalfDaySession[] {
  const byKey = new Map<string, HalfDaySession>();
  for (const s of plannedSessions(schedule, from, to)) {
    const key = sessionKey(s.date, s.period);
    const seen = byKey.get(key);
    if (!seen) byKey.set(key, { date: s.date, period: s.period, from: s.from, to: s.to, minutes: s.minutes });
    else byKey.set(key, { ...seen, to: s.to, minutes: seen.minutes + s.minutes });
  }
  return [...byKey.values()];
}

// ---------------------------------------------------------------------------------------------
// Attendance entries

export interface AttendanceEntry {
  date: string;
  period: Period;
  status: AttendanceStatus;
  lateMinutes?: number | null;
  reason?: AbsenceReason | null;
  justified?: boolean | null;
}

/** What the entry checks need to know about the training, as of now. */
export interface TrainingPeriod {
  startDate: string;
  endDate: string;
  /** Declared entry date, null before the entry. */
  entryDate: string | null;
  /** The last day that can hold attendance once the training closed (withdrawal or exit date). */
  closedOn: string | null;
}

export interface AttendanceCheckContext {
  training: TrainingPeriod;
  /** Planned minutes per half-day, by sessionKey. */
  sessions: ReadonlyMap<string, number>;
  today: string;
  /** Months whose statement is submitted. */
  lockedMonths: ReadonlySet<string>;
}

export type EntryField = 'date' | 'period' | 'status' | 'lateMinutes' | 'reason' | 'justified';
export interface EntryProblem {
  field: EntryField;
  code: string;
  message: string;
}

const fr = formatFrenchDate;

/** Whether the combination of status, lateness, reason and justified flag makes sense. */
export function entryShapeProblems(e: AttendanceEntry): EntryProblem[] {
  const out: EntryProblem[] = [];
  const has = (v: unknown) => v !== undefined && v !== null;
  if (e.status !== 'late' && has(e.lateMinutes)) out.push({ field: 'lateMinutes', code: 'late_minutes_unexpected', message: 'Minutes de retard : à renseigner seulement pour un retard ; laissez le champ vide.' });
  if (e.status === 'late' && (!has(e.lateMinutes) || !Number.isInteger(e.lateMinutes) || e.lateMinutes! < 1)) {
    out.push({ field: 'lateMinutes', code: 'late_minutes_required', message: 'Minutes de retard : indiquez la durée du retard en minutes (nombre entier, 1 au minimum).' });
  }
  if (e.status !== 'absent') {
    if (has(e.reason)) out.push({ field: 'reason', code: 'reason_unexpected', message: 'Motif : à renseigner seulement pour une absence ; laissez le champ vide.' });
    if (has(e.justified)) out.push({ field: 'justified', code: 'justified_unexpected', message: 'Justifiée : à renseigner seulement pour une absence ; laissez le champ vide.' });
    return out;
  }
  if (!has(e.reason)) out.push({ field: 'reason', code: 'reason_required', message: `Motif : choisissez le motif de l’absence (${ABSENCE_REASONS.map((r) => ABSENCE_LABELS[r]).join(', ')}).` });
  if (!has(e.justified)) out.push({ field: 'justified', code: 'justified_required', message: 'Justifiée : indiquez si l’absence est justifiée (oui ou non).' });
  else if (e.reason === 'unjustified' && e.justified) out.push({ field: 'justified', code: 'justified_contradiction', message: 'Justifiée : une absence au motif « absence injustifiée » ne peut pas être justifiée ; changez le motif ou le choix.' });
  else if (e.reason === 'justified' && !e.justified) out.push({ field: 'justified', code: 'justified_contradiction', message: 'Justifiée : une absence au motif « absence justifiée » doit être indiquée comme justifiée ; changez le motif ou le choix.' });
  return out;
}

/**
 * Why an entry cannot be recorded for this training, each with the field to fix. The date
 * checks stop at the first failure: a day outside the training is not also "in the future".
 */
export function entryProblems(e: AttendanceEntry, c: AttendanceCheckContext): EntryProblem[] {
  const out = entryShapeProblems(e);
  const t = c.training;
  const date = (code: string, message: string) => [{ field: 'date' as const, code, message }, ...out];
  if (!t.entryDate) return date('not_entered', 'Date : l’entrée en formation n’est pas encore déclarée ; déclarez-la avant l’assiduité.');
  if (e.date < t.startDate || e.date > t.endDate) return date('outside_training', `Date : le ${fr(e.date)} est en dehors de la formation (du ${fr(t.startDate)} au ${fr(t.endDate)}).`);
  if (e.date < t.entryDate) return date('before_entry', `Date : le ${fr(e.date)} précède l’entrée en formation du ${fr(t.entryDate)}.`);
  if (t.closedOn && e.date > t.closedOn) return date('after_closing', `Date : la formation a pris fin le ${fr(t.closedOn)} (sortie ou abandon) ; aucune assiduité ne peut être déclarée après.`);
  if (e.date > c.today) return date('future', `Date : le ${fr(e.date)} est dans le futur ; l’assiduité se déclare le jour même ou après.`);
  if (c.lockedMonths.has(monthOf(e.date))) {
    return date('month_locked', `Date : le mois de ${monthLabel(monthOf(e.date))} est verrouillé (état de présence transmis) ; passez par une correction motivée.`);
  }
  const minutes = c.sessions.get(sessionKey(e.date, e.period));
  if (minutes === undefined) {
    return [{ field: 'period', code: 'no_session', message: `Demi-journée : aucune séance n’est prévue le ${fr(e.date)} (${PERIOD_LABELS[e.period]}) ; vérifiez la date et la demi-journée.` }, ...out];
  }
  if (e.status === 'late' && Number.isInteger(e.lateMinutes) && e.lateMinutes! >= minutes) {
    out.push({ field: 'lateMinutes', code: 'late_too_long', message: `Minutes de retard : la séance dure ${minutes} minutes ; un retard de ${e.lateMinutes} minutes est une absence.` });
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// Monthly statement

export interface AttendanceRecord {
  date: string;
  period: Period;
  status: AttendanceStatus;
  lateMinutes: number | null;
  reason: AbsenceReason | null;
  justified: boolean | null;
}

export interface StatementFigures {
  plannedHalfDays: number;
  plannedMinutes: number;
  attendedMinutes: number;
  /** Attended ÷ planned time, in percent with one decimal; null when nothing was planned. */
  attendanceRate: number | null;
  presentHalfDays: number;
  lateCount: number;
  lateMinutes: number;
  absentHalfDays: number;
  unjustifiedHalfDays: number;
  absencesByReason: Record<AbsenceReason, number>;
  /** Planned half-days with no declaration, in date order. */
  undeclared: Array<{ date: string; period: Period }>;
}

/**
 * The figures of a set of half-days (a month, usually). Lateness is deducted from the attended
 * time; an undeclared half-day counts as planned and not attended, so a partial month shows a
 * low rate rather than a flattering one. Unjustified means absent with the justified flag off.
 */
export function computeStatement(sessions: readonly HalfDaySession[], records: readonly AttendanceRecord[]): StatementFigures {
  const byKey = new Map(records.map((r) => [sessionKey(r.date, r.period), r]));
  const f: StatementFigures = {
    plannedHalfDays: sessions.length,
    plannedMinutes: 0,
    attendedMinutes: 0,
    attendanceRate: null,
    presentHalfDays: 0,
    lateCount: 0,
    lateMinutes: 0,
    absentHalfDays: 0,
    unjustifiedHalfDays: 0,
    absencesByReason: Object.fromEntries(ABSENCE_REASONS.map((r) => [r, 0])) as Record<AbsenceReason, number>,
    undeclared: [],
  };
  for (const s of [...sessions].sort((a, b) => sessionKey(a.date, a.period).localeCompare(sessionKey(b.date, b.period)))) {
    f.plannedMinutes += s.minutes;
    const r = byKey.get(sessionKey(s.date, s.period));
    if (!r) {
      f.undeclared.push({ date: s.date, period: s.period });
    } else if (r.status === 'present') {
      f.presentHalfDays++;
      f.attendedMinutes += s.minutes;
    } else if (r.status === 'late') {
      const late = Math.min(r.lateMinutes ?? 0, s.minutes);
      f.lateCount++;
      f.lateMinutes += late;
      f.attendedMinutes += s.minutes - late;
    } else {
      f.absentHalfDays++;
      if (r.reason) f.absencesByReason[r.reason]++;
      if (!r.justified) f.unjustifiedHalfDays++;
    }
  }
  f.attendanceRate = f.plannedMinutes > 0 ? Math.round((f.attendedMinutes * 1000) / f.plannedMinutes) / 10 : null;
  return f;
}

/** The advisor is alerted when a month's unjustified absences pass the threshold (strictly more). */
export const exceedsUnjustifiedThreshold = (unjustifiedHalfDays: number, threshold: number) => unjustifiedHalfDays > threshold;

export interface SubmissionCheck {
  month: string;
  training: TrainingPeriod;
  today: string;
  /** The training's half-days of that month (from its entry, up to its closing day). */
  sessions: readonly HalfDaySession[];
  figures: StatementFigures;
}

/** Why a month cannot be submitted yet (empty when it can). */
export function submissionProblems(c: SubmissionCheck): Array<{ field: string; code: string; message: string }> {
  const t = c.training;
  const label = monthLabel(c.month);
  if (!t.entryDate) return [{ field: 'month', code: 'not_entered', message: 'L’entrée en formation n’est pas encore déclarée : aucun mois ne peut être transmis.' }];
  const lastDay = t.closedOn ?? t.endDate;
  if (c.month < monthOf(t.entryDate) || c.month > monthOf(lastDay)) {
    return [{ field: 'month', code: 'month_outside_training', message: `Mois : ${label} est en dehors de la formation suivie (du ${fr(t.entryDate)} au ${fr(lastDay)}).` }];
  }
  const lastSession = c.sessions.reduce((max, s) => (s.date > max ? s.date : max), '');
  const monthEnd = monthBounds(c.month).last;
  if ((lastSession || monthEnd) > c.today) {
    return [{ field: 'month', code: 'month_not_over', message: `Mois : ${label} n’est pas terminé pour cette formation ; transmettez-le après sa dernière séance (${fr(lastSession || monthEnd)}).` }];
  }
  if (c.figures.undeclared.length > 0) {
    const shown = c.figures.undeclared.slice(0, 5).map((u) => `${fr(u.date)} ${PERIOD_LABELS[u.period]}`);
    const more = c.figures.undeclared.length > 5 ? ` et ${c.figures.undeclared.length - 5} autre(s)` : '';
    return [{ field: 'month', code: 'undeclared_half_days', message: `Mois : ${c.figures.undeclared.length} demi-journée(s) sans assiduité déclarée (${shown.join(', ')}${more}) ; déclarez-les avant de transmettre le mois.` }];
  }
  return [];
}

// ---------------------------------------------------------------------------------------------
// Closing and report

type DateProblem = { field: 'startDate' | 'date'; code: string; message: string };

/** The actual start (attestation d'entrée): within the agreed period, and not a promise about the future. */
export function entryDateProblems(date: string, t: Pick<TrainingPeriod, 'startDate' | 'endDate'>, today: string): DateProblem[] {
  if (date < t.startDate) return [{ field: 'startDate', code: 'before_agreed_start', message: `Date d’entrée : elle ne peut pas précéder le début convenu dans le devis (${fr(t.startDate)}).` }];
  if (date > t.endDate) return [{ field: 'startDate', code: 'after_agreed_end', message: `Date d’entrée : elle ne peut pas dépasser la fin de la formation (${fr(t.endDate)}).` }];
  if (date > today) return [{ field: 'startDate', code: 'future', message: `Date d’entrée : le ${fr(date)} est dans le futur ; déclarez l’entrée le jour où le stagiaire commence.` }];
  return [];
}

/** A withdrawal happens during the followed period, and attendance declared after it would contradict it. */
export function withdrawalDateProblems(date: string, t: TrainingPeriod, today: string, lastAttendedDate: string | null): DateProblem[] {
  if (t.entryDate && date < t.entryDate) return [{ field: 'date', code: 'before_entry', message: `Date : l’abandon ne peut pas précéder l’entrée en formation (${fr(t.entryDate)}).` }];
  if (date > t.endDate) return [{ field: 'date', code: 'after_end', message: `Date : l’abandon ne peut pas dépasser la fin de la formation (${fr(t.endDate)}) ; déclarez plutôt la sortie.` }];
  if (date > today) return [{ field: 'date', code: 'future', message: `Date : le ${fr(date)} est dans le futur ; déclarez l’abandon une fois constaté.` }];
  if (lastAttendedDate && lastAttendedDate > date) {
    return [{ field: 'date', code: 'attendance_after', message: `Date : une présence ou un retard est déclaré le ${fr(lastAttendedDate)}, après cette date ; vérifiez la date de l’abandon.` }];
  }
  return [];
}

/** The day the report is due: 30 days after the exit or withdrawal. */
export const reportDueDate = (closedOn: string) => addDays(closedOn, REPORT_DUE_DAYS);

export const isReportOverdue = (status: TrainingStatus, closedOn: string | null, today: string) =>
  (status === 'exited' || status === 'withdrawn') && !!closedOn && today > reportDueDate(closedOn);

/** Minutes as 'h' text for users: 195 → '3 h 15', 180 → '3 h'. */
export function formatMinutes(minutes: number): string {
  const h = Math.floor(minutes / 60);
  const m = minutes % 60;
  return m === 0 ? `${h}\u00a0h` : `${h}\u00a0h\u00a0${String(m).padStart(2, '0')}`;
}
