import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { Secret, TOTP, URI } from 'otpauth';
import { generateTotpSecret, totpCodeAt, totpUri, verifyTotp } from './totp.js';

const DEMO_SECRET = 'KAIROSDEMOKAIROSDEMOKAIROSDEMO23';
// 2026-03-02T09:00:10Z, 10 s into its 30 s step.
const NOW = new Date(Date.UTC(2026, 2, 2, 9, 0, 10));
const STEP = Math.floor(NOW.getTime() / 1000 / 30);
const at = (stepOffset: number) => new Date(NOW.getTime() + stepOffset * 30_000);

describe('generateTotpSecret', () => {
  it('returns 160-bit base32 secrets, different each time', () => {
    const a = generateTotpSecret();
    const b = generateTotpSecret();
    assert.match(a, /^[A-Z2-7]{32}$/);
    assert.equal(Secret.fromBase32(a).bytes.length, 20);
    assert.notEqual(a, b);
  });
});

describe('totpUri', () => {
  it('builds an otpauth URI with issuer, SHA1, 6 digits, 30 s', () => {
    const uri = totpUri({ secret: DEMO_SECRET, label: 'demo@kairos.example', issuer: 'Kairos' });
    assert.match(uri, /^otpauth:\/\/totp\//);
    assert.match(uri, /issuer=Kairos/);
    assert.match(uri, new RegExp(`secret=${DEMO_SECRET}`));
    const parsed = URI.parse(uri);
    assert.ok(parsed instanceof TOTP);
    assert.equal(parsed.algorithm, 'SHA1');
    assert.equal(parsed.digits, 6);
    assert.equal(parsed.period, 30);
    assert.equal(parsed.label, 'demo@kairos.example');
  });
});

describe('totpCodeAt', () => {
  it('produces a 6-digit code for the demo secret that verifies', () => {
    const code = totpCodeAt(DEMO_SECRET, NOW);
    assert.match(code, /^\d{6}$/);
    assert.deepEqual(verifyTotp({ secret: DEMO_SECRET, code, now: NOW, lastUsedStep: null }), {
      ok: true,
      step: STEP,
    });
  });

  it('matches otpauth directly (RFC 6238 parameters)', () => {
    const expected = new TOTP({ secret: DEMO_SECRET }).generate({ timestamp: NOW.getTime() });
    assert.equal(totpCodeAt(DEMO_SECRET, NOW), expected);
  });

  it('RFC 6238 SHA1 test vector', () => {
    // Appendix B: secret "12345678901234567890", T = 59 s -> 94287082 (8 digits).
    const secret = Secret.fromLatin1('12345678901234567890').base32;
    assert.equal(totpCodeAt(secret, new Date(59_000)), '287082');
  });
});

describe('verifyTotp', () => {
  const cases: Array<{ name: string; codeStep: number; lastUsedStep: number | null; ok: boolean }> = [
    { name: 'current step', codeStep: 0, lastUsedStep: null, ok: true },
    { name: 'previous step (clock drift)', codeStep: -1, lastUsedStep: null, ok: true },
    { name: 'next step (clock drift)', codeStep: 1, lastUsedStep: null, ok: true },
    { name: 'two steps ago', codeStep: -2, lastUsedStep: null, ok: false },
    { name: 'two steps ahead', codeStep: 2, lastUsedStep: null, ok: false },
    { name: 'replay of the last used step', codeStep: 0, lastUsedStep: STEP, ok: false },
    { name: 'older than the last used step', codeStep: -1, lastUsedStep: STEP, ok: false },
    { name: 'newer than the last used step', codeStep: 1, lastUsedStep: STEP, ok: true },
    { name: 'after an earlier login', codeStep: 0, lastUsedStep: STEP - 1, ok: true },
  ];
  for (const { name, codeStep, lastUsedStep, ok } of cases) {
    it(`${name} -> ${ok ? 'accepted' : 'refused'}`, () => {
      const code = totpCodeAt(DEMO_SECRET, at(codeStep));
      const result = verifyTotp({ secret: DEMO_SECRET, code, now: NOW, lastUsedStep });
      if (ok) assert.deepEqual(result, { ok: true, step: STEP + codeStep });
      else assert.deepEqual(result, { ok: false });
    });
  }

  it('accepts spaces around and inside the code', () => {
    const code = totpCodeAt(DEMO_SECRET, NOW);
    const spaced = ` ${code.slice(0, 3)} ${code.slice(3)} `;
    assert.equal(verifyTotp({ secret: DEMO_SECRET, code: spaced, now: NOW, lastUsedStep: null }).ok, true);
  });

  const code = totpCodeAt(DEMO_SECRET, NOW);
  const malformed: Array<[string, string]> = [
    ['empty', ''],
    ['5 digits', code.slice(0, 5)],
    ['7 digits', `${code}0`],
    ['non-digit', `${code.slice(0, 5)}a`],
    ['dashes', `${code.slice(0, 3)}-${code.slice(3)}`],
    ['full-width digits', code.replace(/\d/g, (d) => String.fromCharCode(0xff10 + Number(d)))],
  ];
  for (const [name, value] of malformed) {
    it(`refuses ${name}`, () => {
      assert.deepEqual(verifyTotp({ secret: DEMO_SECRET, code: value, now: NOW, lastUsedStep: null }), {
        ok: false,
      });
    });
  }

  it('refuses a code for another secret', () => {
    const other = generateTotpSecret();
    const result = verifyTotp({ secret: other, code, now: NOW, lastUsedStep: null });
    // 3 candidate steps out of 10^6 codes: a false accept here is ~3e-6.
    assert.equal(result.ok, false);
  });

  it('works with freshly generated secrets at the real time', () => {
    const secret = generateTotpSecret();
    const now = new Date();
    const result = verifyTotp({ secret, code: totpCodeAt(secret, now), now, lastUsedStep: null });
    assert.equal(result.ok, true);
  });
});
