import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ConfigError, loadConfig } from './config.js';

describe('settings for faults, backups and monitoring', () => {
  it('defaults: statement timeout 15 s, fsync on commit, no metrics token', () => {
    const config = loadConfig({});
    assert.equal(config.statementTimeoutMs, 15_000);
    assert.equal(config.pgliteFsync, true);
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
      ['METRICS_TOKEN', 'court'],
    ]) {
      assert.throws(() => loadConfig({ [name!]: value }), (err: unknown) => err instanceof ConfigError && err.message.includes(name!), `${name}=${value}`);
    }
  });
});
