import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { checkDestination, DestinationRefused, isForbiddenAddress, urlProblem } from './ssrf.js';

const PRODUCTION = { allowPrivate: false, allowLocalHttp: false };
const DEVELOPMENT = { allowPrivate: false, allowLocalHttp: true };
const resolverOf = (...addresses: string[]) => async () => addresses.map((address) => ({ address, family: address.includes(':') ? 6 : 4 }));

describe('webhook destinations (SSRF)', () => {
  it('refuses loopback, private, link-local, CGNAT, multicast, reserved and metadata addresses, IPv4 and IPv6', () => {
    const forbidden = [
      '127.0.0.1', '127.255.255.254', '0.0.0.0', '10.0.0.1', '10.255.255.255', '172.16.0.1', '172.31.255.255', '192.168.1.1',
      '169.254.169.254', '169.254.0.1', '100.64.0.1', '100.127.255.255', '100.100.100.200', '224.0.0.1', '239.255.255.250',
      '240.0.0.1', '255.255.255.255', '192.0.2.10', '198.18.0.1', '198.51.100.7', '203.0.113.9', '192.0.0.170',
      '::', '::1', 'fe80::1', 'fe80::1%eth0', 'fc00::1', 'fd00:ec2::254', 'ff02::1', 'fec0::1', '2001:db8::1', '100::1',
      '::ffff:127.0.0.1', '::ffff:7f00:1', '::ffff:10.0.0.1', '::ffff:169.254.169.254', '::ffff:a9fe:a9fe', '::127.0.0.1',
      '64:ff9b::a9fe:a9fe', '64:ff9b::10.1.2.3', '2002:7f00:1::', '2002:c0a8:101::1', '2001::1',
      'not an address', '',
    ];
    for (const ip of forbidden) assert.equal(isForbiddenAddress(ip), true, ip);
  });

  it('accepts public addresses, including public IPv4 inside IPv6', () => {
    const allowed = ['93.184.216.34', '8.8.8.8', '1.1.1.1', '172.32.0.1', '100.128.0.1', '11.0.0.1', '2606:4700::1111', '2a00:1450:4007:80e::200e', '::ffff:8.8.8.8', '64:ff9b::808:808', '2002:808:808::1'];
    for (const ip of allowed) assert.equal(isForbiddenAddress(ip), false, ip);
  });

  it('requires https, except for the local host outside production; no credentials in the URL', () => {
    assert.equal(urlProblem('https://hooks.example.fr/kairos', PRODUCTION), null);
    assert.match(urlProblem('http://hooks.example.fr/kairos', PRODUCTION)!, /https:\/\//);
    assert.match(urlProblem('http://127.0.0.1:8080/x', PRODUCTION)!, /https:\/\//);
    assert.equal(urlProblem('http://127.0.0.1:8080/x', DEVELOPMENT), null);
    assert.equal(urlProblem('http://localhost:8080/x', DEVELOPMENT), null);
    assert.match(urlProblem('http://10.0.0.1/x', DEVELOPMENT)!, /https:\/\//);
    assert.match(urlProblem('ftp://example.fr/x', DEVELOPMENT)!, /https:\/\//);
    assert.match(urlProblem('pas une url', PRODUCTION)!, /URL complète/);
    assert.match(urlProblem('https://user:pw@example.fr/x', PRODUCTION)!, /mot de passe/);
  });

  it('checks every resolved address and returns the one to connect to', async () => {
    const ok = await checkDestination('https://hooks.example.fr/x', PRODUCTION, resolverOf('93.184.216.34'));
    assert.deepEqual([ok.address, ok.family], ['93.184.216.34', 4]);
    const refusals: Array<[string, string[]]> = [
      ['https://hooks.example.fr/x', ['93.184.216.34', '10.0.0.5']], // one private answer is enough
      ['https://metadata.example.fr/x', ['169.254.169.254']],
      ['https://v6.example.fr/x', ['::ffff:127.0.0.1']],
      ['https://127.0.0.1/x', []],
      ['https://[::1]/x', []],
      ['https://[::ffff:a9fe:a9fe]/x', []],
      ['https://0x7f000001/x', []], // the URL parser reads it as 127.0.0.1
      ['https://2130706433/x', []],
    ];
    for (const [url, addresses] of refusals) {
      await assert.rejects(checkDestination(url, PRODUCTION, resolverOf(...addresses)), (err: unknown) => err instanceof DestinationRefused && /réseau privé/.test((err as Error).message), url);
    }
    await assert.rejects(checkDestination('https://nowhere.example.fr/x', PRODUCTION, async () => { throw new Error('ENOTFOUND'); }), /introuvable/);
  });

  it('allows loopback for the local host outside production, and any address with WEBHOOK_ALLOW_PRIVATE', async () => {
    assert.equal((await checkDestination('http://127.0.0.1:9000/x', DEVELOPMENT)).address, '127.0.0.1');
    assert.equal((await checkDestination('http://localhost:9000/x', DEVELOPMENT, resolverOf('127.0.0.1'))).address, '127.0.0.1');
    // Outside production, only the loopback of a URL naming the local host: not a private network.
    await assert.rejects(checkDestination('https://intranet.example.fr/x', DEVELOPMENT, resolverOf('10.1.2.3')), DestinationRefused);
    await assert.rejects(checkDestination('http://localhost:9000/x', DEVELOPMENT, resolverOf('10.1.2.3')), DestinationRefused);
    const trusted = { allowPrivate: true, allowLocalHttp: false };
    assert.equal((await checkDestination('https://intranet.example.fr/x', trusted, resolverOf('10.1.2.3'))).address, '10.1.2.3');
  });
});
