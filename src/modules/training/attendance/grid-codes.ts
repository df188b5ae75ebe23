/**
 * One select per half-day in the grid and the correction form: its value encodes the whole
 * declaration ('present', 'late:15', 'absent:sickness:1'), so a keyboard user fills a cell with
 * a single control (type "p" for présent, "r" for the lateness choices, "a" for the absences).
 */
import { isoWeekday } from '../../quotes/rules/holidays.js';
import { ABSENCE_LABELS, ABSENCE_REASONS, monthLabel, type AbsenceReason, type AttendanceEntry, type AttendanceRecord, type Period } from '../rules.js';

export const LATE_CHOICES = [5, 10, 15, 20, 30, 45, 60, 90, 120];

/** Absence reasons whose justified flag is implied by the reason itself. */
const FIXED_FLAG: Partial<Record<AbsenceReason, boolean>> = { justified: true, unjustified: false };

export interface CellOption {
  value: string;
  label: string;
}

export function cellOptions(extraLate?: number | null): CellOption[] {
  const late = [...new Set([...LATE_CHOICES, ...(extraLate ? [extraLate] : [])])].sort((a, b) => a - b);
  const absences = ABSENCE_REASONS.flatMap((r) => {
    const flags = FIXED_FLAG[r] === undefined ? [true, false] : [FIXED_FLAG[r]!];
    return flags.map((j) => ({
      value: `absent:${r}:${j ? 1 : 0}`,
      label: FIXED_FLAG[r] === undefined ? `Absent — ${ABSENCE_LABELS[r]} (${j ? 'justifiée' : 'non justifiée'})` : `Absent — ${ABSENCE_LABELS[r]}`,
    }));
  });
  return [
    { value: '', label: '— non déclaré' },
    { value: 'present', label: 'Présent' },
    ...late.map((m) => ({ value: `late:${m}`, label: `Retard ${m} min` })),
    ...absences,
  ];
}

export function encodeCell(r: Pick<AttendanceRecord, 'status' | 'lateMinutes' | 'reason' | 'justified'> | null): string {
  if (!r) return '';
  if (r.status === 'late') return `late:${r.lateMinutes}`;
  if (r.status === 'absent') return `absent:${r.reason}:${r.justified ? 1 : 0}`;
  return 'present';
}

export type CellDeclaration = Omit<AttendanceEntry, 'date' | 'period'>;

/** The declaration a cell's value stands for; null for an empty cell; 'invalid' for anything else. */
export function decodeCell(value: string): CellDeclaration | null | 'invalid' {
  if (value === '') return null;
  if (value === 'present') return { status: 'present' };
  const late = /^late:(\d{1,4})$/.exec(value);
  if (late) return { status: 'late', lateMinutes: Number(late[1]) };
  const absent = /^absent:([a-z_]+):([01])$/.exec(value);
  if (absent && (ABSENCE_REASONS as readonly string[]).includes(absent[1])) return { status: 'absent', reason: absent[1] as AbsenceReason, justified: absent[2] === '1' };
  return 'invalid';
}

// ---------------------------------------------------------------------------------------------
// The grid form: one field per cell, named after its training, day and half-day

const WEEKDAYS = ['lundi', 'mardi', 'mercredi', 'jeudi', 'vendredi', 'samedi', 'dimanche'];

/** The field name of a cell, as the form posts it. */
export const cellName = (trainingId: string, date: string, p: Period) => `c.${trainingId}.${date}.${p}`;
/** The element id of a cell, so that an error links to it. */
export const cellId = (trainingId: string, date: string, p: Period) => `c-${trainingId}-${date}-${p}`;
const CELL = /^c\.([0-9a-f-]{36})\.(\d{4}-\d{2}-\d{2})\.(am|pm)$/;

/** 'lundi 2 mars' */
export function dayLabel(date: string) {
  return `${WEEKDAYS[isoWeekday(date) - 1]} ${Number(date.slice(8))} ${monthLabel(date.slice(0, 7)).split(' ')[0]}`;
}

export interface PostedCell {
  name: string;
  value: string;
  trainingId: string;
  date: string;
  period: Period;
}

/** The cells of a posted grid, in the order posted; other fields, and a cell sent twice (an array), are left out. */
export function postedCells(body: Record<string, unknown>): PostedCell[] {
  const out: PostedCell[] = [];
  for (const [name, value] of Object.entries(body)) {
    const m = CELL.exec(name);
    if (!m || typeof value !== 'string') continue;
    out.push({ name, value, trainingId: m[1], date: m[2], period: m[3] as Period });
  }
  return out;
}

/** What each posted cell held, by field name, to show the grid again as it was sent. */
export const postedValues = (body: Record<string, unknown>): Record<string, string> => Object.fromEntries(postedCells(body).map((c) => [c.name, c.value]));
