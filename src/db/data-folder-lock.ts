import { randomBytes } from 'node:crypto';
import { closeSync, fsyncSync, mkdirSync, openSync, readFileSync, statSync, unlinkSync, writeSync } from 'node:fs';
import path from 'node:path';

/**
 * One owner per data folder. PGlite is PostgreSQL in WebAssembly: its own postmaster.pid
 * always says "-42", so two processes on one folder both start and overwrite each other's
 * pages. Node has no flock, so ownership is a lock file created atomically (`wx`) holding the
 * owner's PID and its start time from /proc (a recycled PID then does not look alive).
 *
 * A lock whose process is gone (kill -9, power loss) is stale and is taken over. Two starters
 * that both find it stale take over one at a time through a second, short-lived `wx` file, and
 * each re-reads the lock after writing it, so only one of them ends up holding it.
 */
export const LOCK_FILE = 'kairos.lock';
const TAKEOVER_FILE = 'kairos.lock.takeover';
/** A lock file still empty or garbled after this long was left by a crash mid-write. */
const GARBLED_GRACE_MS = 2_000;
/** A takeover file older than this was left by a starter that died during its takeover. */
const TAKEOVER_STALE_MS = 5_000;
/** How long a starter keeps retrying while the lock is being written or taken over (< 5 s). */
const ACQUIRE_PATIENCE_MS = 3_000;

export interface LockOwner {
  pid: number;
  /** Process start time in clock ticks since boot (/proc/PID/stat field 22); null off Linux. */
  startTime: string | null;
  acquiredAt: string;
  nonce: string;
}

export class DataFolderBusyError extends Error {
  constructor(readonly dataDir: string, readonly pid: number) {
    super(
      `Le dossier de données « ${dataDir} » est déjà utilisé par le processus ${pid} (un serveur Kairos ou une commande). ` +
        'Arrêtez ce processus avant de relancer, ou choisissez un autre dossier avec DATA_DIR.',
    );
    this.name = 'DataFolderBusyError';
  }
}

export class DataFolderLockError extends Error {
  constructor(readonly dataDir: string, detail: string) {
    super(`Impossible de verrouiller le dossier de données « ${dataDir} » : ${detail}`);
    this.name = 'DataFolderLockError';
  }
}

export interface DataFolderLock {
  readonly dataDir: string;
  readonly owner: LockOwner;
  /** Removes the lock file if it is still ours; idempotent. */
  release(): void;
}

/** Start time of a process, to tell it from a later process given the same PID. */
export function processStartTime(pid: number): string | null {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // Field 2 (the command) is in parentheses and may hold spaces: count from the last ')'.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return fields[19] ?? null; // field 22 overall
  } catch {
    return null;
  }
}

export function isProcessAlive(pid: number, startTime: string | null): boolean {
  if (!Number.isInteger(pid) || pid <= 0) return false;
  try {
    process.kill(pid, 0);
  } catch (err) {
    // EPERM: it exists but belongs to someone else, which still makes it the owner.
    if ((err as NodeJS.ErrnoException).code !== 'EPERM') return false;
  }
  if (startTime === null) return true;
  const current = processStartTime(pid);
  return current === null || current === startTime;
}

type LockState =
  | { kind: 'absent' }
  | { kind: 'held'; owner: LockOwner }
  | { kind: 'stale'; raw: string }
  | { kind: 'being-written' };

function parseOwner(raw: string): LockOwner | null {
  try {
    const value = JSON.parse(raw) as Partial<LockOwner>;
    if (typeof value.pid !== 'number' || typeof value.nonce !== 'string') return null;
    return { pid: value.pid, startTime: value.startTime ?? null, acquiredAt: String(value.acquiredAt ?? ''), nonce: value.nonce };
  } catch {
    return null;
  }
}

function readState(lockPath: string, dataDir: string): LockState {
  let raw: string;
  let mtimeMs: number;
  try {
    mtimeMs = statSync(lockPath).mtimeMs;
    raw = readFileSync(lockPath, 'utf8');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') return { kind: 'absent' };
    throw new DataFolderLockError(
      dataDir,
      `le fichier ${LOCK_FILE} est illisible (${code ?? 'erreur inconnue'}). Vérifiez ses droits ; supprimez-le si aucun processus Kairos n’utilise ce dossier.`,
    );
  }
  const owner = parseOwner(raw);
  if (!owner) return Date.now() - mtimeMs < GARBLED_GRACE_MS ? { kind: 'being-written' } : { kind: 'stale', raw };
  if (owner.pid === process.pid) return { kind: 'held', owner }; // this very process (a second open)
  return isProcessAlive(owner.pid, owner.startTime) ? { kind: 'held', owner } : { kind: 'stale', raw };
}

/** Who holds the data folder right now, or null when nobody does (a stale lock counts as nobody). */
export function dataFolderHolder(dataDir: string): { pid: number; acquiredAt: string } | null {
  const state = readState(path.join(dataDir, LOCK_FILE), dataDir);
  return state.kind === 'held' ? { pid: state.owner.pid, acquiredAt: state.owner.acquiredAt } : null;
}

function tryCreate(lockPath: string, owner: LockOwner): boolean {
  let fd: number;
  try {
    fd = openSync(lockPath, 'wx', 0o600);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw err;
  }
  try {
    writeSync(fd, JSON.stringify(owner));
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  return true;
}

/** Removes a stale lock, unless someone else replaced it in between (compared by content). */
function removeStale(dataDir: string, lockPath: string, staleRaw: string): void {
  const takeoverPath = path.join(dataDir, TAKEOVER_FILE);
  try {
    closeSync(openSync(takeoverPath, 'wx', 0o600));
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
    // Another starter is taking over; unless it died doing so, let it finish.
    try {
      if (Date.now() - statSync(takeoverPath).mtimeMs > TAKEOVER_STALE_MS) unlinkSync(takeoverPath);
    } catch {
      /* gone meanwhile */
    }
    return;
  }
  try {
    let current: string | null = null;
    try {
      current = readFileSync(lockPath, 'utf8');
    } catch {
      /* already gone */
    }
    if (current === staleRaw) unlinkSync(lockPath);
  } finally {
    unlinkSync(takeoverPath);
  }
}

function ownsLock(lockPath: string, owner: LockOwner): boolean {
  try {
    return parseOwner(readFileSync(lockPath, 'utf8'))?.nonce === owner.nonce;
  } catch {
    return false;
  }
}

function sleepSync(ms: number): void {
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
}

/**
 * Takes the data folder for this process's whole life, or throws `DataFolderBusyError` naming
 * the PID that holds it. Synchronous on purpose: it runs before anything else touches the folder.
 */
export function acquireDataFolderLock(dataDir: string): DataFolderLock {
  mkdirSync(dataDir, { recursive: true });
  const lockPath = path.join(dataDir, LOCK_FILE);
  const owner: LockOwner = {
    pid: process.pid,
    startTime: processStartTime(process.pid),
    acquiredAt: new Date().toISOString(),
    nonce: randomBytes(12).toString('hex'),
  };
  const deadline = Date.now() + ACQUIRE_PATIENCE_MS;
  for (;;) {
    if (tryCreate(lockPath, owner)) {
      // Re-check: a starter that judged our fresh file stale in the same instant may have won.
      if (ownsLock(lockPath, owner)) return heldLock(dataDir, lockPath, owner);
    } else {
      const state = readState(lockPath, dataDir);
      if (state.kind === 'held') throw new DataFolderBusyError(dataDir, state.owner.pid);
      if (state.kind === 'stale') {
        removeStale(dataDir, lockPath, state.raw);
        continue;
      }
    }
    if (Date.now() > deadline) throw new DataFolderLockError(dataDir, 'le verrou est en cours de prise par un autre processus ; réessayez.');
    sleepSync(50);
  }
}

function heldLock(dataDir: string, lockPath: string, owner: LockOwner): DataFolderLock {
  let released = false;
  const release = () => {
    if (released) return;
    released = true;
    process.off('exit', release);
    if (ownsLock(lockPath, owner)) {
      try {
        unlinkSync(lockPath);
      } catch {
        /* already removed */
      }
    }
  };
  // A process.exit() without closing still frees the folder; kill -9 leaves a stale lock.
  process.on('exit', release);
  return { dataDir, owner, release };
}
