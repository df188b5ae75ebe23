/**
 * What the demo trainees did each half-day: mostly present, now and then late, sometimes absent
 * for each of the reasons the product knows. Decided by a hash of the training and the half-day,
 * so a world seeded twice on the same day tells the same story.
 */
import { createHash } from 'node:crypto';
import type { AttendanceEntry, HalfDaySession } from '../../modules/training/rules.js';

type Declaration = Omit<AttendanceEntry, 'date' | 'period'>;

const ABSENCES: Declaration[] = [
  { status: 'absent', reason: 'sickness', justified: true },
  { status: 'absent', reason: 'family_event', justified: true },
  { status: 'absent', reason: 'agency_appointment', justified: true },
  { status: 'absent', reason: 'justified', justified: true },
  { status: 'absent', reason: 'other', justified: true },
  { status: 'absent', reason: 'unjustified', justified: false },
];

export const UNJUSTIFIED: Declaration = { status: 'absent', reason: 'unjustified', justified: false };

export function usualDeclaration(trainingKey: string, s: HalfDaySession): Declaration {
  const h = createHash('sha256').update(`${trainingKey}|${s.date}|${s.period}`).digest().readUInt16BE(0) % 100;
  if (h < 84) return { status: 'present' };
  if (h < 93) return { status: 'late', lateMinutes: 5 + ((h * 7) % 36) };
  return ABSENCES[h - 93] ?? { status: 'present' };
}

/** The entry of a half-day, with any forced declaration (the story's absences) taking precedence. */
export function entryOf(trainingKey: string, s: HalfDaySession, forced: ReadonlyMap<string, Declaration>): AttendanceEntry {
  const d = forced.get(`${s.date}|${s.period}`) ?? usualDeclaration(trainingKey, s);
  return { date: s.date, period: s.period, ...d };
}

const CSV_CODES = { present: 'present', late: 'retard', absent: 'absent' } as const;
const CSV_REASONS = { sickness: 'maladie', justified: 'justifiee', unjustified: 'injustifiee', family_event: 'evenement_familial', agency_appointment: 'rdv_agence', other: 'autre' } as const;

/** One line of the attendance CSV file (csv-rules.ts), as a spreadsheet would export it. */
export function csvLine(identifier: string, session: string, e: AttendanceEntry): string {
  const [y, m, d] = e.date.split('-');
  return [
    identifier,
    session,
    `${d}/${m}/${y}`,
    e.period === 'am' ? 'matin' : 'apres-midi',
    CSV_CODES[e.status],
    e.lateMinutes ?? '',
    e.reason ? CSV_REASONS[e.reason] : '',
    e.justified === undefined || e.justified === null ? '' : e.justified ? 'oui' : 'non',
  ].join(';');
}
