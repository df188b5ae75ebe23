// Start-up time, from spawn until /healthz answers, each beside the bare floor measured in the
// same run (docs/decisions/0032 and 0039):
// - node running an empty script: the floor of any process;
// - warm start on an existing PGlite folder (the demo world in it): `npm start` as it runs now
//   (node scripts/start.mjs: the bundle of dist/), and from the TypeScript sources through tsx (the
//   start before decision 0039), beside node + a bare PGlite open of the same folder + an HTTP
//   server answering /healthz;
// - warm start on PostgreSQL, the same two beside node + pg + an HTTP server answering /healthz;
// - first start on an empty DATA_DIR with the demo world, with the install-time PGlite template
//   and without it, beside a bare PGlite initdb (skipped with --warm-only: a minute or more).
// The variants of a group alternate run by run, so that the machine's load weighs on each alike.
// Beside the wall time, the CPU time the process had used when /healthz answered (all its
// threads; the tsx variant's esbuild child is not counted), which the load changes much less.
// When the install's template is stale (a migration landed since `npm install`), one is prepared
// in a scratch cache for the « with template » figure, as `npm install` would.
// Run: npx tsx bench/start-up.ts [runs] [postgres://…] [--warm-only | --cold-only]. The PostgreSQL database is
// the URL given (migrated by the first start), or else one created on TEST_DATABASE_URL's
// server and dropped at the end; without either, the PostgreSQL figures are skipped.
// The last line is one JSON object (bench/run.ts builds its summary table from it).
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import http from 'node:http';
import { loadavg, tmpdir } from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import { freePort, NPM_START_NODE_FLAGS } from '../test/helpers/processes.js';
import { createPostgresDatabase } from '../test/helpers/runtime.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const args = process.argv.slice(2);
const RUNS = Number(args.find((a) => /^\d+$/.test(a)) ?? 3);
const WARM_ONLY = args.includes('--warm-only');
const COLD_ONLY = args.includes('--cold-only');
const givenUrl = args.find((a) => a.startsWith('postgres')) ?? process.env.BENCH_DATABASE_URL;
const CLOCK_TICKS_PER_SECOND = 100; // Linux's USER_HZ, what /proc/<pid>/stat counts in

interface Sample {
  ms: number;
  cpuMs: number | null;
}

function healthy(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const req = http.get({ host: '127.0.0.1', port, path: '/healthz' }, (res) => {
      res.resume();
      resolve(res.statusCode === 200);
    });
    req.on('error', () => resolve(false));
  });
}

/** User + system time of a live process, all threads, from /proc (null where there is none). */
function cpuMs(pid: number | undefined): number | null {
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
    return ((Number(fields[11]) + Number(fields[12])) * 1000) / CLOCK_TICKS_PER_SECOND;
  } catch {
    return null;
  }
}

function env(extra: Record<string, string>): NodeJS.ProcessEnv {
  return { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? tmpdir(), LOG_LEVEL: 'silent', ...extra };
}

/** Spawns node with `argv`; until it exits 0 (port null) or its /healthz answers 200. */
async function timeRun(argv: string[], extra: Record<string, string>, port: number | null): Promise<Sample> {
  const started = performance.now();
  const child = spawn(process.execPath, argv, { cwd: root, env: env(extra), stdio: ['ignore', 'ignore', 'pipe'] });
  let err = '';
  child.stderr.setEncoding('utf8').on('data', (c: string) => (err += c));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  if (port === null) {
    const code = await exited;
    if (code !== 0) throw new Error(`exit ${code}: ${err}`);
    return { ms: performance.now() - started, cpuMs: null };
  }
  let done = false;
  void exited.then(() => (done = true));
  while (!(await healthy(port))) {
    if (done) throw new Error(`exited before /healthz answered: ${err}`);
    await sleep(10);
  }
  const sample = { ms: performance.now() - started, cpuMs: cpuMs(child.pid) };
  child.kill('SIGTERM');
  await exited;
  return sample;
}

interface Figure {
  name: string;
  median: number;
  min: number;
  max: number;
  cpuMedian: number | null;
  load: number;
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)]!;
}

type Variant = [name: string, once: () => Promise<Sample>];

/** RUNS rounds; in each, every variant once, in order. */
async function group(variants: Variant[]): Promise<Figure[]> {
  const samples = variants.map(() => [] as Sample[]);
  for (let i = 0; i < RUNS; i++) {
    for (const [v, [, once]] of variants.entries()) samples[v]!.push(await once());
  }
  return variants.map(([name], v) => {
    const ms = samples[v]!.map((s) => s.ms);
    const cpu = samples[v]!.map((s) => s.cpuMs).filter((c): c is number => c !== null);
    return { name, median: median(ms), min: Math.min(...ms), max: Math.max(...ms), cpuMedian: cpu.length ? median(cpu) : null, load: loadavg()[0]! };
  });
}

/** A new scratch folder, removed afterwards; the data folder is `data` inside it. */
async function inFreshDir<T>(work: (dataDir: string, scratch: string) => Promise<T>): Promise<T> {
  const dir = mkdtempSync(path.join(tmpdir(), 'kairos-bench-start-up-'));
  try {
    return await work(path.join(dir, 'data'), dir);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const START = [...NPM_START_NODE_FLAGS, 'scripts/start.mjs']; // as `npm start` runs it
const FROM_SOURCES = ['--import', 'tsx', 'src/main.ts'];
const healthzServer = (open: string, query: string) =>
  `import http from 'node:http'; ${open}; http.createServer((q, r) => { ${query}.then(() => r.end('ok')); }).listen(Number(process.env.PORT), '127.0.0.1'); process.on('SIGTERM', () => process.exit(0));`;
const bareOpenBase = `import { PGlite } from '@electric-sql/pglite'; const db = new PGlite(process.env.DATA_DIR); await db.waitReady`;
const bareOpen = healthzServer(bareOpenBase, `db.query('select 1')`);
const bareInitdb = `${bareOpenBase}; await db.close();`;
const bareConnect = healthzServer(`import pg from 'pg'; const pool = new pg.Pool({ connectionString: process.env.DATABASE_URL }); await pool.query('select 1')`, `pool.query('select 1')`);
const onPort = (argv: string[], extra: Record<string, string>) => async () => {
  const port = await freePort();
  return timeRun(argv, { ...extra, PORT: String(port) }, port);
};

// The bundle is built before anything is timed: a warm start finds it current.
const build = spawnSync(process.execPath, ['scripts/build.mjs'], { cwd: root, encoding: 'utf8' });
if (build.status !== 0) throw new Error(`the build failed: ${build.stderr}`);
process.stdout.write(build.stdout);
const { sourceKey } = (await import(path.join(root, 'scripts', 'build.mjs'))) as { sourceKey(): string };
const checkStarted = performance.now();
sourceKey();
const staleCheckMs = performance.now() - checkStarted;

const results: Figure[] = [];
results.push(...(await group([['baseline: node running an empty script', () => timeRun(['-e', '0'], {}, null)]])));

if (!COLD_ONLY) await inFreshDir(async (dir) => {
  await onPort(START, { DATA_DIR: dir })(); // the folder, demo world included
  results.push(
    ...(await group([
      ['baseline: node + bare PGlite open + /healthz', onPort(['--input-type=module', '-e', bareOpen], { DATA_DIR: dir })],
      ['warm start, PGlite, npm start (bundle)', onPort(START, { DATA_DIR: dir })],
      ['warm start, PGlite, from sources (tsx)', onPort(FROM_SOURCES, { DATA_DIR: dir })],
    ])),
  );
});

const postgres = COLD_ONLY ? null : givenUrl ? { url: givenUrl, async drop() {} } : process.env.TEST_DATABASE_URL ? await createPostgresDatabase() : null;
if (postgres) {
  try {
    const DATABASE_URL = postgres.url;
    await onPort(START, { DATABASE_URL })(); // migrated once
    results.push(
      ...(await group([
        ['baseline: node + pg connect + /healthz', onPort(['--input-type=module', '-e', bareConnect], { DATABASE_URL })],
        ['warm start, PostgreSQL, npm start (bundle)', onPort(START, { DATABASE_URL })],
        ['warm start, PostgreSQL, from sources (tsx)', onPort(FROM_SOURCES, { DATABASE_URL })],
      ])),
    );
  } finally {
    await postgres.drop();
  }
} else if (!COLD_ONLY) {
  console.log('(warm PostgreSQL start skipped: pass a postgres:// URL it may migrate, or set TEST_DATABASE_URL)');
}

if (!WARM_ONLY) {
  const { templateReady } = await import('../src/db/pglite-template.js');
  const scratchCache = mkdtempSync(path.join(tmpdir(), 'kairos-bench-template-'));
  const withTemplate: Record<string, string> = {};
  if (!templateReady()) {
    console.log('(the install-time template is stale: one is prepared in a scratch cache, as npm install would)');
    const prepared = spawnSync(process.execPath, ['--import', 'tsx', 'scripts/prepare-pglite-template.ts'], { cwd: root, env: { ...process.env, KAIROS_CACHE_DIR: scratchCache }, encoding: 'utf8' });
    if (prepared.status !== 0 || /non préparé/.test(prepared.stderr)) throw new Error(`no template: ${prepared.stderr}`);
    withTemplate.KAIROS_CACHE_DIR = scratchCache;
  }
  results.push(
    ...(await group([
      ['baseline: bare PGlite initdb (new process)', () => inFreshDir((dir) => timeRun(['--input-type=module', '-e', bareInitdb], { DATA_DIR: dir }, null))],
      ['first start, demo world, with template', () => inFreshDir((dir) => onPort(START, { DATA_DIR: dir, ...withTemplate })())],
      ['first start, demo world, no template', () => inFreshDir((dir, scratch) => onPort(START, { DATA_DIR: dir, KAIROS_CACHE_DIR: path.join(scratch, 'empty-cache') })())],
    ])),
  );
  rmSync(scratchCache, { recursive: true, force: true });
}

const s = (ms: number) => `${(ms / 1000).toFixed(2).padStart(6)} s`;
console.log(`\nStart-up until /healthz answers: ${RUNS} run(s) each, variants alternating, medians; CPU = the process's user + system time at that moment`);
console.log(`Staleness check of the bundle (hash of the sources): ${staleCheckMs.toFixed(1)} ms`);
for (const r of results) {
  const cpu = r.cpuMedian === null ? '' : `   CPU ${s(r.cpuMedian)}`;
  console.log(`${r.name.padEnd(46)} median ${s(r.median)}   min ${s(r.min)}   max ${s(r.max)}${cpu}   load ${r.load.toFixed(1)}`);
}

const find = (name: string) => results.find((r) => r.name === name);
const warmPglite = find('warm start, PGlite, npm start (bundle)');
const barePglite = find('baseline: node + bare PGlite open + /healthz');
const warmPostgres = find('warm start, PostgreSQL, npm start (bundle)');
const barePostgres = find('baseline: node + pg connect + /healthz');
const first = find('first start, demo world, with template');
const secs = (ms: number) => `${(ms / 1000).toFixed(2)} s`;
const summary = [
  warmPglite && barePglite ? `warm PGlite ${secs(warmPglite.median)} (bare open ${secs(barePglite.median)}; goal < 1.5 s)` : 'PGlite not measured',
  warmPostgres && barePostgres ? `warm PostgreSQL ${secs(warmPostgres.median)} (bare ${secs(barePostgres.median)}; goal < 1 s)` : 'PostgreSQL not measured',
  first ? `first start ${secs(first.median)} (goal < 10 s)` : 'first start not measured',
].join('; ');
console.log(
  JSON.stringify({
    bench: 'start-up',
    load: loadavg()[0],
    summary,
    goalMet: (!warmPglite || warmPglite.median < 1500) && (!warmPostgres || warmPostgres.median < 1000) && (!first || first.median < 10_000),
    staleCheckMs: Number(staleCheckMs.toFixed(1)),
    figures: results.map((r) => ({ name: r.name, medianMs: Math.round(r.median), minMs: Math.round(r.min), maxMs: Math.round(r.max), cpuMedianMs: r.cpuMedian, load: Number(r.load.toFixed(2)) })),
  }),
);
