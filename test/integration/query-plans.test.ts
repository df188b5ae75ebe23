/**
 * The hot reads stay on indexes as the data grows: over a generated data set (seed:scale, with
 * enough rows that the planner prefers an index where one fits, and its ANALYZE), every read
 * statement the hot routes actually send — captured while each request runs — is explained with
 * its parameters, and none may scan a large table sequentially. A new query shape without an
 * index, or an index dropped, fails here on both engines before it shows at 10⁷ rows.
 */
import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import { ManualClock } from '../../src/clock.js';
import { loadConfig } from '../../src/config.js';
import { createRuntime } from '../../src/runtime.js';
import { COMMANDS, runCommand } from '../helpers/processes.js';
import { dashboardRoutes, explain, grantGeneratedTrainer, hotRoutes, largeTables, readsOf, seqScansOf } from '../helpers/query-plans.js';
import { ENGINES, createPostgresDatabase } from '../helpers/runtime.js';
import { signInAs } from '../helpers/session.js';

// 200 organisations of 30 candidates: 6 000 quotes, 3 000 trainings, ~10⁵ attendance rows. One
// organisation holds 0.5 % of each table, the share it has at 10⁷ rows (1 000 organisations), so
// an index is what the planner should choose; with 20 organisations (5 % each) hashing the whole
// candidate table is cheaper than 300 index probes, and the planner rightly does so.
const GENERATED = ['--organisations', '200', '--candidates', '6000', '--months', '2'];
/** A table with at least this many rows must never be read whole by a hot route. */
const LARGE_ROWS = 2_500;
/**
 * The generated advisor decided every generated quote: their trainees at risk are every training
 * in progress, and reading those (not their attendance: the summary holds it) is the figure.
 */
const WHOLE_SCOPE: Record<string, readonly string[]> = { 'dashboard (advisor)': ['training', 'candidate', 'quote'] };

const cleanups: Array<() => Promise<void> | void> = [];
after(async () => {
  for (const cleanup of cleanups.reverse()) await cleanup();
});

async function generatedDatabase(): Promise<Record<string, string>> {
  const database = await createPostgresDatabase();
  cleanups.push(() => database.drop());
  const env = { DATABASE_URL: database.url, SEED_DEMO: 'true' };
  const result = await runCommand(COMMANDS.seedScale, GENERATED, { ...env, LOG_LEVEL: 'silent', SEED_DEMO_WORLD: 'false' }, 400_000);
  assert.equal(result.code, 0, result.stderr);
  return env;
}

// PostgreSQL, the engine that holds large databases. PGlite (embedded, one organisation's data
// in practice) plans with PostgreSQL 17's planner: on this data set it hashes the candidate table
// for the quote list, a fair choice at 6 000 rows, and a data set large enough to change that
// takes minutes to generate in WebAssembly (docs/decisions/0034-growth-at-scale.md).
for (const engine of ENGINES.filter((e) => e === 'postgres')) {
  describe(`query plans of the hot reads (${engine})`, () => {
    it('no hot read scans a large table sequentially', { timeout: 600_000 }, async () => {
      const env = await generatedDatabase();
      const clock = new ManualClock(new Date());
      const config = loadConfig({ NODE_ENV: 'test', SEED_DEMO: 'true', SEED_DEMO_WORLD: 'false', LOG_LEVEL: 'silent', RATE_LIMIT_PER_MINUTE: '100000', ...env });
      const runtime = await createRuntime(config, { clock });
      try {
        const db = runtime.ctx.db;
        const large = await largeTables(db, LARGE_ROWS);
        // The check means something only if the tables the routes read are large.
        for (const table of ['quote', 'candidate', 'training', 'training_session', 'attendance']) {
          assert.ok(large.has(table), `${table} is not large enough for the planner to prefer its indexes: ${JSON.stringify([...large])}`);
        }
        await grantGeneratedTrainer(db);
        const accounts = {
          editor: await signInAs(runtime.app, clock, 'devis.org1'),
          officer: await signInAs(runtime.app, clock, 'assiduite.org1'),
          advisor: await signInAs(runtime.app, clock, 'conseiller.demo'),
          trainer: await signInAs(runtime.app, clock, 'rgc.org1'),
          agency: await signInAs(runtime.app, clock, 'admin.agence'),
        };
        const found: string[] = [];
        let explained = 0;
        // The dashboards of the organisation's roles, the advisor and the trainer; the agency
        // administrator's figures are agency-wide by nature (docs/decisions/0049-dashboard-figures-at-scale.md).
        for (const route of [...(await hotRoutes(db)), ...dashboardRoutes()]) {
          const { result, reads } = await readsOf(() => runtime.app.inject({ method: 'GET', url: route.url, headers: accounts[route.as].headers }));
          assert.equal(result.statusCode, 200, `${route.name}: ${result.body.slice(0, 300)}`);
          assert.ok(reads.length > 0, `${route.name}: no statement captured`);
          for (const read of reads) {
            const scans = seqScansOf(await explain(db, read), large).filter((t) => !WHOLE_SCOPE[route.name]?.includes(t));
            explained++;
            if (scans.length) found.push(`${route.name}: sequential scan of ${scans.join(', ')} in\n  ${read.text.replace(/\s+/g, ' ')}`);
          }
        }
        assert.ok(explained >= 20, `only ${explained} statements explained`);
        assert.deepEqual(found, []);
      } finally {
        await runtime.close({ requestGraceMs: 0 });
      }
    });
  });
}
