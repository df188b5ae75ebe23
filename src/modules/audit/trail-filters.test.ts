import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { auditQuerySchema, parseDay } from './schemas.js';
import { parisDayStart, scopedOrganisation } from './trail-service.js';
import type { Actor } from '../habilitations/policy.js';

describe('audit trail filters', () => {
  it('parses French and ISO calendar days, refusing impossible ones', () => {
    const table: Array<[string, [number, number, number] | null]> = [
      ['05/03/2026', [2026, 3, 5]],
      ['5/3/2026', [2026, 3, 5]],
      ['2026-03-05', [2026, 3, 5]],
      ['29/02/2028', [2028, 2, 29]],
      ['29/02/2026', null],
      ['31/04/2026', null],
      ['2026-3-5', null],
      ['05-03-2026', null],
      ['', null],
    ];
    for (const [text, expected] of table) assert.deepEqual(parseDay(text), expected, text);
  });

  it('finds the instant a day starts in Paris, across both daylight-saving changes', () => {
    const table: Array<[[number, number, number], string]> = [
      [[2026, 1, 15], '2026-01-14T23:00:00.000Z'],
      [[2026, 7, 15], '2026-07-14T22:00:00.000Z'],
      [[2026, 3, 29], '2026-03-28T23:00:00.000Z'], // the night clocks go forward: midnight is still winter time
      [[2026, 3, 30], '2026-03-29T22:00:00.000Z'],
      [[2026, 10, 25], '2026-10-24T22:00:00.000Z'], // the night clocks go back: midnight is still summer time
      [[2026, 10, 26], '2026-10-25T23:00:00.000Z'],
      [[2026, 12, 32], '2026-12-31T23:00:00.000Z'], // day overflow: the exclusive end of 31/12
    ];
    for (const [[y, m, d], iso] of table) assert.equal(parisDayStart(y, m, d).toISOString(), iso, `${d}/${m}/${y}`);
  });

  it('treats empty form fields as absent and checks the order of the dates', () => {
    const defined = (v: object) => JSON.parse(JSON.stringify(v)) as unknown;
    assert.deepEqual(defined(auditQuerySchema.parse({ organisation: '', action: '', actor: '', from: '', to: '', page: '' })), { page: 1 });
    const r = auditQuerySchema.safeParse({ from: '02/01/2026', to: '01/01/2026' });
    assert.equal(r.success, false);
    assert.deepEqual(r.error?.issues.map((i) => i.path.join('.')), ['to']);
    assert.deepEqual(defined(auditQuerySchema.parse({ from: '01/01/2026', to: '01/01/2026', actor: ' RGC.Demo ' })), { from: [2026, 1, 1], to: [2026, 1, 1], actor: 'rgc.demo', page: 1 });
  });

  it('forces an account manager to their own organisation and lets the agency choose', () => {
    const actor = (kind: 'agency' | 'training_provider', role: string): Actor => ({
      accountId: 'a',
      sessionId: 's',
      login: 'x',
      displayName: 'X',
      kind: 'staff',
      organisation: { id: kind === 'agency' ? 'agency' : 'of-1', name: 'O', kind },
      habilitations: [{ application: 'gid', role }],
    });
    assert.equal(scopedOrganisation(actor('agency', 'agency_admin'), undefined), undefined);
    assert.equal(scopedOrganisation(actor('agency', 'agency_admin'), 'of-2'), 'of-2');
    assert.equal(scopedOrganisation(actor('training_provider', 'account_manager'), undefined), 'of-1');
    assert.equal(scopedOrganisation(actor('training_provider', 'account_manager'), 'of-1'), 'of-1');
    assert.throws(() => scopedOrganisation(actor('training_provider', 'account_manager'), 'of-2'), (e: { status?: number }) => e.status === 404);
  });
});
