// `npm run audit:verify`: checks the whole audit hash chain of the configured database, then every
// signed checkpoint (its signature, and that the row it sealed is still there, unchanged): the
// chain alone cannot see its newest rows removed.
// Exit code 0 when intact; 1 naming the first bad row or checkpoint; 2 when the check could not run.
// With the embedded database, stop the server first: a PGlite data folder has one owner at a time
// (a held folder: exit 1 with the owner's PID, nothing written).
import { loadConfig } from '../../config.js';
import { DataFolderBusyError, DataFolderLockError } from '../../db/data-folder-lock.js';
import { openDatabase } from '../../db/database.js';
import { migrateToLatest } from '../../db/migrate.js';
import { auditSigner, checkpointFailure, verifyCheckpoints } from './checkpoint.js';
import { verifyAuditChain } from './service.js';

async function main(): Promise<number> {
  const config = loadConfig();
  const handle = await openDatabase({ databaseUrl: config.databaseUrl, dataDir: config.databaseUrl ? null : config.dataDir });
  try {
    await migrateToLatest(handle.db);
    const verdict = await verifyAuditChain(handle.db);
    if (!verdict.ok) {
      const why = verdict.reason === 'altered' ? 'son contenu a été modifié' : 'la ligne qui la précédait a été supprimée ou modifiée';
      process.stderr.write(
        `Journal d'audit corrompu : première ligne en défaut id=${verdict.badRowId} (${why}) après ${verdict.rows} ligne(s) intègre(s).\n`,
      );
      return 1;
    }
    const signer = await auditSigner(handle.db, config);
    const checked = await verifyCheckpoints(handle.db, signer, { now: new Date(), auditRetentionDays: config.retention.auditDays });
    if (!checked.ok) {
      process.stderr.write(`Journal d'audit incomplet : ${checkpointFailure(checked)}\n`);
      return 1;
    }
    const anchor = checked.last
      ? `${checked.checkpoints} point(s) de contrôle signé(s) vérifié(s), le dernier n° ${checked.last.id} (ligne id=${checked.last.rowId}, ${checked.last.createdAt.toISOString()})` +
        (checked.purged > 0 ? `, dont ${checked.purged} sur des lignes purgées par la rétention` : '')
      : 'aucun point de contrôle signé encore (npm run audit:checkpoint, ou le travail quotidien du serveur)';
    process.stdout.write(`Journal d'audit intègre : ${verdict.rows} ligne(s) vérifiée(s) ; ${anchor}.\n`);
    return 0;
  } finally {
    await handle.close();
  }
}

main().then(
  (code) => process.exit(code),
  (err) => {
    if (err instanceof DataFolderBusyError || err instanceof DataFolderLockError) {
      process.stderr.write(`${err.message}\n`);
      process.exit(1);
    }
    process.stderr.write(`Vérification impossible : ${err instanceof Error ? err.message : String(err)}\n`);
    process.exit(2);
  },
);
