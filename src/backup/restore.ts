import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Readable } from 'node:stream';
import { sql } from 'kysely';
import type { Config } from '../config.js';
import { LOCK_FILE, acquireDataFolderLock } from '../db/data-folder-lock.js';
import { openDatabase } from '../db/database.js';
import { verifyAuditChain } from '../modules/audit/service.js';
import { extractArchive, type Manifest } from './archive.js';
import { BackupError, runPgTool } from './backup.js';

export interface RestoreResult {
  manifest: Manifest;
  auditRows: number;
}

/** Entries of a folder, `[]` when it does not exist. */
async function entriesOf(dir: string): Promise<string[]> {
  try {
    return await readdir(dir);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw err;
  }
}

async function requireEmpty(dir: string, what: string, ignore: string[] = []): Promise<void> {
  const found = (await entriesOf(dir)).filter((name) => !ignore.includes(name));
  if (found.length > 0) {
    throw new BackupError(`${what} « ${dir} » n’est pas vide (${found.length} élément(s)) : la restauration n’écrase jamais des données. Indiquez un dossier vide ou inexistant.`);
  }
}

function requireEngine(manifest: Manifest, engine: Manifest['engine']): void {
  if (manifest.engine === engine) return;
  throw new BackupError(
    manifest.engine === 'postgres'
      ? 'cette sauvegarde vient d’une base PostgreSQL : restaurez-la avec DATABASE_URL (une base vide).'
      : 'cette sauvegarde vient de la base embarquée (PGlite) : restaurez-la sans DATABASE_URL, dans un DATA_DIR vide.',
  );
}

async function verifiedAuditRows(config: Config, lock?: ReturnType<typeof acquireDataFolderLock>): Promise<number> {
  const handle = await openDatabase({ databaseUrl: config.databaseUrl, dataDir: config.databaseUrl ? null : config.dataDir, lock });
  try {
    const verdict = await verifyAuditChain(handle.db);
    if (!verdict.ok) throw new BackupError(`la base restaurée ouvre, mais son journal d’audit est rompu à la ligne ${verdict.badRowId}.`);
    return verdict.rows;
  } finally {
    await handle.close();
  }
}

async function emptyFolders(config: Config): Promise<void> {
  for (const name of await entriesOf(config.dataDir)) {
    if (name !== LOCK_FILE) await rm(path.join(config.dataDir, name), { recursive: true, force: true });
  }
  for (const name of await entriesOf(config.attachmentsDir)) await rm(path.join(config.attachmentsDir, name), { recursive: true, force: true });
}

/**
 * Embedded mode: restores into an empty DATA_DIR (taken under its lock for the whole restore)
 * and an empty ATTACHMENTS_DIR, then opens the restored folder and verifies its audit chain.
 */
async function restoreEmbedded(config: Config, input: Readable): Promise<RestoreResult> {
  const lock = acquireDataFolderLock(config.dataDir);
  let handedOver = false;
  try {
    await requireEmpty(config.dataDir, 'le dossier de données', [LOCK_FILE]);
    await requireEmpty(config.attachmentsDir, 'le dossier des pièces jointes');
    const manifest = await extractArchive(input, async (m) => {
      requireEngine(m, 'pglite');
      return { database: config.dataDir, attachments: config.attachmentsDir };
    });
    handedOver = true;
    return { manifest, auditRows: await verifiedAuditRows(config, lock) };
  } catch (err) {
    // Both folders were empty: a failed extraction leaves them so, ready for another try.
    if (!handedOver && !(err instanceof BackupError)) await emptyFolders(config);
    throw err;
  } finally {
    if (!handedOver) lock.release();
  }
}

/**
 * PostgreSQL: restores with pg_restore into the empty database DATABASE_URL names (tables in
 * `public` make it refuse) and the attachments into an empty ATTACHMENTS_DIR.
 */
async function restorePostgres(config: Config, input: Readable): Promise<RestoreResult> {
  const handle = await openDatabase({ databaseUrl: config.databaseUrl });
  try {
    const tables = await sql<{ n: number }>`select count(*)::int as n from information_schema.tables where table_schema = 'public'`.execute(handle.db);
    if ((tables.rows[0]?.n ?? 0) > 0) throw new BackupError('la base désignée par DATABASE_URL n’est pas vide : la restauration demande une base vide (createdb).');
  } finally {
    await handle.close();
  }
  await requireEmpty(config.attachmentsDir, 'le dossier des pièces jointes');
  const work = await mkdtemp(path.join(tmpdir(), 'kairos-restore-'));
  try {
    const manifest = await extractArchive(input, async (m) => {
      requireEngine(m, 'postgres');
      return { database: work, attachments: config.attachmentsDir };
    });
    await runPgTool('pg_restore', ['--no-owner', '--no-privileges', '--exit-on-error', '--dbname', config.databaseUrl!, path.join(work, 'kairos.pgdump')]);
    return { manifest, auditRows: await verifiedAuditRows(config) };
  } finally {
    await rm(work, { recursive: true, force: true });
  }
}

export function restoreBackup(config: Config, input: Readable): Promise<RestoreResult> {
  return config.databaseUrl ? restorePostgres(config, input) : restoreEmbedded(config, input);
}
