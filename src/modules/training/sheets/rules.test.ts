import assert from 'node:assert/strict';
import { createHmac } from 'node:crypto';
import { describe, it } from 'node:test';
import { checkSheetToken, openingRefusal, parisInstant, proposalsOf, sheetToken, stepAt, TOKEN_STEP_SECONDS } from './rules.js';

const mac = (data: string) => createHmac('sha256', 'k'.repeat(32)).update(data).digest();
const otherMac = (data: string) => createHmac('sha256', 'z'.repeat(32)).update(data).digest();
const SHEET = '0b6f7a4e-1c2d-4e5f-8a9b-0c1d2e3f4a5b';

describe('attendance sheet rules', () => {
  it('reads Paris wall-clock times in winter and in summer', () => {
    assert.equal(parisInstant('2026-12-04', '09:00').toISOString(), '2026-12-04T08:00:00.000Z');
    assert.equal(parisInstant('2026-07-01', '13:30').toISOString(), '2026-07-01T11:30:00.000Z');
  });

  it('opens from 30 minutes before the start until the end, and says why otherwise', () => {
    const halfDay = { date: '2026-12-04', startsAt: '09:00', endsAt: '12:30' };
    assert.equal(openingRefusal(new Date('2026-12-04T07:30:00Z'), halfDay), null);
    assert.equal(openingRefusal(new Date('2026-12-04T11:30:00Z'), halfDay), null);
    assert.match(openingRefusal(new Date('2026-12-04T07:29:00Z'), halfDay)!, /30 minutes avant le début/);
    assert.match(openingRefusal(new Date('2026-12-04T11:31:00Z'), halfDay)!, /terminée/);
  });

  it('accepts a token up to 60 s after its step began, and refuses a forged or older one', () => {
    const now = new Date('2026-12-04T08:10:05Z');
    const step = stepAt(now);
    const token = sheetToken(mac, SHEET, step);
    assert.deepEqual(checkSheetToken(mac, token, now), { ok: true, sheetId: SHEET, step });
    assert.equal(checkSheetToken(mac, token, new Date(step * TOKEN_STEP_SECONDS * 1000 + 60_000)).ok, true);
    assert.deepEqual(checkSheetToken(mac, token, new Date(step * TOKEN_STEP_SECONDS * 1000 + 60_001)), { ok: false, reason: 'expired' });
    assert.deepEqual(checkSheetToken(otherMac, token, now), { ok: false, reason: 'malformed' });
    assert.deepEqual(checkSheetToken(mac, token.replace(`.${step}.`, `.${step + 1}.`), now), { ok: false, reason: 'malformed' });
    assert.deepEqual(checkSheetToken(mac, 'n’importe quoi', now), { ok: false, reason: 'malformed' });
  });

  it('proposes present, late by whole minutes, or absent', () => {
    const start = new Date('2026-12-04T08:00:00Z');
    assert.deepEqual(
      proposalsOf(start, [
        { trainingId: 'a', signedAt: new Date('2026-12-04T07:55:00Z') },
        { trainingId: 'b', signedAt: new Date('2026-12-04T08:12:40Z') },
        { trainingId: 'c', signedAt: null },
      ]),
      [
        { trainingId: 'a', status: 'present', lateMinutes: null },
        { trainingId: 'b', status: 'late', lateMinutes: 12 },
        { trainingId: 'c', status: 'absent', lateMinutes: null },
      ],
    );
  });
});
