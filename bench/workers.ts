// Requests per second with WORKERS=1 and WORKERS=2 on PostgreSQL (node:cluster), the ratio
// printed; beside the same for a bare Fastify + pg server, measured in the same run.
// Run: TEST_DATABASE_URL=postgres://… npx tsx bench/workers.ts [seconds] (default 15 per run).
// The load generator shares the machine's cores with the servers: on 2 cores it takes its part,
// so each line prints the CPU autocannon used (this process) beside the servers' throughput.
// Last line: one JSON object (bench/run.ts).
import { loadavg } from 'node:os';
import autocannon from 'autocannon';
import pg from 'pg';
import { freePort } from '../test/helpers/processes.js';
import { startProcess } from './support/processes.js';

const SECONDS = Number(process.argv[2] ?? 15);
const admin = process.env.TEST_DATABASE_URL;
if (!admin) throw new Error('TEST_DATABASE_URL is required (a PostgreSQL server where a bench database may be created)');
const name = `kairos_bench_workers_${process.pid}`;
const client = new pg.Client({ connectionString: admin });
await client.connect();
await client.query(`create database ${name}`);
const url = Object.assign(new URL(admin), { pathname: `/${name}` }).toString();

async function run(label: string, script: string, ready: RegExp, workers: number, urlPath: string) {
  const port = await freePort();
  const server = await startProcess(script, { DATABASE_URL: url, WORKERS: String(workers), PORT: String(port), SEED_DEMO: 'true' }, ready);
  try {
    await autocannon({ url: `http://127.0.0.1:${port}${urlPath}`, connections: 10, duration: 2 }); // warm-up
    const cpuBefore = process.cpuUsage();
    const result = await autocannon({ url: `http://127.0.0.1:${port}${urlPath}`, connections: 50, duration: SECONDS });
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
  const [bareRatio, realRatio] = [bare2 / bare1, real2 / real1];
  console.log(`ratio 2 workers / 1: baseline ${bareRatio.toFixed(2)}×, Kairos ${realRatio.toFixed(2)}× (goal ≥ 1.6×: ${realRatio >= 1.6 ? 'met' : 'NOT met'})`);
  console.log(
    JSON.stringify({
      bench: 'workers',
      load: loadavg()[0],
      summary: `2 workers / 1: Kairos ${realRatio.toFixed(2)}× (${real1.toFixed(0)} → ${real2.toFixed(0)} req/s), bare ${bareRatio.toFixed(2)}×`,
      goalMet: realRatio >= 1.6,
      bare: { one: bare1, two: bare2, ratio: bareRatio },
      real: { one: real1, two: real2, ratio: realRatio },
    }),
  );
} finally {
  await client.query(`drop database if exists ${name} with (force)`);
  await client.end();
}
