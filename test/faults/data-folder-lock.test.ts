// One owner per data folder, with real processes: a second server or command on a folder in
// use leaves (exit 1, the folder and the owner's PID named) before loading the application,
// having written nothing; after kill -9 the next start takes the stale lock over. How fast it
// leaves is measured by bench/data-folder-refusal.ts (well under a second on a quiet machine);
// the bound here is only a liveness bound, as CI runs two files at once on two cores.
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { LOCK_FILE } from '../../src/db/data-folder-lock.js';
import { COMMANDS, freePort, kill9, runCommand, startKairos, startServer, stopServer, type Kairos } from '../helpers/processes.js';

/** Every path under `dir`, to show a refused process created nothing. */
function listing(dir: string): string[] {
  return readdirSync(dir, { recursive: true }).map(String).sort();
}

describe('one owner per data folder (real processes, PGlite)', () => {
  let dataDir = '';
  let owner: Kairos | null = null;
  const env = () => ({ DATA_DIR: dataDir, LOG_LEVEL: 'warn' });

  before(async () => {
    dataDir = mkdtempSync(path.join(tmpdir(), 'kairos-owner-'));
    owner = await startServer({ ...env(), PORT: String(await freePort()) });
  });
  after(async () => {
    if (owner) await kill9(owner);
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('refuses a second server, naming the folder and the owner’s PID, having written nothing', { timeout: 120_000 }, async () => {
    const lockBefore = readFileSync(path.join(dataDir, LOCK_FILE), 'utf8');
    const filesBefore = listing(dataDir);
    const started = Date.now();
    const second = startKairos({ ...env(), PORT: String(await freePort()) });
    const code = await second.exited;
    const elapsed = Date.now() - started;
    assert.equal(code, 1, second.stderr());
    assert.ok(elapsed < 60_000, `left after ${elapsed} ms`);
    assert.match(second.stderr(), new RegExp(`Le dossier de données « ${dataDir.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')} » est déjà utilisé par le processus ${owner!.child.pid}`));
    assert.equal(second.stdout(), '', 'no banner');
    assert.equal(readFileSync(path.join(dataDir, LOCK_FILE), 'utf8'), lockBefore, 'the owner keeps its lock');
    assert.deepEqual(listing(dataDir), filesBefore, 'no file created');
    const health = await fetch(`http://127.0.0.1:${owner!.port}/healthz`);
    assert.equal(health.status, 200, 'the owner still serves');
  });

  it('refuses the commands that open the folder (audit:verify, audit:checkpoint, restore) the same way', { timeout: 180_000 }, async () => {
    const archive = path.join(dataDir, '..', `${path.basename(dataDir)}-any.tar.gz`);
    writeFileSync(archive, 'pas une archive');
    try {
      for (const [script, args] of [
        [COMMANDS.auditVerify, []],
        [COMMANDS.auditCheckpoint, []],
        [COMMANDS.restore, [archive]],
      ] as const) {
        const filesBefore = listing(dataDir);
        const result = await runCommand(script, [...args], env());
        assert.equal(result.code, 1, result.stderr);
        assert.ok(result.ms < 60_000, `${script} left after ${result.ms} ms`);
        assert.match(result.stderr, new RegExp(`est déjà utilisé par le processus ${owner!.child.pid}`), result.stderr);
        assert.deepEqual(listing(dataDir), filesBefore, `${script} created nothing`);
      }
    } finally {
      rmSync(archive, { force: true });
    }
  });

  it('after kill -9, the next start takes the stale lock over and serves the same data', { timeout: 240_000 }, async () => {
    const stalePid = owner!.child.pid;
    await kill9(owner!);
    assert.equal(JSON.parse(readFileSync(path.join(dataDir, LOCK_FILE), 'utf8')).pid, stalePid, 'kill -9 left the lock behind');
    owner = await startServer({ ...env(), PORT: String(await freePort()) });
    assert.ok(owner.stdout().includes('Données de démonstration déjà présentes (conservées).'), owner.stdout());
    assert.equal(JSON.parse(readFileSync(path.join(dataDir, LOCK_FILE), 'utf8')).pid, owner.child.pid);
    assert.equal((await fetch(`http://127.0.0.1:${owner.port}/readyz`)).status, 200);
    assert.equal(await stopServer(owner), 0, owner.stderr());
    assert.deepEqual(readdirSync(dataDir).filter((n) => n.startsWith('kairos')), [], 'a clean stop frees the folder');
    owner = null;
  });
});
