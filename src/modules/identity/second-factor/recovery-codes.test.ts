import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import {
  generateRecoveryCodes,
  hashRecoveryCode,
  looksLikeRecoveryCode,
  normaliseRecoveryCode,
} from './recovery-codes.js';

const SHAPE = /^[23456789ABCDEFGHJKLMNPQRSTUVWXYZ]{4}-[23456789ABCDEFGHJKLMNPQRSTUVWXYZ]{4}-[23456789ABCDEFGHJKLMNPQRSTUVWXYZ]{4}$/;

describe('generateRecoveryCodes', () => {
  it('returns 10 distinct codes of the canonical shape', () => {
    const codes = generateRecoveryCodes();
    assert.equal(codes.length, 10);
    assert.equal(new Set(codes).size, 10);
    for (const code of codes) {
      assert.match(code, SHAPE);
      assert.equal(normaliseRecoveryCode(code), code);
    }
  });

  it('is random across calls and uses the whole alphabet', () => {
    const seen = new Set<string>();
    const all = new Set<string>();
    for (let i = 0; i < 50; i++) {
      for (const code of generateRecoveryCodes()) {
        all.add(code);
        for (const ch of code.replace(/-/g, '')) seen.add(ch);
      }
    }
    assert.equal(all.size, 500);
    assert.equal(seen.size, 32);
  });
});

describe('normaliseRecoveryCode', () => {
  const cases: Array<[string, string | null]> = [
    ['ABCD-EFGH-JKLM', 'ABCD-EFGH-JKLM'],
    ['abcd-efgh-jklm', 'ABCD-EFGH-JKLM'],
    ['ABCDEFGHJKLM', 'ABCD-EFGH-JKLM'],
    ['abcdefghjklm', 'ABCD-EFGH-JKLM'],
    ['  abcd efgh jklm ', 'ABCD-EFGH-JKLM'],
    ['ab cd-ef gh-jk lm', 'ABCD-EFGH-JKLM'],
    ['2345-6789-WXYZ', '2345-6789-WXYZ'],
    ['', null],
    ['ABCD-EFGH', null], // too short
    ['ABCD-EFGH-JKLM-NPQR', null], // too long
    ['ABCDEFGHJKL', null],
    ['ABCD-EFGH-JKL0', null], // 0 is not in the alphabet
    ['ABCD-EFGH-JKL1', null],
    ['OBCD-EFGH-JKLM', null], // O is not in the alphabet
    ['IBCD-EFGH-JKLM', null],
    ['ABC-DEFGH-JKLM', null], // wrong grouping
    ['ABCD--EFGH-JKLM', null],
    ['ABCD_EFGH_JKLM', null],
    ['123456', null], // a TOTP code
    ['ÀBCD-EFGH-JKLM', null],
  ];
  for (const [input, expected] of cases) {
    it(`${JSON.stringify(input)} -> ${JSON.stringify(expected)}`, () => {
      assert.equal(normaliseRecoveryCode(input), expected);
      assert.equal(looksLikeRecoveryCode(input), expected !== null);
    });
  }
});

describe('hashRecoveryCode', () => {
  it('is the SHA-256 hex of the canonical code, stable across spellings', () => {
    const hash = hashRecoveryCode('ABCD-EFGH-JKLM');
    assert.match(hash, /^[0-9a-f]{64}$/);
    // Known value: sha256("ABCD-EFGH-JKLM").
    assert.equal(hash, '97bee7fe7d9adaa62eca78a5372496202f3ace17d90d41adff22d83a2064b371');
    assert.equal(hashRecoveryCode('abcdefghjklm'), hash);
    assert.equal(hashRecoveryCode(' abcd efgh jklm '), hash);
    assert.notEqual(hashRecoveryCode('ABCD-EFGH-JKLN'), hash);
  });

  it('does not throw on malformed input and matches no valid code', () => {
    const codes = generateRecoveryCodes();
    const hashes = new Set(codes.map(hashRecoveryCode));
    assert.doesNotThrow(() => hashRecoveryCode('not a code'));
    assert.equal(hashes.has(hashRecoveryCode('not a code')), false);
  });
});
