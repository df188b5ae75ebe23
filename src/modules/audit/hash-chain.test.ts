import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { GENESIS_HASH, canonicalJson, computeAuditHash, verifyChainSegment, type StoredAuditRow } from './hash-chain.js';

function chain(n: number): StoredAuditRow[] {
  const rows: StoredAuditRow[] = [];
  let prev = GENESIS_HASH;
  for (let i = 1; i <= n; i++) {
    const content = {
      at: new Date(Date.UTC(2026, 0, 1, 10, i)),
      actorId: null,
      actorLogin: 'rgc.demo',
      organisationId: null,
      action: `action.${i}`,
      targetType: 'account',
      targetId: String(i),
      ip: '10.0.0.1',
      requestId: `req-${i}`,
      details: { b: i, a: { y: 1, x: [1, 2] } },
    };
    const hash = computeAuditHash(prev, content);
    rows.push({ ...content, id: i, prevHash: prev, hash });
    prev = hash;
  }
  return rows;
}

describe('audit hash chain', () => {
  it('canonical JSON ignores key order at every level', () => {
    assert.equal(canonicalJson({ b: 1, a: { d: 2, c: [3, { f: 1, e: 2 }] } }), canonicalJson({ a: { c: [3, { e: 2, f: 1 }], d: 2 }, b: 1 }));
    assert.equal(canonicalJson({ a: undefined, b: null }), '{"b":null}');
  });

  it('a hash depends on the previous hash and on every field', () => {
    const [row] = chain(1);
    assert.notEqual(computeAuditHash('f'.repeat(64), row), row.hash);
    for (const change of [{ action: 'other' }, { actorLogin: 'x' }, { details: { b: 2 } }, { at: new Date(0) }, { ip: null }]) {
      assert.notEqual(computeAuditHash(row.prevHash, { ...row, ...change }), row.hash, JSON.stringify(change));
    }
  });

  it('an intact chain verifies', () => {
    const verdict = verifyChainSegment(chain(5), GENESIS_HASH);
    assert.equal(verdict.ok, true);
    assert.equal(verdict.rows, 5);
  });

  const cases: Array<[string, (rows: StoredAuditRow[]) => StoredAuditRow[], number, string]> = [
    ['altered details', (r) => r.map((x) => (x.id === 3 ? { ...x, details: { b: 99 } } : x)), 3, 'altered'],
    ['altered action', (r) => r.map((x) => (x.id === 1 ? { ...x, action: 'nothing' } : x)), 1, 'altered'],
    ['removed row', (r) => r.filter((x) => x.id !== 2), 3, 'broken_link'],
    ['swapped rows', (r) => [r[0], r[2], r[1], r[3], r[4]], 3, 'broken_link'],
    ['recomputed hash of an altered row', (r) => r.map((x) => (x.id === 4 ? { ...x, action: 'forged', hash: computeAuditHash(x.prevHash, { ...x, action: 'forged' }) } : x)), 5, 'broken_link'],
  ];
  for (const [name, tamper, badRowId, reason] of cases) {
    it(`detects ${name}`, () => {
      const verdict = verifyChainSegment(tamper(chain(5)), GENESIS_HASH);
      assert.equal(verdict.ok, false);
      assert.ok(!verdict.ok);
      assert.equal(verdict.badRowId, badRowId);
      assert.equal(verdict.reason, reason);
    });
  }
});
