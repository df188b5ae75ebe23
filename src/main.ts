import cluster from 'node:cluster';
import { runPrimary, STOP_MESSAGE, type ListeningMessage } from './cluster.js';
import { ConfigError, loadConfig, type Config } from './config.js';
import { acquireDataFolderLock, DataFolderBusyError, DataFolderLockError, type DataFolderLock } from './db/data-folder-lock.js';
import { DEMO_ACCOUNTS, DEMO_PASSWORD, DEMO_TOTP_SECRET } from './demo/accounts.js';
import type { createRuntime as CreateRuntime } from './runtime.js';
import { startMark } from './start-trace.js';

/** After the first SIGTERM or SIGINT, the process exits at this deadline whatever is still running. */
const SHUTDOWN_DEADLINE_MS = 15_000;

function banner(config: Config, url: string, seeded: boolean, worldSeeded: boolean, processes = 1): string {
  const lines = [
    '',
    `Kairos est démarré : ${url}`,
    `Base de données : ${config.databaseUrl ? 'PostgreSQL (DATABASE_URL)' : `PGlite embarqué (${config.dataDir})`}`,
    ...(processes > 1 ? [`Processus serveur : ${processes} (WORKERS)`] : []),
  ];
  if (config.demoMode) {
    lines.push(
      seeded ? 'Données de démonstration créées.' : 'Données de démonstration déjà présentes (conservées).',
      ...(worldSeeded ? ['Monde de démonstration créé : quelques mois d’activité, datés d’aujourd’hui.'] : []),
      ...(config.demoWorld ? ['Visite guidée (que regarder avec chaque compte) : README, section « Visite guidée ».'] : []),
      '',
      'Comptes de démonstration :',
      ...DEMO_ACCOUNTS.map((a) => `  ${a.login.padEnd(16)} ${a.description}`),
      '',
      `  Mot de passe (tous les comptes) : ${DEMO_PASSWORD}`,
      `  Secret TOTP (tous les comptes)  : ${DEMO_TOTP_SECRET}`,
      '  (à ajouter dans une application d’authentification, ou : npm run demo:otp)',
      `  Connexion : ${url}/connexion`,
    );
  }
  return lines.join('\n') + '\n';
}

function fail(message: string): never {
  process.stderr.write(`${message}\n`);
  process.exit(1);
}

async function main() {
  let config: Config;
  let lock: DataFolderLock | undefined;
  try {
    config = loadConfig();
    // Before the application is even loaded (seconds of start-up): a second process on the same
    // data folder leaves at once, having written nothing.
    if (!config.databaseUrl) lock = acquireDataFolderLock(config.dataDir);
  } catch (err) {
    if (err instanceof ConfigError || err instanceof DataFolderBusyError || err instanceof DataFolderLockError) fail(err.message);
    throw err;
  }
  // WORKERS > 1: the primary loads no application, it runs the server processes (src/cluster.ts).
  if (config.workers > 1 && cluster.isPrimary) {
    const code = await runPrimary({
      workers: config.workers,
      shutdownDeadlineMs: SHUTDOWN_DEADLINE_MS,
      onReady: (first, seeded, worldSeeded) =>
        process.stdout.write(banner(config, first.url, seeded, worldSeeded, config.workers)),
      log: (line) => process.stderr.write(`${line}\n`),
    });
    process.exit(code);
  }
  // The database opens (PGlite: its WebAssembly compiles and PostgreSQL starts, most of a warm
  // start) while the application's modules load: both are dynamic imports, so the bundle keeps
  // them out of this file. They share the module loader's queue, though: PGlite's own module
  // loads once the application's have (KAIROS_START_TRACE shows it; docs/decisions/0039).
  // Opening it first was measured: no gain above the noise.
  startMark('main: settings read');
  const database = import('./db/database.js').then(({ openConfiguredDatabase }) => openConfiguredDatabase(config, { lock }));
  database.catch(() => {}); // handled: createRuntime awaits it and reports the failure
  let createRuntime: typeof CreateRuntime;
  try {
    ({ createRuntime } = await import('./runtime.js'));
    startMark('main: application loaded');
  } catch (err) {
    await database.then((handle) => handle.close()).catch(() => {});
    throw err;
  }
  const runtime = await createRuntime(config, { dataFolderLock: lock, database });
  startMark('main: runtime built');
  const address = await runtime.app.listen({ port: config.port, host: config.host });
  startMark('main: listening');
  await runtime.startControl();
  runtime.worker.start();
  const url = config.host === '127.0.0.1' || config.host === '0.0.0.0' ? `http://localhost:${config.port}` : address;
  if (cluster.isWorker) {
    const listening: ListeningMessage = { type: 'kairos:listening', url, seeded: runtime.seeded, worldSeeded: runtime.worldSeeded };
    process.send?.(listening);
  } else {
    process.stdout.write(banner(config, url, runtime.seeded, runtime.worldSeeded));
  }

  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) {
      runtime.app.log.warn({ signal }, 'second stop signal: exiting now');
      process.exit(1);
    }
    stopping = true;
    runtime.app.log.info({ signal }, 'shutting down');
    const force = setTimeout(() => {
      runtime.app.log.error({ deadlineMs: SHUTDOWN_DEADLINE_MS }, 'shutdown deadline reached: exiting now');
      process.exit(1);
    }, SHUTDOWN_DEADLINE_MS);
    force.unref();
    await runtime.close();
    process.exit(0);
  };
  process.on('SIGTERM', () => void stop('SIGTERM'));
  // From the cluster primary: stop as on SIGTERM, and no more than once (Ctrl-C signals us too).
  process.on('message', (message) => {
    if (message === STOP_MESSAGE && !stopping) void stop('primary');
  });
  process.on('SIGINT', () => void stop('SIGINT'));
}

main().catch((err) => {
  process.stderr.write(`Kairos n'a pas pu démarrer : ${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
});
