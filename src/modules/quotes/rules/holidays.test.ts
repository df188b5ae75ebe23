import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { addDays, daysBetween, easterSunday, formatFrenchDate, isPublicHoliday, isoWeekday, publicHolidayName, publicHolidays } from './holidays.js';

describe('Easter Sunday (anonymous Gregorian algorithm)', () => {
  const cases: Array<[number, string]> = [
    [1818, '1818-03-22'], // earliest possible date
    [1943, '1943-04-25'], // latest possible date
    [2000, '2000-04-23'], // leap year, century divisible by 400
    [2008, '2008-03-23'],
    [2011, '2011-04-24'],
    [2019, '2019-04-21'],
    [2024, '2024-03-31'],
    [2025, '2025-04-20'],
    [2026, '2026-04-05'],
    [2027, '2027-03-28'],
    [2028, '2028-04-16'],
    [2038, '2038-04-25'],
    [2100, '2100-03-28'], // not a leap year although divisible by 4
    [2285, '2285-03-22'],
  ];
  for (const [year, easter] of cases) it(`${year} → ${easter}`, () => assert.equal(easterSunday(year), easter));

  it('is always a Sunday between 22 March and 25 April (1583–4099)', () => {
    for (let year = 1583; year <= 4099; year++) {
      const e = easterSunday(year);
      assert.equal(isoWeekday(e), 7, `${year}: ${e}`);
      assert.ok(e.slice(5) >= '03-22' && e.slice(5) <= '04-25', `${year}: ${e}`);
    }
  });

  for (const year of [1582, 10000, 2026.5, Number.NaN]) {
    it(`refuses year ${year}`, () => assert.throws(() => easterSunday(year), RangeError));
  }
});

describe('public holidays of a year', () => {
  const years: Array<[number, string[]]> = [
    [2024, ['2024-01-01', '2024-04-01', '2024-05-01', '2024-05-08', '2024-05-09', '2024-05-20', '2024-07-14', '2024-08-15', '2024-11-01', '2024-11-11', '2024-12-25']],
    [2025, ['2025-01-01', '2025-04-21', '2025-05-01', '2025-05-08', '2025-05-29', '2025-06-09', '2025-07-14', '2025-08-15', '2025-11-01', '2025-11-11', '2025-12-25']],
    [2026, ['2026-01-01', '2026-04-06', '2026-05-01', '2026-05-08', '2026-05-14', '2026-05-25', '2026-07-14', '2026-08-15', '2026-11-01', '2026-11-11', '2026-12-25']],
    [2027, ['2027-01-01', '2027-03-29', '2027-05-01', '2027-05-06', '2027-05-08', '2027-05-17', '2027-07-14', '2027-08-15', '2027-11-01', '2027-11-11', '2027-12-25']],
    [2038, ['2038-01-01', '2038-04-26', '2038-05-01', '2038-05-08', '2038-06-03', '2038-06-14', '2038-07-14', '2038-08-15', '2038-11-01', '2038-11-11', '2038-12-25']],
  ];
  for (const [year, dates] of years) {
    it(`${year}: the 11 dates, sorted`, () => assert.deepEqual(publicHolidays(year).map((h) => h.date), dates));
  }

  it('2008: Ascension falls on 1 May, both holidays are kept with their names', () => {
    const may1 = publicHolidays(2008).filter((h) => h.date === '2008-05-01').map((h) => h.name);
    assert.deepEqual(may1.sort(), ['Ascension', 'Fête du Travail']);
    assert.equal(new Set(publicHolidays(2008).map((h) => h.date)).size, 10);
    assert.equal(publicHolidayName('2008-05-01'), 'Fête du Travail et Ascension');
  });

  it('names the Easter-based days', () => {
    assert.equal(publicHolidayName('2026-04-06'), 'Lundi de Pâques');
    assert.equal(publicHolidayName('2026-05-14'), 'Ascension');
    assert.equal(publicHolidayName('2026-05-25'), 'Lundi de Pentecôte');
    assert.equal(publicHolidayName('2026-05-15'), null);
  });
});

describe('isPublicHoliday', () => {
  const cases: Array<[string, boolean, string]> = [
    ['2026-07-14', true, 'Fête nationale'],
    ['2026-07-13', false, 'day before'],
    ['2024-02-29', false, 'leap day'],
    ['2024-04-01', true, 'Easter Monday 2024, day after a leap-year March'],
    ['2024-03-31', false, 'Easter Sunday itself is not counted (already a Sunday)'],
    ['2024-05-09', true, 'Ascension 2024'],
    ['2024-05-20', true, 'Whit Monday 2024'],
    ['2025-05-29', true, 'Ascension 2025'],
    ['2025-12-26', false, 'Saint-Étienne: Alsace-Moselle only'],
    ['2026-04-03', false, 'Good Friday: Alsace-Moselle only'],
    ['2038-06-14', true, 'Whit Monday 2038'],
    ['2000-06-12', true, 'Whit Monday 2000 (leap year)'],
  ];
  for (const [date, expected, why] of cases) it(`${date} → ${expected} (${why})`, () => assert.equal(isPublicHoliday(date), expected));

  for (const bad of ['2026-02-30', '14/07/2026', '2026-7-14', '', '1500-01-01']) {
    it(`throws RangeError on ${JSON.stringify(bad)}`, () => assert.throws(() => isPublicHoliday(bad), RangeError));
  }
});

describe('calendar-day helpers (UTC arithmetic)', () => {
  const adds: Array<[string, number, string]> = [
    ['2024-02-28', 1, '2024-02-29'],
    ['2024-02-28', 2, '2024-03-01'],
    ['2025-02-28', 1, '2025-03-01'],
    ['2026-03-28', 2, '2026-03-30'], // across the spring daylight-saving change in Paris
    ['2026-10-24', 2, '2026-10-26'], // across the autumn change
    ['2026-12-31', 1, '2027-01-01'],
    ['2026-05-20', -14, '2026-05-06'],
  ];
  for (const [from, n, to] of adds) it(`${from} + ${n} → ${to}`, () => assert.equal(addDays(from, n), to));

  it('weekdays are ISO (1 = Monday, 7 = Sunday)', () => {
    assert.equal(isoWeekday('2026-06-01'), 1);
    assert.equal(isoWeekday('2026-06-07'), 7);
    assert.equal(isoWeekday('2024-02-29'), 4);
  });

  it('counts days and prints French dates', () => {
    assert.equal(daysBetween('2024-01-01', '2025-01-01'), 366);
    assert.equal(daysBetween('2026-06-10', '2026-06-01'), -9);
    assert.equal(formatFrenchDate('2026-07-14'), '14/07/2026');
  });
});
