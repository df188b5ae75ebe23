import assert from 'node:assert/strict';
import { generateKeyPairSync } from 'node:crypto';
import { describe, it } from 'node:test';
import { checkpointSignatureValid, generateSigningSeed, parseSigningKey, signCheckpoint, signerFrom } from './signing.js';

const facts = { rowId: 42, rowHash: 'ab'.repeat(32), rowAt: new Date('2026-12-01T10:00:00Z'), createdAt: new Date('2026-12-01T02:30:00Z') };

describe('audit checkpoint signatures', () => {
  it('a signature verifies with the signer’s key only, and for the very facts signed', () => {
    const signer = signerFrom(generateSigningSeed());
    const other = signerFrom(generateSigningSeed());
    const signature = signCheckpoint(signer, facts);
    assert.equal(checkpointSignatureValid(signer.publicKey, facts, signature), true);
    assert.equal(checkpointSignatureValid(other.publicKey, facts, signature), false);
    for (const changed of [{ ...facts, rowId: 43 }, { ...facts, rowHash: 'cd'.repeat(32) }, { ...facts, createdAt: new Date('2026-12-02T02:30:00Z') }]) {
      assert.equal(checkpointSignatureValid(signer.publicKey, changed, signature), false);
    }
    assert.equal(checkpointSignatureValid(signer.publicKey, facts, 'pas-une-signature'), false);
    assert.notEqual(signer.fingerprint, other.fingerprint);
    assert.match(signer.fingerprint, /^([0-9a-f]{4}:){15}[0-9a-f]{4}$/);
  });

  it('reads a base64 seed or a PKCS#8 PEM Ed25519 key, the same key either way', () => {
    const { privateKey } = generateKeyPairSync('ed25519');
    const pem = privateKey.export({ format: 'pem', type: 'pkcs8' }).toString();
    const seed = (privateKey.export({ format: 'der', type: 'pkcs8' }) as Buffer).subarray(-32).toString('base64');
    assert.equal(signerFrom(pem).fingerprint, signerFrom(seed).fingerprint);
    const rsa = generateKeyPairSync('rsa', { modulusLength: 1024 }).privateKey.export({ format: 'pem', type: 'pkcs8' }).toString();
    for (const bad of [rsa, 'abc', Buffer.alloc(33).toString('base64')]) assert.equal(parseSigningKey(bad), null);
  });
});
