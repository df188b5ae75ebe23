import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  MAX_SCHEDULE_SPAN_DAYS,
  formatHours,
  minutesToHundredths,
  parseTime,
  plannedHours,
  plannedMinutes,
  plannedSessions,
  scheduleIssues,
  type Schedule,
} from './schedule.js';

const weekdays = (ranges: Array<[string, string]>, days = [1, 2, 3, 4, 5]): Schedule =>
  days.flatMap((weekday) => ranges.map(([from, to]) => ({ weekday, from, to })));
/** Monday to Friday, 09:00–12:30 and 13:30–17:00: 7 h a day. */
const fullTime = weekdays([['09:00', '12:30'], ['13:30', '17:00']]);

describe('parseTime', () => {
  const cases: Array<[string, number | null]> = [
    ['00:00', 0], ['09:00', 540], ['12:30', 750], ['23:59', 1439],
    ['24:00', null], ['9:00', null], ['12:60', null], ['12h30', null], ['09:00:00', null], ['', null],
  ];
  for (const [v, expected] of cases) it(`${JSON.stringify(v)} → ${expected}`, () => assert.equal(parseTime(v), expected));
});

describe('schedule validation', () => {
  const cases: Array<[string, Schedule, Array<[string, string]>]> = [
    ['a full-time week', fullTime, []],
    ['empty (the rules report it, not the shape)', [], []],
    ['touching ranges', [{ weekday: 1, from: '09:00', to: '12:00' }, { weekday: 1, from: '12:00', to: '13:00' }], []],
    ['same hours on different days', [{ weekday: 1, from: '09:00', to: '12:00' }, { weekday: 2, from: '09:00', to: '12:00' }], []],
    ['end before start', [{ weekday: 1, from: '14:00', to: '09:00' }], [['0.to', 'range_end_before_start']]],
    ['empty range', [{ weekday: 1, from: '09:00', to: '09:00' }], [['0.to', 'range_end_before_start']]],
    ['24:00', [{ weekday: 1, from: '20:00', to: '24:00' }], [['0.to', 'time_invalid']]],
    ['9:00 without the leading zero', [{ weekday: 1, from: '9:00', to: '12:00' }], [['0.from', 'time_invalid']]],
    ['weekday 0', [{ weekday: 0, from: '09:00', to: '12:00' }], [['0.weekday', 'weekday_invalid']]],
    ['weekday 8', [{ weekday: 8, from: '09:00', to: '12:00' }], [['0.weekday', 'weekday_invalid']]],
    ['weekday 1.5', [{ weekday: 1.5, from: '09:00', to: '12:00' }], [['0.weekday', 'weekday_invalid']]],
    ['overlap on the same weekday', [{ weekday: 3, from: '09:00', to: '12:00' }, { weekday: 3, from: '11:00', to: '13:00' }], [['1.from', 'range_overlap']]],
    ['a range inside another', [{ weekday: 3, from: '09:00', to: '17:00' }, { weekday: 2, from: '09:00', to: '10:00' }, { weekday: 3, from: '10:00', to: '11:00' }], [['2.from', 'range_overlap']]],
    ['the same range twice', [{ weekday: 5, from: '09:00', to: '12:00' }, { weekday: 5, from: '09:00', to: '12:00' }], [['1.from', 'range_overlap']]],
    ['15 ranges', Array.from({ length: 15 }, (_, i) => ({ weekday: (i % 7) + 1, from: `${String(i).padStart(2, '0')}:00`, to: `${String(i).padStart(2, '0')}:30` })), [['', 'too_many_ranges']]],
  ];
  for (const [why, schedule, expected] of cases) {
    it(`${why} → ${expected.map((e) => e[1]).join(', ') || 'valid'}`, () => {
      const issues = scheduleIssues(schedule);
      assert.deepEqual(issues.map((i) => [i.path.join('.'), i.code]), expected);
      for (const i of issues) assert.match(i.message, /^Emploi du temps.* : .*[a-zé]/);
    });
  }

  it('an overlap message names both lines and the day', () => {
    const [issue] = scheduleIssues([{ weekday: 3, from: '09:00', to: '12:00' }, { weekday: 3, from: '11:00', to: '13:00' }]);
    assert.equal(issue.message, 'Emploi du temps, ligne 2 : la plage du mercredi 11:00–13:00 chevauche celle de la ligne 1 (09:00–12:00). Modifiez les horaires ou supprimez l’une des deux.');
  });
});

describe('planned hours', () => {
  // 2026: 1 May and 8 May are Fridays, Ascension Thursday 14 May, Whit Monday 25 May, 14 July a Tuesday.
  const cases: Array<[string, Schedule, string, string, number]> = [
    ['June and July 2026: 22 + 23 weekdays, minus 14 July', fullTime, '2026-06-01', '2026-07-31', 44 * 7],
    ['across a year end: 1 January 2027 left out', fullTime, '2026-12-28', '2027-01-08', 9 * 7],
    ['the week of 14 July', fullTime, '2026-07-13', '2026-07-17', 4 * 7],
    ['the week of Ascension', fullTime, '2026-05-11', '2026-05-15', 4 * 7],
    ['two weeks with 1 May and 8 May', fullTime, '2026-04-27', '2026-05-08', 8 * 7],
    ['starting on a holiday (14 July)', fullTime, '2026-07-14', '2026-07-17', 3 * 7],
    ['ending on a holiday (Ascension)', fullTime, '2026-05-11', '2026-05-14', 3 * 7],
    ['one day', weekdays([['09:00', '12:00'], ['14:00', '17:30']], [3]), '2026-06-03', '2026-06-03', 6.5],
    ['one day that is not in the schedule', weekdays([['09:00', '12:00']], [3]), '2026-06-04', '2026-06-04', 0],
    ['one day that is a holiday (Whit Monday)', fullTime, '2026-05-25', '2026-05-25', 0],
    ['Saturdays in August 2026: 15 August left out', weekdays([['09:00', '12:00']], [6]), '2026-08-01', '2026-08-31', 4 * 3],
    ['empty schedule', [], '2026-06-01', '2026-06-30', 0],
    ['end before start', fullTime, '2026-06-10', '2026-06-01', 0],
    ['February of a leap year', weekdays([['09:00', '10:00']], [7]), '2024-02-01', '2024-02-29', 4],
    ['20 minutes once rounds to 0.33 h', weekdays([['09:00', '09:20']], [1]), '2026-06-01', '2026-06-01', 0.33],
    ['20 minutes three times is exactly 1 h', weekdays([['09:00', '09:20']], [1]), '2026-06-01', '2026-06-15', 1],
  ];
  for (const [why, schedule, start, end, hours] of cases) {
    it(`${why}: ${hours} h`, () => assert.equal(plannedHours(schedule, start, end), hours));
  }

  it('minutes are summed exactly before the single rounding', () => {
    assert.equal(plannedMinutes(fullTime, '2026-07-13', '2026-07-17'), 4 * 420);
    assert.deepEqual([0, 1, 10, 20, 30, 40, 45, 50, 59, 60].map(minutesToHundredths), [0, 2, 17, 33, 50, 67, 75, 83, 98, 100]);
  });
});

describe('planned sessions', () => {
  it('lists dated sessions in date then time order, holidays left out', () => {
    const schedule: Schedule = [{ weekday: 2, from: '14:00', to: '17:00' }, { weekday: 2, from: '09:00', to: '12:00' }, { weekday: 3, from: '09:00', to: '12:30' }];
    assert.deepEqual(plannedSessions(schedule, '2026-07-13', '2026-07-22'), [
      { date: '2026-07-15', weekday: 3, from: '09:00', to: '12:30', minutes: 210, period: 'am' },
      { date: '2026-07-21', weekday: 2, from: '09:00', to: '12:00', minutes: 180, period: 'am' },
      { date: '2026-07-21', weekday: 2, from: '14:00', to: '17:00', minutes: 180, period: 'pm' },
      { date: '2026-07-22', weekday: 3, from: '09:00', to: '12:30', minutes: 210, period: 'am' },
    ]);
  });

  const periods: Array<[string, string, 'am' | 'pm']> = [
    ['08:00', '12:00', 'am'],
    ['12:59', '13:30', 'am'],
    ['11:00', '14:00', 'am'], // spans 13:00: attributed to the half-day it starts in
    ['13:00', '17:00', 'pm'],
    ['18:00', '21:00', 'pm'],
  ];
  for (const [from, to, period] of periods) {
    it(`${from}–${to} is ${period}`, () => assert.equal(plannedSessions([{ weekday: 1, from, to }], '2026-06-01', '2026-06-01')[0].period, period));
  }

  it('an empty schedule gives no session', () => assert.deepEqual(plannedSessions([], '2026-06-01', '2026-12-31'), []));

  it('refuses an invalid schedule, a malformed date or an absurd span', () => {
    assert.throws(() => plannedSessions([{ weekday: 1, from: '12:00', to: '09:00' }], '2026-06-01', '2026-06-30'), RangeError);
    assert.throws(() => plannedSessions(fullTime, '2026-06-31', '2026-07-30'), RangeError);
    assert.throws(() => plannedSessions(fullTime, '2026-06-01', '2206-06-01'), RangeError);
    assert.doesNotThrow(() => plannedSessions(fullTime, '2026-01-01', '2035-12-31'));
    assert.equal(MAX_SCHEDULE_SPAN_DAYS, 3653);
  });
});

describe('formatHours', () => {
  const cases: Array<[number, string]> = [[3550, '35,5\u00a0h'], [3500, '35\u00a0h'], [3505, '35,05\u00a0h'], [33, '0,33\u00a0h'], [120000, '1\u202f200\u00a0h'], [0, '0\u00a0h']];
  for (const [h, text] of cases) it(`${h} → ${JSON.stringify(text)}`, () => assert.equal(formatHours(h), text));
});
