/**
 * npm's postinstall: prepares the migrated, empty PGlite data folder that a first start copies
 * instead of running initdb and the migrations (src/db/pglite-template.ts). Never fails the
 * install: without a template the first start is only slower.
 */
import { existsSync, mkdirSync, renameSync, rmSync } from 'node:fs';
import path from 'node:path';
import { openDatabase } from '../src/db/database.js';
import { migrateToLatest } from '../src/db/migrate.js';
import { templateDir, templateKey } from '../src/db/pglite-template.js';

async function prepare(): Promise<string> {
  const key = templateKey();
  const target = templateDir(key);
  if (existsSync(path.join(target, 'PG_VERSION'))) return `already prepared (${key})`;
  const cache = path.dirname(target);
  mkdirSync(cache, { recursive: true });
  // Stale templates (another PGlite version, other migrations) are of no use any more.
  rmSync(cache, { recursive: true, force: true });
  mkdirSync(cache, { recursive: true });
  const building = `${target}.building-${process.pid}`;
  const handle = await openDatabase({ dataDir: building, fsync: false });
  try {
    await migrateToLatest(handle.db);
  } finally {
    await handle.close();
  }
  // Whole or absent: the rename makes a half-built template invisible to a first start.
  renameSync(building, target);
  return `prepared (${key})`;
}

const started = performance.now();
try {
  const outcome = await prepare();
  process.stdout.write(`Kairos : modèle de base PGlite ${outcome} en ${((performance.now() - started) / 1000).toFixed(1)} s\n`);
} catch (err) {
  process.stderr.write(`Kairos : modèle de base PGlite non préparé (${err instanceof Error ? err.message : String(err)}) ; le premier démarrage sera plus lent.\n`);
}
