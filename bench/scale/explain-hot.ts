// EXPLAIN ANALYZE of every read the hot routes send (test/helpers/query-plans.ts), on a generated
// database, to find what grows with the data. Run: npx tsx bench/scale/explain-hot.ts postgres://…
// Prints, per route and statement, the execution time, the scans and the statement's start.
import os from 'node:os';
import { ManualClock } from '../../src/clock.js';
import { loadConfig } from '../../src/config.js';
import { createRuntime } from '../../src/runtime.js';
import { hotRoutes } from '../../test/helpers/query-plans.js';
import { printRoutePlans } from './print-plans.js';
import { signInAs } from '../../test/helpers/session.js';

const url = process.argv[2];
if (!url?.startsWith('postgres')) throw new Error('Usage: npx tsx bench/scale/explain-hot.ts postgres://…');
const clock = new ManualClock(new Date());
const rt = await createRuntime(
  loadConfig({ NODE_ENV: 'development', DATABASE_URL: url, SEED_DEMO: 'true', SEED_DEMO_WORLD: 'false', LOG_LEVEL: 'silent', RATE_LIMIT_PER_MINUTE: '1000000', BULK_ACCESS_THRESHOLD_PER_HOUR: '100000', JOB_POLL_MS: '60000' }),
  { clock },
);
try {
  const accounts = {
    editor: await signInAs(rt.app, clock, 'devis.org1'),
    officer: await signInAs(rt.app, clock, 'assiduite.org1'),
    advisor: await signInAs(rt.app, clock, 'conseiller.demo'),
  };
  console.log(`load average: ${os.loadavg().map((n) => n.toFixed(1)).join(' ')}`);
  for (const route of await hotRoutes(rt.ctx.db)) {
    await printRoutePlans(rt, route, accounts[route.as as keyof typeof accounts].headers);
  }
} finally {
  await rt.close({ requestGraceMs: 0 });
}
