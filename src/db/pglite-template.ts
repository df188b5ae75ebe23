/**
 * A migrated, empty PGlite data folder prepared once at install time (npm's postinstall runs
 * scripts/prepare-pglite-template.ts) and copied into a new DATA_DIR on first start: a copy of
 * a few dozen megabytes takes a fraction of a second where PGlite's initdb plus the migrations
 * take several (docs/decisions/0032-start-up-time.md).
 *
 * The template is keyed by the PGlite version and the content of the migrations: after an
 * upgrade or a new migration the key changes, the stale template is ignored and the first
 * start falls back to initdb, as it did before templates existed.
 */
import { createHash } from 'node:crypto';
import { closeSync, copyFileSync, existsSync, fsyncSync, mkdirSync, openSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { LOCK_FILE } from './data-folder-lock.js';
import { PROJECT_ROOT } from '../project-root.js';

const root = PROJECT_ROOT;
/** KAIROS_CACHE_DIR moves the cache (benchmarks and tests point it at an empty folder to start without). */
function cacheDir(): string {
  return process.env.KAIROS_CACHE_DIR || path.join(root, 'node_modules', '.cache', 'kairos');
}
/** PostgreSQL reads this file first; it is copied last, so a folder without it is an unfinished copy. */
const VERSION_FILE = 'PG_VERSION';
/** Present while a copy is under way: a start that finds it removes the half-copied folder. */
const COPY_MARKER = 'kairos-template-copy.partial';

/** The key of a template valid for this install: PGlite's version and every migration's text. */
export function templateKey(): string {
  const hash = createHash('sha256');
  const pglite = JSON.parse(readFileSync(path.join(root, 'node_modules', '@electric-sql', 'pglite', 'package.json'), 'utf8')) as { version: string };
  hash.update(`pglite ${pglite.version}\n`);
  const migrations = path.join(root, 'src', 'db', 'migrations');
  for (const file of readdirSync(migrations).sort()) {
    hash.update(`${file}\n`);
    hash.update(readFileSync(path.join(migrations, file)));
  }
  return hash.digest('hex').slice(0, 16);
}

/** Where the template of this install lives (whether or not it was prepared). */
export function templateDir(key = templateKey()): string {
  return path.join(cacheDir(), `pglite-template-${key}`);
}

function fsyncPath(target: string): void {
  const fd = openSync(target, 'r');
  try {
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}

/** Copies `from` into `to` file by file, each one fsynced, skipping the names in `skip`. */
function copyTree(from: string, to: string, skip: Set<string>): void {
  mkdirSync(to, { recursive: true });
  for (const entry of readdirSync(from, { withFileTypes: true })) {
    if (skip.has(entry.name)) continue;
    const source = path.join(from, entry.name);
    const target = path.join(to, entry.name);
    if (entry.isDirectory()) copyTree(source, target, new Set());
    else if (entry.isFile()) {
      copyFileSync(source, target);
      fsyncPath(target);
    }
  }
  fsyncPath(to);
}

/** Whether `dataDir` holds nothing of a database yet (at most our lock file, or a half copy). */
function isFresh(dataDir: string): boolean {
  if (!existsSync(dataDir)) return true;
  const entries = readdirSync(dataDir).filter((name) => name !== LOCK_FILE);
  if (entries.includes(COPY_MARKER)) return true;
  return entries.length === 0;
}

/**
 * On a fresh data folder (the caller holds its lock), copies the template in, if a valid one
 * was prepared. Returns whether it did; otherwise PGlite runs initdb as usual. A copy
 * interrupted by a crash left the marker file: its remains are removed and the copy redone.
 */
export function seedFromTemplate(dataDir: string): boolean {
  if (!isFresh(dataDir)) return false;
  let template: string;
  try {
    template = templateDir();
  } catch {
    return false; // no migrations folder beside us (a bundle without sources): initdb
  }
  if (!existsSync(path.join(template, VERSION_FILE))) return false;
  mkdirSync(dataDir, { recursive: true });
  for (const name of readdirSync(dataDir)) {
    if (name !== LOCK_FILE && name !== COPY_MARKER) rmSync(path.join(dataDir, name), { recursive: true, force: true });
  }
  const marker = path.join(dataDir, COPY_MARKER);
  writeFileSync(marker, `${new Date().toISOString()}\n`);
  fsyncPath(marker);
  fsyncPath(dataDir);
  copyTree(template, dataDir, new Set([VERSION_FILE, LOCK_FILE]));
  copyFileSync(path.join(template, VERSION_FILE), path.join(dataDir, VERSION_FILE));
  fsyncPath(path.join(dataDir, VERSION_FILE));
  rmSync(marker);
  fsyncPath(dataDir);
  return true;
}

/** Whether a template for this install is ready (benchmarks and tests report it). */
export function templateReady(): boolean {
  try {
    return statSync(path.join(templateDir(), VERSION_FILE)).isFile();
  } catch {
    return false;
  }
}
