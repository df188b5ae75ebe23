// `npm run seed:scale -- --organisations N --candidates M --months K`: adds generated training
// organisations, candidates, quotes in every status, trainings with their half-days and K months
// of attendance to the configured database (PostgreSQL through DATABASE_URL, or the PGlite folder
// DATA_DIR), for load and growth measurements. Demo mode only: the generated accounts sign in with
// the public demo password and TOTP secret. Progress goes to stderr; the last line of stdout is one
// JSON object with the counts and the seconds taken.
import { sql } from 'kysely';
import { runCommand } from '../../src/cli-support.js';
import { systemClock } from '../../src/clock.js';
import { loadConfig } from '../../src/config.js';
import type { AppContext } from '../../src/context.js';
import { openDatabase } from '../../src/db/database.js';
import { instanceSecret } from '../../src/db/instance-settings.js';
import { migrateToLatest } from '../../src/db/migrate.js';
import { DEMO_PASSWORD, DEMO_TOTP_SECRET } from '../../src/demo/accounts.js';
import { seedDemoData } from '../../src/demo/seed.js';
import { createMetrics } from '../../src/metrics.js';
import { createSecretBox, hashPassword } from '../../src/modules/identity/index.js';
import { fillMissingWarnings } from '../../src/modules/quotes/index.js';
import { refreshDashboardFigures } from '../../src/modules/dashboard/index.js';
import { parseScaleArgs } from './args.js';
import { scalePlan } from './plan.js';
import { writeScale } from './writer.js';

/** One chunk's INSERT … SELECT may take minutes on a busy machine: not the server's 15 s request budget. */
const STATEMENT_TIMEOUT_MS = 3_600_000;

async function main(): Promise<number> {
  const parsed = parseScaleArgs(process.argv.slice(2));
  if (!parsed.ok) {
    process.stderr.write(`${parsed.message}\n`);
    return 1;
  }
  const config = loadConfig();
  if (!config.demoMode) {
    process.stderr.write(
      'seed:scale crée des comptes au mot de passe et au secret TOTP publics de la démonstration : il ne fonctionne qu’en mode démonstration. ' +
        'Lancez-le sur une base de démonstration (SEED_DEMO=true), jamais sur une base réelle. Rien n’a été écrit.\n',
    );
    return 1;
  }
  const started = performance.now();
  const elapsed = () => `${((performance.now() - started) / 1000).toFixed(1)} s`;
  const progress = (line: string) => process.stderr.write(`[${elapsed()}] ${line}\n`);
  // Embedded: opening takes the data folder's lock, so a running server makes this exit 1 naming it.
  const handle = await openDatabase({ databaseUrl: config.databaseUrl, dataDir: config.databaseUrl ? null : config.dataDir, fsync: config.pgliteFsync, statementTimeoutMs: STATEMENT_TIMEOUT_MS });
  try {
    progress(`base ${handle.engine === 'postgres' ? 'PostgreSQL (DATABASE_URL)' : `PGlite (${config.dataDir})`} : migrations…`);
    await migrateToLatest(handle.db);
    const secretBox = createSecretBox(await instanceSecret(handle.db, config.appSecret));
    const now = systemClock.now();
    // The demo base a first start would seed (agency, advisor), so the generated quotes have an
    // advisor and a later start does not seed it beside them.
    const ctx: AppContext = { db: handle.db, engine: handle.engine, config, clock: systemClock, secretBox, metrics: createMetrics() };
    if (await seedDemoData(ctx)) progress('données de démonstration créées');
    const secrets = { passwordHash: await hashPassword(DEMO_PASSWORD), sealedTotp: secretBox.seal(DEMO_TOTP_SECRET) };
    const counts = await writeScale(handle.db, scalePlan(now, parsed.args.months), parsed.args, secrets, now, progress);
    // Quotes are written by SQL: their stored warnings are computed now, not on the first queue read.
    progress('avertissements des devis…');
    await fillMissingWarnings(handle.db);
    // Filling rewrote every quote: without this the planner keeps the statistics taken while
    // every warning was missing (it then scans the whole table for the missing ones), and the
    // rewritten rows are not yet marked visible (no index-only scan), which autovacuum would do
    // in a database that grew over time.
    progress('statistiques des devis (VACUUM ANALYZE)…');
    await sql`vacuum analyze quote, quote_version`.execute(handle.db);
    // The dashboards' attendance summaries would wait for their first job run (up to 10 minutes).
    progress('résumés d’assiduité des tableaux de bord…');
    await refreshDashboardFigures(handle.db);
    await sql`vacuum analyze attendance_month_summary, attendance_training_summary`.execute(handle.db);
    const seconds = Math.round((performance.now() - started) / 100) / 10;
    process.stdout.write(`${JSON.stringify({ ...counts, seconds })}\n`);
    return 0;
  } finally {
    await handle.close();
  }
}

runCommand('Génération impossible', main);
