import { ConfigError, loadConfig, type Config } from './config.js';
import { DEMO_ACCOUNTS, DEMO_PASSWORD, DEMO_TOTP_SECRET } from './demo/accounts.js';
import { createRuntime } from './runtime.js';

function banner(config: Config, url: string, seeded: boolean): string {
  const lines = [
    '',
    `Kairos est démarré : ${url}`,
    `Base de données : ${config.databaseUrl ? 'PostgreSQL (DATABASE_URL)' : `PGlite embarqué (${config.dataDir})`}`,
  ];
  if (config.demoMode) {
    lines.push(
      seeded ? 'Données de démonstration créées.' : 'Données de démonstration déjà présentes (conservées).',
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

async function main() {
  let config: Config;
  try {
    config = loadConfig();
  } catch (err) {
    if (err instanceof ConfigError) {
      process.stderr.write(`${err.message}\n`);
      process.exit(1);
    }
    throw err;
  }
  const runtime = await createRuntime(config);
  const address = await runtime.app.listen({ port: config.port, host: config.host });
  runtime.worker.start();
  const url = config.host === '127.0.0.1' || config.host === '0.0.0.0' ? `http://localhost:${config.port}` : address;
  process.stdout.write(banner(config, url, runtime.seeded));

  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    runtime.app.log.info({ signal }, 'shutting down');
    const force = setTimeout(() => process.exit(1), 15_000);
    force.unref();
    await runtime.close();
    process.exit(0);
  };
  process.on('SIGTERM', () => void stop('SIGTERM'));
  process.on('SIGINT', () => void stop('SIGINT'));
}

main().catch((err) => {
  process.stderr.write(`Kairos n'a pas pu démarrer : ${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
});
