// `npm run audit:checkpoint`: signs the audit chain's head now, stores the checkpoint and queues
// its mail to the agency administrators (sent by the server's job worker). The server also does
// this every day (AUDIT_CHECKPOINT). With the embedded database, stop the server first: a
// PGlite data folder has one owner at a time (a held folder: exit 1 with the owner's PID).
import { runCommand } from '../../cli-support.js';
import { systemClock } from '../../clock.js';
import { loadConfig } from '../../config.js';
import { openDatabase } from '../../db/database.js';
import { migrateToLatest } from '../../db/migrate.js';
import { createCheckpoint } from './checkpoint.js';

runCommand('Point de contrôle impossible', async () => {
  const config = loadConfig();
  const handle = await openDatabase({ databaseUrl: config.databaseUrl, dataDir: config.databaseUrl ? null : config.dataDir });
  try {
    await migrateToLatest(handle.db);
    const c = await createCheckpoint({ db: handle.db, clock: systemClock, config });
    process.stdout.write(
      [
        `Point de contrôle n° ${c.id} enregistré : ligne id=${c.rowId}, empreinte ${c.rowHash}.`,
        `Clé publique : ${c.keyFingerprint}`,
        `Courriel en file pour ${c.mailedTo} administrateur(s) de l’agence (envoyé par le serveur).`,
        '',
      ].join('\n'),
    );
    return 0;
  } finally {
    await handle.close();
  }
});
