/**
 * What the scale generator writes, decided in TypeScript with the product's own rules: the quote
 * profiles (status, dates, schedule, hours and costs that pass the quote rules), and the half-day
 * sessions of a training computed by the training rules. The writer only copies these into SQL,
 * so the generated rows are what the application itself would have stored.
 */
import { parisDay } from '../../src/modules/onboarding/rules.js';
import { addDays } from '../../src/modules/quotes/rules/holidays.js';
import type { QuoteStatus } from '../../src/modules/quotes/rules/lifecycle.js';
import { pedagogicalCostCents } from '../../src/modules/quotes/rules/money.js';
import type { QuoteInput } from '../../src/modules/quotes/rules/quote-schema.js';
import { minutesToHundredths, plannedMinutes, type Schedule } from '../../src/modules/quotes/rules/schedule.js';
import type { StoredQuoteData } from '../../src/modules/quotes/record/quote-json.js';
import { halfDaySessions, monthBounds, monthOf, type HalfDaySession } from '../../src/modules/training/rules.js';

/** Monday to Friday, 09:00–12:30 and 13:30–17:00: 7 h a day. */
const FULL_TIME: Schedule = [1, 2, 3, 4, 5].flatMap((weekday) => [
  { weekday, from: '09:00', to: '12:30' },
  { weekday, from: '13:30', to: '17:00' },
]);
/** Three mornings and one afternoon a week. */
const PART_TIME: Schedule = [
  { weekday: 1, from: '09:00', to: '12:00' },
  { weekday: 2, from: '09:00', to: '12:00' },
  { weekday: 3, from: '14:00', to: '17:30' },
  { weekday: 4, from: '09:00', to: '12:00' },
];
const HOURLY_RATE_CENTS = 1250;
/** Generated organisations' Qualiopi certificate covers every generated training. */
export const QUALIOPI_EXPIRY = '2030-12-31';

/**
 * One kind of generated quote. Every quote of a profile shares its dates and sections (only the
 * candidate and organisation differ), so the rules run once per profile, not once per row.
 */
export interface QuoteProfile {
  key: string;
  status: QuoteStatus;
  type: 'AIF' | 'POEI';
  data: StoredQuoteData;
  /** When each step happened (null: the step did not happen). */
  createdAt: Date;
  submittedAt: Date | null;
  acceptedAt: Date | null;
  decidedAt: Date | null;
  /** Approved only: the training it creates, and whether it is under way with its half-days. */
  training: null | { status: 'planned' | 'in_progress'; entryDate: string | null; sessions: HalfDaySession[]; attendanceUntil: string | null };
}

export interface ScalePlan {
  today: string;
  /** The K whole months before the current one: the attendance they hold. */
  attendanceMonths: { first: string; last: string };
  /** Profile of generated quote number i (0-based within the run), cycling over 16. */
  profileOf(i: number): QuoteProfile;
  profiles: QuoteProfile[];
}

const monthStart = (today: string, offset: number) => {
  const [y, m] = today.split('-').map(Number) as [number, number];
  const index = y * 12 + (m - 1) + offset;
  return `${Math.floor(index / 12)}-${String((index % 12) + 1).padStart(2, '0')}-01`;
};
const at = (day: string, hour = 10) => new Date(`${day}T${String(hour).padStart(2, '0')}:00:00Z`);

function quoteData(type: 'AIF' | 'POEI', schedule: Schedule, startDate: string, endDate: string, n: number): StoredQuoteData {
  const hundredths = minutesToHundredths(plannedMinutes(schedule, startDate, endDate));
  const training: QuoteInput['training'] = {
    title: ['Titre professionnel Développeur web et web mobile', 'Titre professionnel Comptable assistant', 'CAP Accompagnant éducatif petite enfance', 'Titre professionnel Agent de propreté et d’hygiène'][n % 4]!,
    carifOrefSession: `SE_${String(9_000_000_000 + n)}`,
    formacode: '31054',
    certification: 'RNCP37674',
    startDate,
    endDate,
    schedule,
    centreHours: hundredths / 100,
    companyHours: 0,
    place: '12 rue de la Génération, 75011 Paris',
    distanceLearning: false,
  };
  const poei: QuoteInput['poei'] =
    type === 'POEI'
      ? { employerSiret: '73282932000074', jobOfferReference: '123ABCD', contractType: 'cdd', contractMonths: 6, tutor: { lastName: 'Durand', firstName: 'Zoé', jobTitle: 'Cheffe de projet' } }
      : null;
  return {
    training,
    costs: { hourlyRateCents: HOURLY_RATE_CENTS, pedagogicalCostCents: pedagogicalCostCents(hundredths, HOURLY_RATE_CENTS), otherLines: [{ label: 'Frais d’inscription', amountCents: 5000 }] },
    poei,
  };
}

/**
 * Over 16 consecutive quotes: 7 approved trainings under way (full-time and part-time), 1
 * approved training not started, and one quote in each other status. Under-way trainings started
 * on the first day of the first of the K months and end after the current month, so their
 * attendance covers K whole months; every other quote is about a training starting in two months.
 */
export function scalePlan(now: Date, months: number): ScalePlan {
  const today = parisDay(now);
  const runningStart = monthStart(today, -months);
  const runningEnd = monthBounds(monthOf(monthStart(today, 1))).last;
  const attendanceUntil = addDays(monthStart(today, 0), -1);
  const futureStart = monthStart(today, 2);
  const futureEnd = addDays(monthStart(today, 3), -1);
  const recent = (daysAgo: number) => at(addDays(today, -daysAgo));
  const beforeStart = (days: number) => at(addDays(runningStart, -days));

  const running = (key: string, schedule: Schedule, n: number): QuoteProfile => ({
    key,
    status: 'approved',
    type: 'AIF',
    data: quoteData('AIF', schedule, runningStart, runningEnd, n),
    createdAt: beforeStart(40),
    submittedAt: beforeStart(35),
    acceptedAt: beforeStart(33),
    decidedAt: beforeStart(30),
    training: { status: 'in_progress', entryDate: runningStart, sessions: halfDaySessions(schedule, runningStart, runningEnd), attendanceUntil },
  });
  const future = (key: string, status: QuoteStatus, type: 'AIF' | 'POEI', n: number): QuoteProfile => {
    const submitted = status !== 'draft';
    const accepted = ['accepted', 'approved', 'refused', 'changes_requested'].includes(status);
    const decided = ['approved', 'refused', 'changes_requested'].includes(status);
    return {
      key,
      status,
      type,
      data: quoteData(type, FULL_TIME, futureStart, futureEnd, n),
      createdAt: recent(status === 'expired' ? 40 : 6),
      // Expired: nobody answered within the answer period.
      submittedAt: submitted ? recent(status === 'expired' ? 35 : 5) : null,
      acceptedAt: accepted ? recent(3) : null,
      decidedAt: decided ? recent(1) : null,
      training: status === 'approved' ? { status: 'planned', entryDate: null, sessions: [], attendanceUntil: null } : null,
    };
  };
  const cycle: QuoteProfile[] = [
    running('running-full-0', FULL_TIME, 0),
    future('draft', 'draft', 'AIF', 1),
    running('running-part-2', PART_TIME, 2),
    future('submitted', 'submitted', 'POEI', 3),
    running('running-full-4', FULL_TIME, 4),
    future('accepted', 'accepted', 'AIF', 5),
    running('running-part-6', PART_TIME, 6),
    future('declined', 'declined', 'POEI', 7),
    running('running-full-8', FULL_TIME, 8),
    future('refused', 'refused', 'AIF', 9),
    running('running-part-10', PART_TIME, 10),
    future('changes-requested', 'changes_requested', 'AIF', 11),
    running('running-full-12', FULL_TIME, 12),
    future('cancelled', 'cancelled', 'POEI', 13),
    future('approved-planned', 'approved', 'POEI', 14),
    future('expired', 'expired', 'AIF', 15),
  ];
  return {
    today,
    attendanceMonths: { first: runningStart, last: attendanceUntil },
    profileOf: (i) => cycle[i % cycle.length]!,
    profiles: cycle,
  };
}
