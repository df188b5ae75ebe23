import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createSecretBox } from './secret-box.js';

const KEY = 'test-key-0123456789-abcdefghijklmnopqrstuvwxyz';
const OTHER_KEY = 'other-key-0123456789-abcdefghijklmnopqrstuvwxyz';
const SECRET = 'KAIROSDEMOKAIROSDEMOKAIROSDEMO23';

describe('createSecretBox', () => {
  it('refuses keys shorter than 32 characters', () => {
    assert.throws(() => createSecretBox('x'.repeat(31)), /at least 32/);
    assert.doesNotThrow(() => createSecretBox('x'.repeat(32)));
  });
});

describe('seal / open', () => {
  const box = createSecretBox(KEY);

  const plaintexts: Array<[string, string]> = [
    ['TOTP secret', SECRET],
    ['empty string', ''],
    ['unicode', 'clé secrète 🔐'],
    ['long value', 'x'.repeat(10_000)],
  ];
  for (const [name, plain] of plaintexts) {
    it(`roundtrips ${name}`, () => {
      assert.equal(box.open(box.seal(plain)), plain);
    });
  }

  it('uses the v1.<iv>.<tag>.<ciphertext> base64url format', () => {
    const sealed = box.seal(SECRET);
    assert.match(sealed, /^v1\.[A-Za-z0-9_-]{16}\.[A-Za-z0-9_-]{22}\.[A-Za-z0-9_-]+$/);
    assert.ok(!sealed.includes(SECRET));
  });

  it('uses a fresh IV each time', () => {
    assert.notEqual(box.seal(SECRET), box.seal(SECRET));
  });

  it('opens with another box built from the same key (stable derivation)', () => {
    assert.equal(createSecretBox(KEY).open(box.seal(SECRET)), SECRET);
  });

  it('cannot be opened with a different key', () => {
    const sealed = box.seal(SECRET);
    assert.throws(() => createSecretBox(OTHER_KEY).open(sealed), /cannot open/);
  });

  // Flip one bit in the given part (1 = iv, 2 = tag, 3 = ciphertext).
  function tamper(sealed: string, partIndex: number): string {
    const parts = sealed.split('.');
    const bytes = Buffer.from(parts[partIndex], 'base64url');
    bytes[0] ^= 0x01;
    parts[partIndex] = bytes.toString('base64url');
    return parts.join('.');
  }

  const sealed = box.seal(SECRET);
  const [, iv, tag, ciphertext] = sealed.split('.');
  const tampered: Array<[string, string]> = [
    ['ciphertext bit flip', tamper(sealed, 3)],
    ['tag bit flip', tamper(sealed, 2)],
    ['iv bit flip', tamper(sealed, 1)],
    ['truncated tag', `v1.${iv}.${tag.slice(0, 11)}.${ciphertext}`],
    ['truncated ciphertext', `v1.${iv}.${tag}.${ciphertext.slice(0, -2)}`],
    ['unknown version', sealed.replace(/^v1\./, 'v2.')],
    ['missing part', `v1.${iv}.${tag}`],
    ['extra part', `${sealed}.AAAA`],
    ['not base64url', `v1.${iv}.${tag}.${ciphertext}+/`],
    ['empty', ''],
    ['plaintext', SECRET],
  ];
  for (const [name, value] of tampered) {
    it(`throws a generic error on ${name}`, () => {
      assert.throws(() => box.open(value), { message: 'secret-box: cannot open sealed value' });
    });
  }
});

describe('mac', () => {
  const box = createSecretBox('k'.repeat(40));
  it('is stable for one purpose and data, and differs by purpose, data and key', () => {
    const a = box.mac('attendance-sheet-token', 'x.1');
    assert.equal(a.length, 32);
    assert.deepEqual(box.mac('attendance-sheet-token', 'x.1'), a);
    assert.notDeepEqual(box.mac('another-purpose', 'x.1'), a);
    assert.notDeepEqual(box.mac('attendance-sheet-token', 'x.2'), a);
    assert.notDeepEqual(createSecretBox('z'.repeat(40)).mac('attendance-sheet-token', 'x.1'), a);
  });
});
