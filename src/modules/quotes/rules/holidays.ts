/**
 * French public holidays (jours fériés, docs/product/quotes.md#planned-hours) and the calendar-day
 * helpers the quote rules share.
 *
 * Dates are 'yyyy-mm-dd' strings throughout: a training day is a calendar day in France, not an
 * instant, so all arithmetic is done on UTC midnights, where no daylight-saving change can shift
 * a day. Alsace-Moselle's extra days (Good Friday, 26 December) are out of scope.
 */
import { isRealDate } from '../../onboarding/rules.js';

const DAY_MS = 86_400_000;
// The anonymous Gregorian algorithm is only meaningful once the Gregorian calendar exists.
const FIRST_GREGORIAN_YEAR = 1583;

/** UTC midnight of a real 'yyyy-mm-dd' date, in milliseconds; throws on anything else. */
export function dayNumber(isoDate: string): number {
  if (typeof isoDate !== 'string' || !isRealDate(isoDate)) throw new RangeError(`Invalid ISO date: ${String(isoDate)}`);
  return Date.parse(`${isoDate}T00:00:00Z`) / DAY_MS;
}

/** The 'yyyy-mm-dd' date of a day number (days since 1970-01-01). */
export function fromDayNumber(day: number): string {
  return new Date(day * DAY_MS).toISOString().slice(0, 10);
}

export function addDays(isoDate: string, days: number): string {
  return fromDayNumber(dayNumber(isoDate) + days);
}

/** Whole days from `from` to `to` (negative when `to` is earlier). */
export function daysBetween(from: string, to: string): number {
  return dayNumber(to) - dayNumber(from);
}

/** ISO weekday: 1 = Monday … 7 = Sunday (the numbering of the quote schedule). */
export function isoWeekday(isoDate: string): number {
  const jsDay = new Date(dayNumber(isoDate) * DAY_MS).getUTCDay();
  return jsDay === 0 ? 7 : jsDay;
}

/** 'jj/mm/aaaa', the format French users read. */
export function formatFrenchDate(isoDate: string): string {
  const [y, m, d] = isoDate.split('-');
  return `${d}/${m}/${y}`;
}

function checkYear(year: number): void {
  if (!Number.isInteger(year) || year < FIRST_GREGORIAN_YEAR || year > 9999) {
    throw new RangeError(`Year out of range (${FIRST_GREGORIAN_YEAR}–9999): ${year}`);
  }
}

/** Easter Sunday by the anonymous Gregorian (Meeus/Jones/Butcher) algorithm. */
export function easterSunday(year: number): string {
  checkYear(year);
  const a = year % 19;
  const b = Math.floor(year / 100);
  const c = year % 100;
  const d = Math.floor(b / 4);
  const e = b % 4;
  const f = Math.floor((b + 8) / 25);
  const g = Math.floor((b - f + 1) / 3);
  const h = (19 * a + b - d - g + 15) % 30;
  const i = Math.floor(c / 4);
  const k = c % 4;
  const l = (32 + 2 * e + 2 * i - h - k) % 7;
  const m = Math.floor((a + 11 * h + 22 * l) / 451);
  const month = Math.floor((h + l - 7 * m + 114) / 31);
  const day = ((h + l - 7 * m + 114) % 31) + 1;
  return `${String(year).padStart(4, '0')}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
}

export interface PublicHoliday {
  date: string;
  name: string;
}

const FIXED_HOLIDAYS: ReadonlyArray<[monthDay: string, name: string]> = [
  ['01-01', 'Jour de l’an'],
  ['05-01', 'Fête du Travail'],
  ['05-08', 'Victoire 1945'],
  ['07-14', 'Fête nationale'],
  ['08-15', 'Assomption'],
  ['11-01', 'Toussaint'],
  ['11-11', 'Armistice 1918'],
  ['12-25', 'Noël'],
];

const EASTER_OFFSETS: ReadonlyArray<[days: number, name: string]> = [
  [1, 'Lundi de Pâques'],
  [39, 'Ascension'],
  [50, 'Lundi de Pentecôte'],
];

/**
 * The 11 national public holidays of a year, sorted by date. Two can fall on the same day
 * (Ascension on 1 May in 2008 and 2285): both entries are kept, each with its own name.
 */
export function publicHolidays(year: number): PublicHoliday[] {
  const easter = easterSunday(year);
  const yyyy = String(year).padStart(4, '0');
  const list: PublicHoliday[] = [
    ...FIXED_HOLIDAYS.map(([md, name]) => ({ date: `${yyyy}-${md}`, name })),
    ...EASTER_OFFSETS.map(([days, name]) => ({ date: addDays(easter, days), name })),
  ];
  return list.sort((x, y) => (x.date < y.date ? -1 : x.date > y.date ? 1 : 0));
}

// Schedules are expanded day by day: memoising a year's dates keeps that loop cheap.
const holidayDatesByYear = new Map<number, ReadonlySet<string>>();

function holidayDates(year: number): ReadonlySet<string> {
  let dates = holidayDatesByYear.get(year);
  if (!dates) {
    dates = new Set(publicHolidays(year).map((h) => h.date));
    holidayDatesByYear.set(year, dates);
  }
  return dates;
}

/** Whether a 'yyyy-mm-dd' date is a French public holiday; throws RangeError on a malformed date. */
export function isPublicHoliday(isoDate: string): boolean {
  dayNumber(isoDate);
  return holidayDates(Number(isoDate.slice(0, 4))).has(isoDate);
}

/** The holiday's French name(s), or null; used to explain which days a schedule skips. */
export function publicHolidayName(isoDate: string): string | null {
  dayNumber(isoDate);
  const names = publicHolidays(Number(isoDate.slice(0, 4)))
    .filter((h) => h.date === isoDate)
    .map((h) => h.name);
  return names.length ? names.join(' et ') : null;
}
