import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { cellOptions, decodeCell, encodeCell } from './grid-codes.js';

describe('grid cell codes', () => {
  const cases: Array<[string, ReturnType<typeof decodeCell>]> = [
    ['', null],
    ['present', { status: 'present' }],
    ['late:15', { status: 'late', lateMinutes: 15 }],
    ['absent:sickness:1', { status: 'absent', reason: 'sickness', justified: true }],
    ['absent:unjustified:0', { status: 'absent', reason: 'unjustified', justified: false }],
    ['absent:nope:1', 'invalid'],
    ['late:', 'invalid'],
    ['late:12345', 'invalid'],
    ['PRESENT', 'invalid'],
  ];
  for (const [value, expected] of cases) it(`${JSON.stringify(value)} → ${JSON.stringify(expected)}`, () => assert.deepEqual(decodeCell(value), expected));

  it('encodes what it decodes, for every option of the list', () => {
    for (const o of cellOptions(17)) {
      const d = decodeCell(o.value);
      assert.notEqual(d, 'invalid', o.value);
      const record = d && d !== 'invalid' ? { status: d.status, lateMinutes: d.lateMinutes ?? null, reason: d.reason ?? null, justified: d.justified ?? null } : null;
      assert.equal(encodeCell(record), o.value);
    }
  });

  it('offers one letter per kind: p, r, a, and an unusual lateness already recorded', () => {
    const labels = cellOptions(17).map((o) => o.label);
    assert.equal(labels.find((l) => l.startsWith('P')), 'Présent');
    assert.ok(labels.includes('Retard 17 min'));
    assert.equal(labels.filter((l) => l.startsWith('Absent')).length, 10);
    assert.equal(new Set(cellOptions().map((o) => o.value)).size, cellOptions().length);
  });
});
