import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, describe, it } from 'node:test';
import {
  DataFolderBusyError,
  DataFolderLockError,
  LOCK_FILE,
  acquireDataFolderLock,
  dataFolderHolder,
  isProcessAlive,
  processStartTime,
} from './data-folder-lock.js';

const folders: string[] = [];
function folder(): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'kairos-lock-'));
  folders.push(dir);
  return dir;
}
after(() => folders.forEach((dir) => rmSync(dir, { recursive: true, force: true })));

/** A real process that stays alive until killed: a live PID that is not ours. */
function sleeper() {
  const child = spawn(process.execPath, ['-e', 'setInterval(() => {}, 1000)'], { stdio: 'ignore' });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  return { pid: child.pid!, async kill() { child.kill('SIGKILL'); await exited; } };
}

function writeLock(dir: string, content: string, ageMs = 0): void {
  const file = path.join(dir, LOCK_FILE);
  writeFileSync(file, content);
  if (ageMs) utimesSync(file, new Date(Date.now() - ageMs), new Date(Date.now() - ageMs));
}

const here = path.dirname(new URL(import.meta.url).pathname);

/** A real process that tries to take `dir`, prints `acquired` or `busy <pid>`, holds it 8 s (longer than its rivals take to start). */
function contender(dir: string) {
  const script = `
    import { acquireDataFolderLock, DataFolderBusyError } from ${JSON.stringify(path.join(here, 'data-folder-lock.ts'))};
    try { const l = acquireDataFolderLock(${JSON.stringify(dir)}); console.log('acquired'); setTimeout(() => l.release(), 8000); }
    catch (e) { console.log(e instanceof DataFolderBusyError ? 'busy ' + e.pid : 'error ' + e.message); }`;
  const child = spawn(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], { stdio: ['ignore', 'pipe', 'inherit'] });
  let out = '';
  child.stdout!.setEncoding('utf8').on('data', (c: string) => (out += c));
  return new Promise<{ pid: number; out: string }>((resolve) => child.once('exit', () => resolve({ pid: child.pid!, out: out.trim() })));
}

describe('data folder lock', () => {
  it('lets exactly one of several processes racing for a folder with a stale lock take it', { timeout: 60_000 }, async () => {
    const dir = folder();
    const dead = sleeper();
    const content = JSON.stringify({ pid: dead.pid, startTime: processStartTime(dead.pid), acquiredAt: 'x', nonce: 'stale' });
    await dead.kill();
    writeLock(dir, content);
    const results = await Promise.all([contender(dir), contender(dir), contender(dir), contender(dir)]);
    const winners = results.filter((r) => r.out === 'acquired');
    assert.equal(winners.length, 1, JSON.stringify(results));
    for (const loser of results.filter((r) => r.out !== 'acquired')) assert.equal(loser.out, `busy ${winners[0]!.pid}`, JSON.stringify(results));
  });

  it('takes a free folder, records its PID and start time, and frees it on release', () => {
    const dir = folder();
    const lock = acquireDataFolderLock(dir);
    const recorded = JSON.parse(readFileSync(path.join(dir, LOCK_FILE), 'utf8'));
    assert.equal(recorded.pid, process.pid);
    assert.equal(recorded.startTime, processStartTime(process.pid));
    assert.deepEqual(dataFolderHolder(dir)?.pid, process.pid);
    lock.release();
    assert.equal(existsSync(path.join(dir, LOCK_FILE)), false);
    assert.equal(dataFolderHolder(dir), null);
    lock.release(); // idempotent
  });

  it('refuses a folder held by a live process, naming the folder and the PID, and changes nothing', async () => {
    const dir = folder();
    const other = sleeper();
    try {
      const content = JSON.stringify({ pid: other.pid, startTime: processStartTime(other.pid), acquiredAt: 'x', nonce: 'n1' });
      writeLock(dir, content, 60_000);
      assert.throws(
        () => acquireDataFolderLock(dir),
        (err: unknown) => err instanceof DataFolderBusyError && err.pid === other.pid && err.message.includes(dir) && err.message.includes(String(other.pid)),
      );
      assert.equal(readFileSync(path.join(dir, LOCK_FILE), 'utf8'), content, 'the holder’s lock is untouched');
      assert.equal(dataFolderHolder(dir)?.pid, other.pid);
    } finally {
      await other.kill();
    }
  });

  it('takes over the lock of a dead process (kill -9 left it behind)', async () => {
    const dir = folder();
    const other = sleeper();
    const content = JSON.stringify({ pid: other.pid, startTime: processStartTime(other.pid), acquiredAt: 'x', nonce: 'n2' });
    await other.kill();
    writeLock(dir, content);
    assert.equal(isProcessAlive(other.pid, null), false);
    assert.equal(dataFolderHolder(dir), null, 'a stale lock holds nothing');
    const lock = acquireDataFolderLock(dir);
    assert.equal(JSON.parse(readFileSync(path.join(dir, LOCK_FILE), 'utf8')).pid, process.pid);
    lock.release();
  });

  it('takes over a lock whose PID now belongs to another process (start time differs)', async () => {
    const dir = folder();
    const other = sleeper();
    try {
      writeLock(dir, JSON.stringify({ pid: other.pid, startTime: '1', acquiredAt: 'x', nonce: 'n3' }));
      assert.equal(isProcessAlive(other.pid, '1'), false);
      const lock = acquireDataFolderLock(dir);
      lock.release();
    } finally {
      await other.kill();
    }
  });

  it('takes over a garbled lock file once it is old enough not to be one being written', () => {
    const dir = folder();
    writeLock(dir, '{"pid": 12', 60_000);
    const lock = acquireDataFolderLock(dir);
    assert.equal(JSON.parse(readFileSync(path.join(dir, LOCK_FILE), 'utf8')).pid, process.pid);
    lock.release();
  });

  it('waits while a fresh lock file is still empty (a starter writing it), then takes it over when nobody completes it', () => {
    const dir = folder();
    writeLock(dir, '');
    const started = Date.now();
    const lock = acquireDataFolderLock(dir);
    assert.ok(Date.now() - started >= 1_500, 'it waited for the writer');
    lock.release();
  });

  it('refuses with a clear message when the lock file cannot be read', { skip: process.getuid?.() === 0 ? 'root reads any file' : false }, () => {
    const dir = folder();
    writeLock(dir, '{}');
    chmodSync(path.join(dir, LOCK_FILE), 0o000);
    assert.throws(() => acquireDataFolderLock(dir), (err: unknown) => err instanceof DataFolderLockError && /illisible/.test(err.message));
  });

  it('refuses with a clear message when the lock file cannot be read at all (a folder in its place)', () => {
    const dir = folder();
    mkdirSync(path.join(dir, LOCK_FILE)); // EISDIR on read: no Kairos wrote this; the operator must look
    assert.throws(() => acquireDataFolderLock(dir), (err: unknown) => err instanceof DataFolderLockError && err.message.includes(dir) && /illisible/.test(err.message));
    assert.throws(() => dataFolderHolder(dir), DataFolderLockError);
  });

  it('refuses a second lock in the same process (two databases on one folder in one process)', () => {
    const dir = folder();
    const lock = acquireDataFolderLock(dir);
    try {
      assert.throws(() => acquireDataFolderLock(dir), DataFolderBusyError);
    } finally {
      lock.release();
    }
  });
});
