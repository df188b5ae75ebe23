// `npm run demo:reset [-- --yes]`: deletes the embedded demo database (the contents of DATA_DIR)
// so that the next `npm start` seeds the demonstration afresh. Embedded demo mode only; asks for
// confirmation on a terminal (`--yes` skips it); refuses while a server or a command holds the
// folder, and refuses a folder that is not a PGlite data folder (a mistyped DATA_DIR must never
// lose someone's files).
import { existsSync, readdirSync, rmSync } from 'node:fs';
import path from 'node:path';
import { createInterface } from 'node:readline/promises';
import { runCommand } from '../cli-support.js';
import { loadConfig } from '../config.js';
import { acquireDataFolderLock, LOCK_FILE } from '../db/data-folder-lock.js';

const NOTHING_DELETED = 'Rien n’a été supprimé.';

async function confirmed(dataDir: string): Promise<boolean> {
  const rl = createInterface({ input: process.stdin, output: process.stdout });
  try {
    const answer = await rl.question(`Supprimer toutes les données de « ${dataDir} » (démonstration, comptes, devis, assiduité) ? Tapez « oui » pour confirmer : `);
    return /^\s*(o|oui)\s*$/i.test(answer);
  } finally {
    rl.close();
  }
}

async function main(): Promise<number> {
  const args = process.argv.slice(2);
  const unknown = args.find((a) => a !== '--yes');
  if (unknown !== undefined) {
    process.stderr.write(`Argument inconnu : ${unknown} (seul --yes est accepté, pour ne pas demander de confirmation). ${NOTHING_DELETED}\n`);
    return 1;
  }
  const config = loadConfig();
  if (config.databaseUrl) {
    process.stderr.write(
      `demo:reset ne s’applique qu’à la base embarquée (DATA_DIR) : avec DATABASE_URL, la base PostgreSQL n’est jamais supprimée par Kairos. Retirez DATABASE_URL, ou recréez cette base vous-même. ${NOTHING_DELETED}\n`,
    );
    return 1;
  }
  if (!config.demoMode) {
    process.stderr.write(`demo:reset ne fonctionne qu’en mode démonstration (SEED_DEMO=true, ou sans NODE_ENV=production) : il supprime toutes les données. ${NOTHING_DELETED}\n`);
    return 1;
  }
  const dataDir = path.resolve(config.dataDir);
  const entries = existsSync(dataDir) ? readdirSync(dataDir).filter((e) => e !== LOCK_FILE) : [];
  if (entries.length === 0) {
    process.stdout.write(`« ${dataDir} » est déjà vide : le prochain démarrage (npm start) créera la démonstration.\n`);
    return 0;
  }
  if (!existsSync(path.join(dataDir, 'PG_VERSION'))) {
    process.stderr.write(`« ${dataDir} » n’est pas un dossier de données Kairos (pas de fichier PG_VERSION) : vérifiez DATA_DIR. ${NOTHING_DELETED}\n`);
    return 1;
  }
  // Held for the whole deletion: a server starting meanwhile is refused rather than reading half a folder.
  const lock = acquireDataFolderLock(dataDir);
  try {
    if (!args.includes('--yes')) {
      if (!process.stdin.isTTY) {
        process.stderr.write(`Aucun terminal pour confirmer la suppression : relancez avec --yes (npm run demo:reset -- --yes). ${NOTHING_DELETED}\n`);
        return 1;
      }
      if (!(await confirmed(dataDir))) {
        process.stdout.write(`Suppression annulée. ${NOTHING_DELETED}\n`);
        return 1;
      }
    }
    for (const entry of entries) rmSync(path.join(dataDir, entry), { recursive: true, force: true });
  } finally {
    lock.release();
  }
  const outside = path.relative(dataDir, path.resolve(config.attachmentsDir)).startsWith('..');
  process.stdout.write(
    `Données de démonstration supprimées de « ${dataDir} ». Le prochain démarrage (npm start) recrée la démonstration.\n` +
      (outside ? `Les pièces jointes de ATTACHMENTS_DIR (« ${config.attachmentsDir} ») sont hors de DATA_DIR et n’ont pas été touchées.\n` : ''),
  );
  return 0;
}

runCommand('Réinitialisation impossible', main);
