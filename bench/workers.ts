// Requests per second with WORKERS=1 and WORKERS=2 on PostgreSQL (node:cluster), the ratio
// printed; beside the same for a bare Fastify + pg server, measured in the same run.
// Two Kairos routes: the sign-in page (the server's own work: hooks, rendering, headers; the goal's
// figure) and a quote read by its organisation's editor (session lookup, the quote, the audit row:
// PostgreSQL's work too, on the same two cores, so it shows how far the database lets it scale).
// Run: TEST_DATABASE_URL=postgres://… npx tsx bench/workers.ts [seconds] (default 15 per run).
// The load generator shares the machine's cores with the servers: on 2 cores it takes its part,
// so each line prints the CPU autocannon used (this process) beside the servers' throughput.
// Last line: one JSON object (bench/run.ts).
import { loadavg } from 'node:os';
import autocannon from 'autocannon';
import pg from 'pg';
import { freePort } from '../test/helpers/processes.js';
import { signIn, type Session } from './hot-path/processes.js';
import { startProcess } from './support/processes.js';

const SECONDS = Number(process.argv[2] ?? 15);
const admin = process.env.TEST_DATABASE_URL;
if (!admin) throw new Error('TEST_DATABASE_URL is required (a PostgreSQL server where a bench database may be created)');
const name = `kairos_bench_workers_${process.pid}`;
const client = new pg.Client({ connectionString: admin });
await client.connect();
await client.query(`create database ${name}`);
const url = Object.assign(new URL(admin), { pathname: `/${name}` }).toString();

/** The editor's session and one of their quotes, signed in once: sessions live in the database, so
 * the cookie holds across both server runs (a TOTP code is accepted only once per account). */
let editor: { session: Session; path: string } | undefined;
async function editorQuote(base: string): Promise<{ path: string; headers: Record<string, string> }> {
  if (!editor) {
    const session = await signIn(base, 'devis.demo');
    const list = (await (await fetch(`${base}/api/v1/quotes`, { headers: session.headers })).json()) as { quotes: Array<{ id: string }> };
    if (!list.quotes[0]) throw new Error('the editor’s organisation has no quote: is the demo world seeded?');
    editor = { session, path: `/api/v1/quotes/${list.quotes[0].id}` };
  }
  return { path: editor.path, headers: editor.session.headers };
}

type Target = string | ((base: string) => Promise<{ path: string; headers: Record<string, string> }>);

async function run(label: string, script: string, ready: RegExp, workers: number, target: Target) {
  const port = await freePort();
  const env = {
    DATABASE_URL: url,
    WORKERS: String(workers),
    PORT: String(port),
    SEED_DEMO: 'true',
    SEED_DEMO_WORLD: 'true',
    // Limits meant for people, not for a load generator reading one quote: kept on, never reached.
    BULK_ACCESS_THRESHOLD_PER_HOUR: '100000',
  };
  const server = await startProcess(script, env, ready);
  try {
    const base = `http://127.0.0.1:${port}`;
    const { path, headers } = typeof target === 'string' ? { path: target, headers: {} } : await target(base);
    const check = await fetch(`${base}${path}`, { headers });
    if (check.status !== 200) throw new Error(`${path}: ${check.status} ${(await check.text()).slice(0, 200)}`);
    await autocannon({ url: `${base}${path}`, headers, connections: 10, duration: 2 }); // warm-up
    const cpuBefore = process.cpuUsage();
    const result = await autocannon({ url: `${base}${path}`, headers, connections: 50, duration: SECONDS });
    if (result.non2xx > 0 || result.errors > 0) throw new Error(`${path}: ${result.non2xx} non-2xx answers, ${result.errors} errors under load`);
    const cpu = process.cpuUsage(cpuBefore);
    // Share of one core the load generator took during the run (user + system).
    const generatorCore = (cpu.user + cpu.system) / 1e6 / SECONDS;
    console.log(
      `${label.padEnd(40)} WORKERS=${workers}  ${result.requests.average.toFixed(0).padStart(6)} req/s  p50 ${result.latency.p50} ms  p99 ${result.latency.p99} ms  non-2xx ${result.non2xx}  autocannon ${generatorCore.toFixed(2)} core  (load ${loadavg()[0]!.toFixed(1)})`,
    );
    return result.requests.average;
  } finally {
    await server.stop();
  }
}

try {
  console.log(`Throughput, 50 connections, ${SECONDS} s per run (load average at start ${loadavg().map((l) => l.toFixed(1)).join(' ')})`);
  const bare1 = await run('baseline: bare Fastify + pg, select 1', 'bench/support/bare-server.ts', /listening/, 1, '/');
  const bare2 = await run('baseline: bare Fastify + pg, select 1', 'bench/support/bare-server.ts', /listening/, 2, '/');
  const real1 = await run('Kairos GET /connexion', 'src/main.ts', /Connexion : \S+\/connexion\n/, 1, '/connexion');
  const real2 = await run('Kairos GET /connexion', 'src/main.ts', /Connexion : \S+\/connexion\n/, 2, '/connexion');
  const read1 = await run('Kairos GET /api/v1/quotes/{id} (editor)', 'src/main.ts', /Connexion : \S+\/connexion\n/, 1, editorQuote);
  const read2 = await run('Kairos GET /api/v1/quotes/{id} (editor)', 'src/main.ts', /Connexion : \S+\/connexion\n/, 2, editorQuote);
  const [bareRatio, realRatio, readRatio] = [bare2 / bare1, real2 / real1, read2 / read1];
  console.log(
    `ratio 2 workers / 1: baseline ${bareRatio.toFixed(2)}×, Kairos /connexion ${realRatio.toFixed(2)}× (goal ≥ 1.6×: ${realRatio >= 1.6 ? 'met' : 'NOT met'}), ` +
      `Kairos quote read ${readRatio.toFixed(2)}× (PostgreSQL on the same cores)`,
  );
  console.log(
    JSON.stringify({
      bench: 'workers',
      load: loadavg()[0],
      summary: `2 workers / 1: Kairos /connexion ${realRatio.toFixed(2)}× (${real1.toFixed(0)} → ${real2.toFixed(0)} req/s), quote read ${readRatio.toFixed(2)}×, bare ${bareRatio.toFixed(2)}×`,
      goalMet: realRatio >= 1.6,
      bare: { one: bare1, two: bare2, ratio: bareRatio },
      real: { one: real1, two: real2, ratio: realRatio },
      quoteRead: { one: read1, two: read2, ratio: readRatio },
    }),
  );
} finally {
  await client.query(`drop database if exists ${name} with (force)`);
  await client.end();
}
