// `npm start`: runs the server from its ahead-of-time bundle (scripts/build.mjs), built first
// when the sources changed since the last one, with plain node. When it cannot be built, the
// server starts from the TypeScript sources through tsx as before, only slower, and says so.
// The server runs in this very process (no wrapper): signals, exit codes and the PID written in
// the data folder's lock are the server's own. docs/decisions/0039-start-up-bundle.md
import cluster from 'node:cluster';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { ensureServerBuild, ROOT } from './build.mjs';

/**
 * What the first process chose, for the server processes it forks (WORKERS > 1 re-runs this
 * script): they run the same code, even if the sources change while the cluster runs.
 */
const CHOSEN = 'KAIROS_SERVER_ENTRY';
const FROM_SOURCES = 'tsx';

async function choose() {
  const pinned = process.env[CHOSEN];
  if (cluster.isWorker && pinned && (pinned === FROM_SOURCES || existsSync(pinned))) return pinned;
  try {
    const { entry, built, ms } = await ensureServerBuild();
    if (built) process.stdout.write(`Serveur construit (${path.relative(ROOT, path.dirname(entry))}) en ${(ms / 1000).toFixed(1)} s.\n`);
    return entry;
  } catch (err) {
    process.stderr.write(
      `Kairos : la construction du serveur (dist/) a échoué : ${err instanceof Error ? err.message : String(err)}\n` +
        'Démarrage depuis les sources TypeScript (tsx) : même serveur, démarrage plus lent.\n',
    );
    return FROM_SOURCES;
  }
}

const chosen = await choose();
process.env[CHOSEN] = chosen;
if (chosen === FROM_SOURCES) {
  const { register } = await import('tsx/esm/api');
  register();
  await import(pathToFileURL(path.join(ROOT, 'src', 'main.ts')).href);
} else {
  await import(pathToFileURL(chosen).href);
}
