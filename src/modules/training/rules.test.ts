import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Schedule } from '../quotes/rules/schedule.js';
import {
  applyTrainingTransition,
  computeStatement,
  entryDateProblems,
  entryProblems,
  exceedsUnjustifiedThreshold,
  formatMinutes,
  halfDaySessions,
  isReportOverdue,
  monthBounds,
  monthsBetween,
  sessionKey,
  submissionProblems,
  withdrawalDateProblems,
  type AttendanceCheckContext,
  type AttendanceEntry,
  type AttendanceRecord,
  type HalfDaySession,
  type TrainingAction,
  type TrainingStatus,
} from './rules.js';

const weekdays = (ranges: Array<[string, string]>, days = [1, 2, 3, 4, 5]): Schedule =>
  days.flatMap((weekday) => ranges.map(([from, to]) => ({ weekday, from, to })));
const FULL_TIME = weekdays([['09:00', '12:30'], ['13:30', '17:00']]);
const compact = (sessions: HalfDaySession[]) => sessions.map((s) => `${s.date} ${s.period} ${s.from}-${s.to} ${s.minutes}`);

describe('half-day sessions from a schedule', () => {
  const cases: Array<[string, Schedule, string, string, string[]]> = [
    ['a full-time week: two half-days a day', FULL_TIME, '2026-03-02', '2026-03-03', [
      '2026-03-02 am 09:00-12:30 210', '2026-03-02 pm 13:30-17:00 210', '2026-03-03 am 09:00-12:30 210', '2026-03-03 pm 13:30-17:00 210',
    ]],
    ['a public holiday is left out (Friday 1 May 2026)', FULL_TIME, '2026-04-30', '2026-05-04', [
      '2026-04-30 am 09:00-12:30 210', '2026-04-30 pm 13:30-17:00 210', '2026-05-04 am 09:00-12:30 210', '2026-05-04 pm 13:30-17:00 210',
    ]],
    ['Ascension Thursday 14 May 2026 and the week-end skipped', weekdays([['09:00', '12:00']]), '2026-05-13', '2026-05-18', [
      '2026-05-13 am 09:00-12:00 180', '2026-05-15 am 09:00-12:00 180', '2026-05-18 am 09:00-12:00 180',
    ]],
    ['two morning ranges make one half-day (break inside)', weekdays([['09:00', '10:30'], ['10:45', '12:30']], [1]), '2026-03-02', '2026-03-02', [
      '2026-03-02 am 09:00-12:30 195',
    ]],
    ['a range starting before 13:00 belongs to the morning', weekdays([['11:00', '14:00'], ['14:30', '16:00']], [2]), '2026-03-03', '2026-03-03', [
      '2026-03-03 am 11:00-14:00 180', '2026-03-03 pm 14:30-16:00 90',
    ]],
    ['afternoons only', weekdays([['13:00', '17:00']], [3]), '2026-03-02', '2026-03-08', ['2026-03-04 pm 13:00-17:00 240']],
    ['across a month boundary and Easter Monday (6 April 2026)', weekdays([['09:00', '12:00']], [1, 2]), '2026-03-30', '2026-04-14', [
      '2026-03-30 am 09:00-12:00 180', '2026-03-31 am 09:00-12:00 180', '2026-04-07 am 09:00-12:00 180', '2026-04-13 am 09:00-12:00 180', '2026-04-14 am 09:00-12:00 180',
    ]],
    ['end before start: nothing', FULL_TIME, '2026-03-10', '2026-03-09', []],
  ];
  for (const [name, schedule, from, to, expected] of cases) {
    it(name, () => assert.deepEqual(compact(halfDaySessions(schedule, from, to)), expected));
  }

  it('a month is the sum of its weeks: March 2026 full time has 22 days, 44 half-days, 154 h', () => {
    const march = halfDaySessions(FULL_TIME, '2026-03-01', '2026-03-31');
    assert.equal(march.length, 44);
    assert.equal(march.reduce((s, x) => s + x.minutes, 0), 154 * 60);
  });
});

describe('months', () => {
  const cases: Array<[string, string, string]> = [['2026-02', '2026-02-01', '2026-02-28'], ['2028-02', '2028-02-01', '2028-02-29'], ['2026-12', '2026-12-01', '2026-12-31']];
  for (const [m, first, last] of cases) it(`${m} runs ${first} → ${last}`, () => assert.deepEqual(monthBounds(m), { first, last }));
  it('monthsBetween crosses a year', () => assert.deepEqual(monthsBetween('2026-11-15', '2027-02-01'), ['2026-11', '2026-12', '2027-01', '2027-02']));
});

describe('training lifecycle', () => {
  const cases: Array<[TrainingStatus, TrainingAction, TrainingStatus | null]> = [
    ['planned', 'enter', 'in_progress'],
    ['in_progress', 'enter', null],
    ['planned', 'withdraw', null],
    ['in_progress', 'withdraw', 'withdrawn'],
    ['in_progress', 'exit', 'exited'],
    ['withdrawn', 'exit', null],
    ['exited', 'report', 'reported'],
    ['withdrawn', 'report', 'reported'],
    ['in_progress', 'report', null],
    ['reported', 'report', null],
  ];
  for (const [from, action, to] of cases) {
    it(`${from} --${action}--> ${to ?? 'refused'}`, () => {
      const r = applyTrainingTransition(from, action);
      if (to) assert.deepEqual(r, { ok: true, to });
      else assert.ok(!r.ok && /Statut actuel/.test(r.message));
    });
  }
});

describe('attendance entry checks', () => {
  const sessions = halfDaySessions(FULL_TIME, '2026-03-02', '2026-03-31');
  const ctx: AttendanceCheckContext = {
    training: { startDate: '2026-03-02', endDate: '2026-03-31', entryDate: '2026-03-03', closedOn: null },
    sessions: new Map(sessions.map((s) => [sessionKey(s.date, s.period), s.minutes])),
    today: '2026-03-20',
    lockedMonths: new Set(),
  };
  const ok = (e: Partial<AttendanceEntry>): AttendanceEntry => ({ date: '2026-03-10', period: 'am', status: 'present', ...e });
  const cases: Array<[string, AttendanceEntry, Partial<AttendanceCheckContext> | null, string[]]> = [
    ['present on a planned half-day', ok({}), null, []],
    ['late 20 minutes', ok({ status: 'late', lateMinutes: 20 }), null, []],
    ['absent, sickness, justified', ok({ status: 'absent', reason: 'sickness', justified: true }), null, []],
    ['absent unjustified', ok({ status: 'absent', reason: 'unjustified', justified: false }), null, []],
    ['today is allowed', ok({ date: '2026-03-20' }), null, []],
    ['before the training', ok({ date: '2026-02-27' }), null, ['date:outside_training']],
    ['after the training', ok({ date: '2026-04-01' }), null, ['date:outside_training']],
    ['before the entry', ok({ date: '2026-03-02' }), null, ['date:before_entry']],
    ['in the future', ok({ date: '2026-03-23' }), null, ['date:future']],
    ['in a locked month', ok({}), { lockedMonths: new Set(['2026-03']) }, ['date:month_locked']],
    ['after a withdrawal', ok({ date: '2026-03-17' }), { training: { ...ctx.training, closedOn: '2026-03-16' } }, ['date:after_closing']],
    ['entry not declared', ok({}), { training: { ...ctx.training, entryDate: null } }, ['date:not_entered']],
    ['a Saturday has no session', ok({ date: '2026-03-14' }), null, ['period:no_session']],
    ['late without minutes', ok({ status: 'late' }), null, ['lateMinutes:late_minutes_required']],
    ['late as long as the half-day', ok({ status: 'late', lateMinutes: 210 }), null, ['lateMinutes:late_too_long']],
    ['present with minutes', ok({ lateMinutes: 5 }), null, ['lateMinutes:late_minutes_unexpected']],
    ['present with a reason', ok({ reason: 'other', justified: false }), null, ['reason:reason_unexpected', 'justified:justified_unexpected']],
    ['absent without reason nor flag', ok({ status: 'absent' }), null, ['reason:reason_required', 'justified:justified_required']],
    ['"unjustified" marked justified', ok({ status: 'absent', reason: 'unjustified', justified: true }), null, ['justified:justified_contradiction']],
    ['"justified" marked unjustified', ok({ status: 'absent', reason: 'justified', justified: false }), null, ['justified:justified_contradiction']],
    ['outside the training AND incoherent: both reported', ok({ date: '2026-04-02', status: 'late' }), null, ['date:outside_training', 'lateMinutes:late_minutes_required']],
  ];
  for (const [name, entry, over, expected] of cases) {
    it(name, () => {
      const problems = entryProblems(entry, { ...ctx, ...(over ?? {}) });
      assert.deepEqual(problems.map((p) => `${p.field}:${p.code}`), expected);
      for (const p of problems) assert.match(p.message, /^[A-ZÉ][^:]+ : .+/);
    });
  }
});

describe('monthly statement computation', () => {
  const s = (date: string, period: 'am' | 'pm', minutes = 210): HalfDaySession => ({ date, period, from: '09:00', to: '12:30', minutes });
  const r = (date: string, period: 'am' | 'pm', status: AttendanceRecord['status'], extra: Partial<AttendanceRecord> = {}): AttendanceRecord => ({
    date, period, status, lateMinutes: null, reason: null, justified: null, ...extra,
  });
  const four = [s('2026-03-02', 'am'), s('2026-03-02', 'pm'), s('2026-03-03', 'am'), s('2026-03-03', 'pm')];
  const cases: Array<[string, HalfDaySession[], AttendanceRecord[], Record<string, unknown>]> = [
    ['all present: 100 %', four, four.map((x) => r(x.date, x.period, 'present')), { plannedMinutes: 840, attendedMinutes: 840, attendanceRate: 100, presentHalfDays: 4, undeclared: [] }],
    ['lateness is deducted', four, [r('2026-03-02', 'am', 'late', { lateMinutes: 30 }), ...four.slice(1).map((x) => r(x.date, x.period, 'present'))], { attendedMinutes: 810, lateCount: 1, lateMinutes: 30, attendanceRate: 96.4 }],
    ['absences by reason, unjustified = flag off', four, [
      r('2026-03-02', 'am', 'absent', { reason: 'sickness', justified: true }),
      r('2026-03-02', 'pm', 'absent', { reason: 'sickness', justified: false }),
      r('2026-03-03', 'am', 'absent', { reason: 'unjustified', justified: false }),
      r('2026-03-03', 'pm', 'present'),
    ], { absentHalfDays: 3, unjustifiedHalfDays: 2, attendedMinutes: 210, attendanceRate: 25 }],
    ['undeclared half-days are planned, not attended, and listed', four, [r('2026-03-02', 'am', 'present')], {
      attendedMinutes: 210, attendanceRate: 25, undeclared: [{ date: '2026-03-02', period: 'pm' }, { date: '2026-03-03', period: 'am' }, { date: '2026-03-03', period: 'pm' }],
    }],
    ['records outside the sessions are ignored', [s('2026-03-02', 'am')], [r('2026-03-02', 'am', 'present'), r('2026-03-09', 'am', 'absent', { reason: 'other', justified: false })], { attendedMinutes: 210, unjustifiedHalfDays: 0 }],
    ['unequal half-days weigh by their minutes', [s('2026-03-02', 'am', 240), s('2026-03-02', 'pm', 120)], [r('2026-03-02', 'am', 'present'), r('2026-03-02', 'pm', 'absent', { reason: 'family_event', justified: true })], { attendanceRate: 66.7 }],
    ['nothing planned: no rate', [], [], { plannedMinutes: 0, attendanceRate: null }],
  ];
  for (const [name, sessions, records, expected] of cases) {
    it(name, () => {
      const f = computeStatement(sessions, records);
      for (const [k, v] of Object.entries(expected)) assert.deepEqual(f[k as keyof typeof f], v, k);
    });
  }
  it('counts absences per reason', () => {
    const f = computeStatement(four, [r('2026-03-02', 'am', 'absent', { reason: 'agency_appointment', justified: true }), r('2026-03-02', 'pm', 'absent', { reason: 'agency_appointment', justified: true })]);
    assert.deepEqual(f.absencesByReason, { sickness: 0, justified: 0, unjustified: 0, family_event: 0, agency_appointment: 2, other: 0 });
  });
  const thresholds: Array<[number, number, boolean]> = [[2, 2, false], [3, 2, true], [0, 0, false], [1, 0, true]];
  for (const [n, t, alert] of thresholds) it(`${n} unjustified half-days with threshold ${t}: alert ${alert}`, () => assert.equal(exceedsUnjustifiedThreshold(n, t), alert));
});

describe('month submission, entry, withdrawal and report dates', () => {
  const training = { startDate: '2026-03-02', endDate: '2026-04-30', entryDate: '2026-03-02', closedOn: null };
  const sessions = halfDaySessions(FULL_TIME, '2026-03-02', '2026-03-31');
  const allPresent = computeStatement(sessions, sessions.map((x) => ({ date: x.date, period: x.period, status: 'present' as const, lateMinutes: null, reason: null, justified: null })));
  const codes = (c: Partial<Parameters<typeof submissionProblems>[0]>) =>
    submissionProblems({ month: '2026-03', training, today: '2026-04-02', sessions, figures: allPresent, ...c }).map((p) => p.code);
  it('a complete past month can be submitted', () => assert.deepEqual(codes({}), []));
  it('not while the month runs', () => assert.deepEqual(codes({ today: '2026-03-30' }), ['month_not_over']));
  it('not with undeclared half-days', () => assert.deepEqual(codes({ figures: computeStatement(sessions, []) }), ['undeclared_half_days']));
  it('not outside the training', () => assert.deepEqual(codes({ month: '2026-05' }), ['month_outside_training']));
  it('after a withdrawal, the last month ends on the withdrawal day', () => {
    const until = halfDaySessions(FULL_TIME, '2026-03-02', '2026-03-10');
    const f = computeStatement(until, until.map((x) => ({ date: x.date, period: x.period, status: 'present' as const, lateMinutes: null, reason: null, justified: null })));
    assert.deepEqual(codes({ training: { ...training, closedOn: '2026-03-10' }, sessions: until, figures: f, today: '2026-03-11' }), []);
    assert.deepEqual(codes({ month: '2026-04', training: { ...training, closedOn: '2026-03-10' } }), ['month_outside_training']);
  });

  const entryCases: Array<[string, string[]]> = [['2026-03-02', []], ['2026-03-01', ['before_agreed_start']], ['2026-05-01', ['after_agreed_end']], ['2026-03-05', ['future']]];
  for (const [date, expected] of entryCases) {
    it(`entry on ${date}: ${expected.join(', ') || 'accepted'}`, () => assert.deepEqual(entryDateProblems(date, training, '2026-03-04').map((p) => p.code), expected));
  }
  const withdrawalCases: Array<[string, string | null, string[]]> = [
    ['2026-03-10', null, []],
    ['2026-03-01', null, ['before_entry']],
    ['2026-05-02', null, ['after_end']],
    ['2026-03-21', null, ['future']],
    ['2026-03-10', '2026-03-12', ['attendance_after']],
    ['2026-03-12', '2026-03-12', []],
  ];
  for (const [date, lastAttended, expected] of withdrawalCases) {
    it(`withdrawal on ${date} (last attended ${lastAttended}): ${expected.join(', ') || 'accepted'}`, () =>
      assert.deepEqual(withdrawalDateProblems(date, training, '2026-03-20', lastAttended).map((p) => p.code), expected));
  }
  const overdue: Array<[TrainingStatus, string | null, string, boolean]> = [
    ['exited', '2026-04-30', '2026-05-30', false],
    ['exited', '2026-04-30', '2026-05-31', true],
    ['withdrawn', '2026-03-10', '2026-04-10', true],
    ['reported', '2026-03-10', '2026-06-10', false],
    ['in_progress', null, '2026-06-10', false],
  ];
  for (const [status, closedOn, today, expected] of overdue) {
    it(`report of a ${status} training closed ${closedOn}, on ${today}: overdue ${expected}`, () => assert.equal(isReportOverdue(status, closedOn, today), expected));
  }
  it('formats durations', () => assert.deepEqual([formatMinutes(195), formatMinutes(180), formatMinutes(0)], ['3\u00a0h\u00a015', '3\u00a0h', '0\u00a0h']));
});
