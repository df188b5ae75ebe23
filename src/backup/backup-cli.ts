// `npm run backup -- FILE`: a consistent archive of the database and the attachments, written
// atomically (temporary file, then rename). Embedded mode: through the running server when one
// holds DATA_DIR, otherwise by opening the data folder under its lock. PostgreSQL: pg_dump.
import { createWriteStream, existsSync } from 'node:fs';
import { open, rename, rm } from 'node:fs/promises';
import path from 'node:path';
import { Readable, type Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { ReadableStream as WebReadableStream } from 'node:stream/web';
import { runCommand } from '../cli-support.js';
import { loadConfig, type Config } from '../config.js';
import { dataFolderHolder } from '../db/data-folder-lock.js';
import { openDatabase } from '../db/database.js';
import { BackupError, writeBackup } from './backup.js';
import { readControlInfo } from './control.js';

/** Writes to `file` through a temporary sibling, synced then renamed: never a half archive. */
async function writeAtomically(file: string, produce: (out: Writable) => Promise<void>): Promise<void> {
  const temporary = path.join(path.dirname(file), `.${path.basename(file)}.${process.pid}.tmp`);
  try {
    await produce(createWriteStream(temporary, { mode: 0o600 }));
    const written = await open(temporary, 'r+');
    await written.sync().finally(() => written.close());
    await rename(temporary, file);
  } catch (err) {
    await rm(temporary, { force: true });
    throw err;
  }
}

async function throughRunningServer(config: Config, holderPid: number, out: Writable): Promise<void> {
  const control = readControlInfo(config.dataDir);
  if (!control || control.pid !== holderPid) {
    throw new BackupError(`le dossier « ${config.dataDir} » est utilisé par le processus ${holderPid}, qui n’accepte pas de sauvegarde (commande en cours ?). Réessayez quand il aura fini.`);
  }
  const response = await fetch(`http://127.0.0.1:${control.port}/backup`, { method: 'POST', headers: { authorization: `Bearer ${control.token}` } });
  if (response.status !== 200 || !response.body) throw new BackupError(`le serveur (processus ${holderPid}) a refusé la sauvegarde (HTTP ${response.status}).`);
  await pipeline(Readable.fromWeb(response.body as WebReadableStream), out);
}

async function directly(config: Config, out: Writable): Promise<void> {
  const handle = await openDatabase({ databaseUrl: config.databaseUrl, dataDir: config.databaseUrl ? null : config.dataDir, statementTimeoutMs: config.statementTimeoutMs });
  try {
    await writeBackup(handle, config, out);
  } finally {
    await handle.close();
  }
}

async function main(): Promise<number> {
  const target = process.argv[2];
  if (!target) {
    process.stderr.write('Indiquez le fichier de sauvegarde à écrire : npm run backup -- /chemin/kairos-sauvegarde.tar.gz\n');
    return 1;
  }
  const config = loadConfig();
  const file = path.resolve(target);
  const holder = config.databaseUrl ? null : dataFolderHolder(config.dataDir);
  // A PGlite data folder always has PG_VERSION; without it there is nothing to save (wrong DATA_DIR?).
  if (!config.databaseUrl && !holder && !existsSync(path.join(config.dataDir, 'PG_VERSION'))) {
    throw new BackupError(`aucune base dans « ${config.dataDir} » : rien à sauvegarder (vérifiez DATA_DIR).`);
  }
  await writeAtomically(file, (out) => (holder ? throughRunningServer(config, holder.pid, out) : directly(config, out)));
  process.stdout.write(`Sauvegarde écrite : ${file}${holder ? ` (par le serveur en cours, processus ${holder.pid})` : ''}\n`);
  return 0;
}

runCommand('Sauvegarde impossible', main);
