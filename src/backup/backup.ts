import { spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Writable } from 'node:stream';
import type { Config } from '../config.js';
import { CONTROL_FILE } from './control.js';
import { LOCK_FILE } from '../db/data-folder-lock.js';
import type { DatabaseHandle } from '../db/database.js';
import { addFileAs, addFolder, writeArchive, type Manifest } from './archive.js';

export class BackupError extends Error {}

/** Files of the data folder that describe this process, never part of a copy. */
const PROCESS_FILES = [LOCK_FILE, `${LOCK_FILE}.takeover`, CONTROL_FILE, `${CONTROL_FILE}.tmp`];

/** The attachments folder relative to the data folder when it lies inside it (then saved apart). */
export function attachmentsInside(config: Pick<Config, 'dataDir' | 'attachmentsDir'>): string | null {
  const relative = path.relative(path.resolve(config.dataDir), path.resolve(config.attachmentsDir));
  return relative && !relative.startsWith('..') && !path.isAbsolute(relative) ? relative.split(path.sep).join('/') : null;
}

async function lastMigration(handle: DatabaseHandle): Promise<string | null> {
  const row = await handle.db
    .selectFrom('kysely_migration' as never)
    .select('name' as never)
    .orderBy('name' as never, 'desc')
    .executeTakeFirst();
  return (row as { name?: string } | undefined)?.name ?? null;
}

/**
 * Writes a consistent archive of the database and the attachments to `out`.
 * PGlite: the data folder is copied after a checkpoint while no query can run (requests wait a
 * moment), with the attachments in the same pause. PostgreSQL: pg_dump's snapshot, then the
 * attachments (files are written before the rows that name them, so every saved row has its file).
 */
export async function writeBackup(handle: DatabaseHandle, config: Config, out: Writable): Promise<Manifest> {
  const manifest: Manifest = {
    format: 'kairos-backup',
    version: 1,
    engine: handle.engine,
    createdAt: new Date().toISOString(),
    migration: await lastMigration(handle),
  };
  if (handle.engine === 'pglite') {
    if (!handle.dataDir || !handle.whileQuiescent) throw new BackupError('la base embarquée est en mémoire : rien à sauvegarder.');
    const dataDir = handle.dataDir;
    const inside = attachmentsInside(config);
    const skip = new Set([...PROCESS_FILES, ...(inside ? [inside] : [])]);
    await handle.whileQuiescent(() =>
      writeArchive(out, manifest, async (pack) => {
        await addFolder(pack, dataDir, 'database', skip);
        await addFolder(pack, config.attachmentsDir, 'attachments');
      }),
    );
    return manifest;
  }
  const work = await mkdtemp(path.join(tmpdir(), 'kairos-pgdump-'));
  try {
    const dumpFile = path.join(work, 'kairos.pgdump');
    await runPgTool('pg_dump', ['--format=custom', '--no-owner', '--no-privileges', '--file', dumpFile, '--dbname', config.databaseUrl!]);
    await writeArchive(out, manifest, async (pack) => {
      await addFileAs(pack, 'database/kairos.pgdump', dumpFile);
      await addFolder(pack, config.attachmentsDir, 'attachments');
    });
    return manifest;
  } finally {
    await rm(work, { recursive: true, force: true });
  }
}

/** Runs pg_dump or pg_restore; a missing binary is a clear French message, not a stack trace. */
export function runPgTool(tool: 'pg_dump' | 'pg_restore', args: string[]): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(tool, args, { stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk.slice(0, 4000)));
    child.on('error', (err: NodeJS.ErrnoException) => {
      reject(
        new BackupError(
          err.code === 'ENOENT'
            ? `${tool} est introuvable. Installez le client PostgreSQL de la même version majeure que le serveur (paquet postgresql-client) puis relancez.`
            : `${tool} n’a pas pu être lancé : ${err.message}`,
        ),
      );
    });
    child.on('close', (code) => {
      // The connection string may carry a password: never echo it back.
      if (code === 0) resolve();
      else reject(new BackupError(`${tool} a échoué (code ${code}) : ${stderr.replace(/postgres(ql)?:\/\/\S+/g, '[connexion]').trim().slice(0, 1000)}`));
    });
  });
}
