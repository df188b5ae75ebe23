import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { hashSecret, ipAllowed, looksLikeToken, parseAllowedIp, tokenState } from './rules.js';

describe('API token rules', () => {
  it('parses addresses and CIDR ranges of both families, and refuses anything else', () => {
    assert.deepEqual(parseAllowedIp('192.0.2.1'), { address: '192.0.2.1', prefix: null, family: 'ipv4' });
    assert.deepEqual(parseAllowedIp('2001:db8::/32'), { address: '2001:db8::', prefix: 32, family: 'ipv6' });
    for (const bad of ['', '300.1.1.1', '10.0.0.0/33', '2001:db8::/129', '10.0.0.0/', '10.0.0.0/8/8', '10.0.0.0/+8', 'exemple.fr', '::1/-1']) {
      assert.equal(parseAllowedIp(bad), null, bad);
    }
  });

  it('matches an address against the allowlist; empty allows any, an unknown address none', () => {
    const list = ['192.0.2.10', '198.51.100.0/24', '2001:db8::1', '2001:db8:abcd::/48'];
    for (const ip of ['192.0.2.10', '198.51.100.255', '::ffff:198.51.100.1', '2001:db8::1', '2001:db8:abcd:ffff::1']) assert.ok(ipAllowed(list, ip), ip);
    for (const ip of ['192.0.2.11', '198.51.99.1', '2001:db8::2', '2001:db8:abce::1', 'nimportequoi']) assert.ok(!ipAllowed(list, ip), ip);
    assert.ok(!ipAllowed(list, null));
    assert.ok(ipAllowed([], '203.0.113.1'));
  });

  it('knows a token by its shape, hashes it with SHA-256 and tells its state', () => {
    assert.ok(looksLikeToken(`krs_${'a'.repeat(43)}`));
    assert.ok(!looksLikeToken(`krs_${'a'.repeat(42)}`));
    assert.ok(!looksLikeToken(`xyz_${'a'.repeat(43)}`));
    assert.equal(hashSecret('abc'), 'ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad'); // SHA-256 test vector
    assert.match(hashSecret('krs_x'), /^[0-9a-f]{64}$/);
    const now = new Date('2026-06-01T00:00:00Z');
    assert.equal(tokenState({ expiresAt: new Date('2026-06-02T00:00:00Z'), revokedAt: null }, now), 'active');
    assert.equal(tokenState({ expiresAt: now, revokedAt: null }, now), 'expired');
    assert.equal(tokenState({ expiresAt: new Date('2027-01-01T00:00:00Z'), revokedAt: now }, now), 'revoked');
  });
});
