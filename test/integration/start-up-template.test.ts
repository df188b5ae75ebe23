import assert from 'node:assert/strict';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { templateDir, templateReady } from '../../src/db/pglite-template.js';
import { freePort, runCommand, signInOverHttp, startServer, stopServer, type Kairos } from '../helpers/processes.js';

/** PostgreSQL's system identifier: the first 8 bytes of global/pg_control, drawn at initdb. */
function systemIdentifier(dataDir: string): string {
  return readFileSync(path.join(dataDir, 'global', 'pg_control')).subarray(0, 8).toString('hex');
}

describe('first start from the install-time PGlite template (real process)', () => {
  let scratch = '';
  const started: Kairos[] = [];

  before(async () => {
    scratch = mkdtempSync(path.join(tmpdir(), 'kairos-template-'));
    // npm's postinstall prepared it on an install; prepared here otherwise, by the same script.
    if (!templateReady()) {
      const prepared = await runCommand('scripts/prepare-pglite-template.ts', [], {}, 300_000);
      assert.equal(prepared.code, 0, prepared.stderr);
    }
    assert.ok(templateReady(), 'the template is prepared');
  });
  after(async () => {
    for (const k of started) await stopServer(k).catch(() => k.child.kill('SIGKILL'));
    rmSync(scratch, { recursive: true, force: true });
  });

  async function startOn(dataDir: string, env: Record<string, string> = {}) {
    const port = await freePort();
    const k = await startServer({ PORT: String(port), DATA_DIR: dataDir, ...env });
    started.push(k);
    const health = await fetch(`http://127.0.0.1:${port}/healthz`);
    assert.equal(health.status, 200);
    return { k, port };
  }

  it('copies the template into a new folder: /healthz answers, the demo accounts sign in', { timeout: 300_000 }, async () => {
    const dataDir = path.join(scratch, 'fresh');
    const { k, port } = await startOn(dataDir);
    assert.equal(systemIdentifier(dataDir), systemIdentifier(templateDir()), 'the folder is the template’s copy, not a new initdb');
    assert.ok(!existsSync(path.join(dataDir, 'kairos-template-copy.partial')), 'the copy marker is gone');
    const session = await signInOverHttp(port, 'conseiller.demo');
    assert.ok(session.cookie.includes('kairos_session'));
    assert.equal(await stopServer(k), 0);
  });

  it('redoes a copy a crash interrupted (marker present, PG_VERSION missing)', { timeout: 300_000 }, async () => {
    const dataDir = path.join(scratch, 'interrupted');
    mkdirSync(path.join(dataDir, 'base'), { recursive: true });
    writeFileSync(path.join(dataDir, 'kairos-template-copy.partial'), 'crashed\n');
    writeFileSync(path.join(dataDir, 'base', 'half-copied'), 'x');
    const { k, port } = await startOn(dataDir);
    assert.ok(!existsSync(path.join(dataDir, 'base', 'half-copied')), 'the remains of the broken copy are removed');
    assert.ok(readdirSync(dataDir).includes('PG_VERSION'));
    await signInOverHttp(port, 'admin.agence');
    assert.equal(await stopServer(k), 0);
  });

  it('ignores a stale or missing template and falls back to initdb', { timeout: 400_000 }, async () => {
    const cache = path.join(scratch, 'stale-cache');
    // A template under another key (another PGlite version or other migrations) is never used.
    mkdirSync(path.join(cache, 'pglite-template-0000000000000000'), { recursive: true });
    writeFileSync(path.join(cache, 'pglite-template-0000000000000000', 'PG_VERSION'), '17\n');
    const dataDir = path.join(scratch, 'no-template');
    const { k, port } = await startOn(dataDir, { KAIROS_CACHE_DIR: cache });
    assert.notEqual(systemIdentifier(dataDir), systemIdentifier(templateDir()), 'a database of its own');
    await signInOverHttp(port, 'support.demo');
    assert.equal(await stopServer(k), 0);
  });
});
