// `npm run restore -- FILE`: restores an archive of `npm run backup`. Embedded mode: into an
// empty (or absent) DATA_DIR; with DATABASE_URL: into that empty database, with pg_restore.
// The attachments go to an empty ATTACHMENTS_DIR. Then the audit chain of the result is checked.
import { createReadStream } from 'node:fs';
import { access } from 'node:fs/promises';
import path from 'node:path';
import { runCommand } from '../cli-support.js';
import { loadConfig } from '../config.js';
import { BackupError } from './backup.js';
import { restoreBackup } from './restore.js';

async function main(): Promise<number> {
  const source = process.argv[2];
  if (!source) {
    process.stderr.write('Indiquez la sauvegarde à restaurer : npm run restore -- /chemin/kairos-sauvegarde.tar.gz\n');
    return 1;
  }
  const file = path.resolve(source);
  await access(file).catch(() => {
    throw new BackupError(`le fichier « ${file} » est introuvable ou illisible.`);
  });
  const config = loadConfig();
  const result = await restoreBackup(config, createReadStream(file));
  const where = config.databaseUrl ? 'la base PostgreSQL (DATABASE_URL)' : `« ${config.dataDir} »`;
  process.stdout.write(
    `Sauvegarde du ${result.manifest.createdAt} restaurée dans ${where} ; journal d’audit intègre (${result.auditRows} ligne(s)). Démarrez le serveur : npm start\n`,
  );
  return 0;
}

runCommand('Restauration impossible', main);
