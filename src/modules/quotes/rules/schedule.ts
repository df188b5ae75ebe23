/**
 * The weekly schedule of a training (docs/product/quotes.md#planned-hours) and the planned sessions
 * and hours derived from it.
 *
 * Time is counted in whole minutes internally: hours with decimals (35,5 h) only appear at the
 * edges, so sums never accumulate floating-point error.
 */
import { dayNumber, fromDayNumber, isoWeekday, isPublicHoliday } from './holidays.js';
import { formatHundredths } from './money.js';

export interface ScheduleRange {
  /** 1 = Monday … 7 = Sunday (ISO 8601). */
  weekday: number;
  /** 'HH:MM', 24-hour clock, 00:00–23:59. */
  from: string;
  to: string;
}
export type Schedule = ScheduleRange[];

export interface PlannedSession {
  date: string;
  weekday: number;
  from: string;
  to: string;
  minutes: number;
  period: 'am' | 'pm';
}

/** Two half-days on each of the 7 days: more means a data-entry mistake, not a real timetable. */
export const MAX_SCHEDULE_RANGES = 14;

/**
 * Safety bound on the period a schedule is expanded over (10 years). No funded training comes
 * near it; it keeps a mistyped end year (2206 for 2026) from making us build millions of sessions.
 */
export const MAX_SCHEDULE_SPAN_DAYS = 3653;

/**
 * Half-day boundary. A range is attributed to the half-day in which it STARTS, so 11:00–14:00 is
 * 'am': attendance (docs/product/training-follow-up.md#half-days) is recorded per half-day, and
 * splitting one continuous sitting into two half-days would ask the organisation to declare two
 * presences for one.
 */
export const AFTERNOON_STARTS_AT = 13 * 60;

const WEEKDAY_NAMES = ['lundi', 'mardi', 'mercredi', 'jeudi', 'vendredi', 'samedi', 'dimanche'];
const TIME = /^([01]\d|2[0-3]):([0-5]\d)$/;

/** Minutes since midnight of a strict 'HH:MM' time, or null. */
export function parseTime(value: string): number | null {
  const m = typeof value === 'string' ? TIME.exec(value) : null;
  return m ? Number(m[1]) * 60 + Number(m[2]) : null;
}

export function weekdayName(weekday: number): string {
  return WEEKDAY_NAMES[weekday - 1] ?? String(weekday);
}

export interface ScheduleIssue {
  /** Path relative to the schedule array, e.g. [2, 'to']. */
  path: Array<string | number>;
  code: string;
  message: string;
}

const LABEL = 'Emploi du temps';
const line = (i: number) => `${LABEL}, ligne ${i + 1}`;

function rangeIssues(range: ScheduleRange, i: number): ScheduleIssue[] {
  const issues: ScheduleIssue[] = [];
  if (!Number.isInteger(range.weekday) || range.weekday < 1 || range.weekday > 7) {
    issues.push({ path: [i, 'weekday'], code: 'weekday_invalid', message: `${line(i)} : jour invalide, choisissez un jour de lundi (1) à dimanche (7).` });
  }
  const from = parseTime(range.from);
  const to = parseTime(range.to);
  if (from === null) issues.push({ path: [i, 'from'], code: 'time_invalid', message: `${line(i)} : heure de début invalide, saisissez-la au format HH:MM entre 00:00 et 23:59 (exemple : 09:00).` });
  if (to === null) issues.push({ path: [i, 'to'], code: 'time_invalid', message: `${line(i)} : heure de fin invalide, saisissez-la au format HH:MM entre 00:00 et 23:59 (exemple : 12:30).` });
  if (from !== null && to !== null && from >= to) {
    issues.push({ path: [i, 'to'], code: 'range_end_before_start', message: `${line(i)} : l’heure de fin (${range.to}) doit être après l’heure de début (${range.from}). Corrigez l’une des deux.` });
  }
  return issues;
}

/**
 * Everything wrong with a schedule, each on the line a user can fix. Overlaps are reported on the
 * later line only, so a single mistake yields a single message.
 */
export function scheduleIssues(schedule: Schedule): ScheduleIssue[] {
  if (schedule.length > MAX_SCHEDULE_RANGES) {
    return [{ path: [], code: 'too_many_ranges', message: `${LABEL} : ${MAX_SCHEDULE_RANGES} plages horaires au maximum (deux par jour) ; regroupez ou supprimez des plages.` }];
  }
  const issues = schedule.flatMap(rangeIssues);
  const valid = new Set(schedule.map((_, i) => i).filter((i) => !issues.some((x) => x.path[0] === i)));
  schedule.forEach((r, i) => {
    if (!valid.has(i)) return;
    const clash = schedule.findIndex((o, j) => j < i && valid.has(j) && o.weekday === r.weekday && overlaps(o, r));
    if (clash >= 0) {
      const o = schedule[clash];
      issues.push({
        path: [i, 'from'],
        code: 'range_overlap',
        message: `${line(i)} : la plage du ${weekdayName(r.weekday)} ${r.from}–${r.to} chevauche celle de la ligne ${clash + 1} (${o.from}–${o.to}). Modifiez les horaires ou supprimez l’une des deux.`,
      });
    }
  });
  return issues;
}

/** Touching ranges (09:00–12:00 then 12:00–13:00) do not overlap. */
function overlaps(a: ScheduleRange, b: ScheduleRange): boolean {
  return parseTime(a.from)! < parseTime(b.to)! && parseTime(b.from)! < parseTime(a.to)!;
}

function toSession(date: string, range: ScheduleRange): PlannedSession {
  const from = parseTime(range.from)!;
  return {
    date,
    weekday: range.weekday,
    from: range.from,
    to: range.to,
    minutes: parseTime(range.to)! - from,
    period: from < AFTERNOON_STARTS_AT ? 'am' : 'pm',
  };
}

/**
 * The dated sessions between two dates (both included), public holidays left out, in date then
 * time order. An end before the start gives no session (the end-date rule reports it).
 * Throws RangeError on an invalid schedule, a malformed date or a span over MAX_SCHEDULE_SPAN_DAYS:
 * callers validate first, so reaching these is a programming error.
 */
export function plannedSessions(schedule: Schedule, startDate: string, endDate: string): PlannedSession[] {
  const problems = scheduleIssues(schedule);
  if (problems.length) throw new RangeError(`Invalid schedule: ${problems[0].code}`);
  const first = dayNumber(startDate);
  const last = dayNumber(endDate);
  if (last - first > MAX_SCHEDULE_SPAN_DAYS) throw new RangeError(`Schedule span over ${MAX_SCHEDULE_SPAN_DAYS} days`);
  const byWeekday = new Map<number, ScheduleRange[]>();
  for (const r of [...schedule].sort((a, b) => parseTime(a.from)! - parseTime(b.from)!)) {
    byWeekday.set(r.weekday, [...(byWeekday.get(r.weekday) ?? []), r]);
  }
  const sessions: PlannedSession[] = [];
  for (let day = first; day <= last; day++) {
    const date = fromDayNumber(day);
    const ranges = byWeekday.get(isoWeekday(date));
    if (!ranges || isPublicHoliday(date)) continue;
    for (const r of ranges) sessions.push(toSession(date, r));
  }
  return sessions;
}

export function plannedMinutes(schedule: Schedule, startDate: string, endDate: string): number {
  return plannedSessions(schedule, startDate, endDate).reduce((sum, s) => sum + s.minutes, 0);
}

/**
 * Minutes as hundredths of an hour, rounded half up: 20 min → 33 (0,33 h). The rounding is done
 * once on the total, never per session, so 3 × 20 min is exactly 1 h.
 */
export function minutesToHundredths(minutes: number): number {
  return Math.floor((minutes * 10 + 3) / 6);
}

/** Total planned hours, a number with at most 2 decimals (35.5 for 35 h 30). */
export function plannedHours(schedule: Schedule, startDate: string, endDate: string): number {
  return minutesToHundredths(plannedMinutes(schedule, startDate, endDate)) / 100;
}

/** '35,5 h', '1 200 h': hours as French users read them, no useless zero decimals. */
export function formatHours(hundredths: number): string {
  const text = formatHundredths(hundredths);
  const trimmed = text.endsWith(',00') ? text.slice(0, -3) : text.endsWith('0') ? text.slice(0, -1) : text;
  return `${trimmed}\u00a0h`;
}
