import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ConfigError, loadConfig } from './config.js';

describe('settings for faults, backups and monitoring', () => {
  it('defaults: statement timeout 15 s, fsync on commit, no metrics token', () => {
    const config = loadConfig({});
    assert.equal(config.statementTimeoutMs, 15_000);
    assert.equal(config.pgliteFsync, true);
    assert.equal(config.pgliteSharedBuffersMb, 16);
    assert.equal(config.metricsToken, undefined);
  });

  it('reads them from the environment', () => {
    const config = loadConfig({ DB_STATEMENT_TIMEOUT_MS: '2500', PGLITE_FSYNC: 'false', METRICS_TOKEN: 'x'.repeat(32) });
    assert.equal(config.statementTimeoutMs, 2_500);
    assert.equal(config.pgliteFsync, false);
    assert.equal(config.metricsToken, 'x'.repeat(32));
  });

  it('refuses bad values, naming the variable', () => {
    for (const [name, value] of [
      ['DB_STATEMENT_TIMEOUT_MS', 'quinze'],
      ['DB_STATEMENT_TIMEOUT_MS', '10'],
      ['PGLITE_FSYNC', 'peut-être'],
      ['PGLITE_SHARED_BUFFERS_MB', '0'],
      ['PGLITE_SHARED_BUFFERS_MB', 'beaucoup'],
      ['METRICS_TOKEN', 'court'],
      ['REDIS_URL', 'http://127.0.0.1:6379'],
      ['REDIS_URL', 'redis://'],
      ['REDIS_KEY_PREFIX', 'avec espace'],
    ]) {
      assert.throws(() => loadConfig({ [name!]: value }), (err: unknown) => err instanceof ConfigError && err.message.includes(name!), `${name}=${value}`);
    }
  });
});

describe('shared rate limits (REDIS_URL)', () => {
  it('are off without REDIS_URL: each process counts in memory', () => {
    assert.equal(loadConfig({}).redis, null);
  });

  it('read the address and the key prefix', () => {
    assert.deepEqual(loadConfig({ REDIS_URL: 'redis://127.0.0.1:6379' }).redis, { url: 'redis://127.0.0.1:6379', keyPrefix: 'kairos:' });
    assert.deepEqual(loadConfig({ REDIS_URL: 'rediss://u:p@cache.example:6380/2', REDIS_KEY_PREFIX: 'prod:' }).redis, { url: 'rediss://u:p@cache.example:6380/2', keyPrefix: 'prod:' });
  });

  it('never repeat the address in the error: it may hold a password', () => {
    assert.throws(
      () => loadConfig({ REDIS_URL: 'http://u:secret-pass@cache.example' }),
      (err: unknown) => err instanceof ConfigError && /REDIS_URL: une adresse redis:\/\/hôte:port/.test(err.message) && !err.message.includes('secret-pass'),
    );
  });
});

describe('the demo world setting (SEED_DEMO_WORLD)', () => {
  it('is on by default in demo mode, except under NODE_ENV=test, whose template holds the accounts only', () => {
    assert.equal(loadConfig({}).demoWorld, true, 'embedded, development: demo mode and its world');
    assert.equal(loadConfig({ NODE_ENV: 'test' }).demoWorld, false);
    assert.equal(loadConfig({ NODE_ENV: 'test', SEED_DEMO_WORLD: 'true' }).demoWorld, true);
    assert.equal(loadConfig({ SEED_DEMO_WORLD: 'false' }).demoWorld, false);
    assert.equal(loadConfig({ DATABASE_URL: 'postgres://x@localhost/k', SEED_DEMO: 'true' }).demoWorld, true, 'PostgreSQL with SEED_DEMO=true');
  });

  it('needs demo mode: no world without the demo accounts', () => {
    assert.equal(loadConfig({ DATABASE_URL: 'postgres://x@localhost/k' }).demoWorld, false);
    assert.equal(loadConfig({ SEED_DEMO: 'false', SEED_DEMO_WORLD: 'true' }).demoWorld, false);
    assert.equal(loadConfig({ NODE_ENV: 'production', APP_SECRET: 'k'.repeat(32) }).demoWorld, false);
  });

  it('refuses a value that is not a boolean, naming the variable', () => {
    assert.throws(() => loadConfig({ SEED_DEMO_WORLD: 'souvent' }), (err: unknown) => err instanceof ConfigError && err.message.includes('SEED_DEMO_WORLD'));
  });
});

describe('server processes (WORKERS)', () => {
  const postgres = { DATABASE_URL: 'postgres://x@localhost/k' };
  it('defaults to one process, and reads 1..64 with PostgreSQL', () => {
    assert.equal(loadConfig({}).workers, 1);
    assert.equal(loadConfig({ ...postgres, WORKERS: '2' }).workers, 2);
    assert.equal(loadConfig({ ...postgres, WORKERS: '64' }).workers, 64);
    assert.equal(loadConfig({ WORKERS: '1' }).workers, 1, 'one process is fine in embedded mode');
  });

  it('refuses values that are not an integer from 1 to 64, naming WORKERS', () => {
    for (const value of ['0', '65', '1.5', 'deux', '-2', '']) {
      assert.throws(() => loadConfig({ ...postgres, WORKERS: value }), (err: unknown) => err instanceof ConfigError && err.message.includes('WORKERS'), `WORKERS=${value}`);
    }
  });

  it('refuses several processes in embedded mode, in French, saying what to do', () => {
    assert.throws(
      () => loadConfig({ WORKERS: '2' }),
      (err: unknown) => err instanceof ConfigError && /WORKERS=2/.test(err.message) && /PostgreSQL \(DATABASE_URL\)/.test(err.message) && /WORKERS=1/.test(err.message),
    );
  });
});

describe('passkeys (PASSKEY_REQUIRED_ROLES, PASSKEY_GRACE_DAYS, REAUTH_MINUTES)', () => {
  it('derives the relying party from the public URL, and requires no passkey by default', () => {
    const config = loadConfig({ PUBLIC_URL: 'https://kairos.example.fr/' });
    assert.deepEqual(
      { rpId: config.passkeys.rpId, origin: config.passkeys.origin, roles: config.passkeys.requiredRoles, grace: config.passkeys.graceDays, reauth: config.reauthMinutes },
      { rpId: 'kairos.example.fr', origin: 'https://kairos.example.fr', roles: [], grace: 14, reauth: 5 },
    );
  });

  it('reads a comma-separated list of application/role', () => {
    const config = loadConfig({ PASSKEY_REQUIRED_ROLES: ' gid/agency_admin, gid/account_manager ,', PASSKEY_GRACE_DAYS: '30' });
    assert.deepEqual(config.passkeys.requiredRoles, ['gid/agency_admin', 'gid/account_manager']);
    assert.equal(config.passkeys.graceDays, 30);
  });

  it('refuses a role not written application/role, naming the variable', () => {
    for (const value of ['agency_admin', 'gid/agency_admin;drop', 'GID/Agency']) {
      assert.throws(() => loadConfig({ PASSKEY_REQUIRED_ROLES: value }), (err: unknown) => err instanceof ConfigError && err.message.includes('PASSKEY_REQUIRED_ROLES'), value);
    }
    assert.throws(() => loadConfig({ PASSKEY_GRACE_DAYS: '-1' }), (err: unknown) => err instanceof ConfigError && err.message.includes('PASSKEY_GRACE_DAYS'));
  });
});
