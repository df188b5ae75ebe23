// EXPLAIN ANALYZE of every read GET /api/v1/dashboard sends for each role, on a generated
// database. Run: npx tsx bench/scale/explain-dashboard.ts postgres://…
// Prints, per role and statement, the execution time, the scans and the statement's start.
import os from 'node:os';
import { ManualClock } from '../../src/clock.js';
import { loadConfig } from '../../src/config.js';
import { createRuntime } from '../../src/runtime.js';
import { dashboardRoutes, grantGeneratedTrainer } from '../../test/helpers/query-plans.js';
import { printRoutePlans } from './print-plans.js';
import { signInAs } from '../../test/helpers/session.js';

const url = process.argv[2];
if (!url?.startsWith('postgres')) throw new Error('Usage: npx tsx bench/scale/explain-dashboard.ts postgres://…');
const clock = new ManualClock(new Date());
const rt = await createRuntime(
  loadConfig({ NODE_ENV: 'development', DATABASE_URL: url, SEED_DEMO: 'true', SEED_DEMO_WORLD: 'false', LOG_LEVEL: 'silent', RATE_LIMIT_PER_MINUTE: '1000000', BULK_ACCESS_THRESHOLD_PER_HOUR: '100000', JOB_POLL_MS: '60000', DB_STATEMENT_TIMEOUT_MS: '600000' }),
  { clock },
);
try {
  await grantGeneratedTrainer(rt.ctx.db);
  const logins = { editor: 'devis.org1', officer: 'assiduite.org1', advisor: 'conseiller.demo', agency: 'admin.agence', trainer: 'rgc.org1' } as const;
  const only = process.argv.slice(3);
  console.log(`load average: ${os.loadavg().map((n) => n.toFixed(1)).join(' ')}`);
  for (const route of [...dashboardRoutes(), { name: 'dashboard (agency)', url: '/api/v1/dashboard', as: 'agency' as const }]) {
    if (only.length && !only.includes(route.as)) continue;
    const who = await signInAs(rt.app, clock, logins[route.as]);
    await printRoutePlans(rt, route, who.headers);
  }
} finally {
  await rt.close({ requestGraceMs: 0 });
}
