// Start-up time of `npm start` (src/main.ts), each beside the bare floor measured in the same run:
// - first start on an empty DATA_DIR with the demo world, with the install-time PGlite template
//   and without it (KAIROS_CACHE_DIR pointed at an empty folder: initdb + migrations), beside a
//   bare PGlite initdb in a new process;
// - warm start on an existing PGlite folder, beside a bare PGlite open of the same folder;
// - warm start on PostgreSQL (BENCH_DATABASE_URL, skipped without it), beside node + pg connect.
// Times run from spawn until /healthz answers. Run: npx tsx bench/start-up.ts [runs] (default 3).
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import http from 'node:http';
import { loadavg, tmpdir } from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import { freePort } from '../test/helpers/processes.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const RUNS = Number(process.argv[2] ?? 3);
const DATABASE_URL = process.env.BENCH_DATABASE_URL;

function healthy(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const req = http.get({ host: '127.0.0.1', port, path: '/healthz' }, (res) => {
      res.resume();
      resolve(res.statusCode === 200);
    });
    req.on('error', () => resolve(false));
  });
}

function env(extra: Record<string, string>): NodeJS.ProcessEnv {
  return { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? tmpdir(), LOG_LEVEL: 'silent', ...extra };
}

/** Spawns node with `args`; ms until it exits 0 (port null) or its /healthz answers 200. */
async function timeRun(args: string[], extra: Record<string, string>, port: number | null): Promise<number> {
  const started = performance.now();
  const child = spawn(process.execPath, args, { cwd: root, env: env(extra), stdio: ['ignore', 'ignore', 'pipe'] });
  let err = '';
  child.stderr.setEncoding('utf8').on('data', (c: string) => (err += c));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  if (port === null) {
    const code = await exited;
    if (code !== 0) throw new Error(`exit ${code}: ${err}`);
    return performance.now() - started;
  }
  let done = false;
  void exited.then(() => (done = true));
  while (!(await healthy(port))) {
    if (done) throw new Error(`exited before /healthz answered: ${err}`);
    await sleep(20);
  }
  const ms = performance.now() - started;
  child.kill('SIGTERM');
  await exited;
  return ms;
}

interface Figure {
  name: string;
  median: number;
  min: number;
  max: number;
  load: number;
}

async function figure(name: string, once: () => Promise<number>): Promise<Figure> {
  const runs: number[] = [];
  for (let i = 0; i < RUNS; i++) runs.push(await once());
  runs.sort((a, b) => a - b);
  return { name, median: runs[Math.floor(runs.length / 2)]!, min: runs[0]!, max: runs.at(-1)!, load: loadavg()[0]! };
}

/** A new data folder per run, removed afterwards. */
async function inFreshDir<T>(work: (dataDir: string, scratch: string) => Promise<T>): Promise<T> {
  const dir = mkdtempSync(path.join(tmpdir(), 'kairos-bench-start-up-'));
  try {
    return await work(path.join(dir, 'data'), dir);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const main = ['--import', 'tsx', 'src/main.ts'];
const pgliteOpen = `import { PGlite } from '@electric-sql/pglite'; const db = new PGlite(process.env.DATA_DIR); await db.waitReady; await db.close();`;
const pgConnect = `import pg from 'pg'; const c = new pg.Client(process.env.DATABASE_URL); await c.connect(); await c.query('select 1'); await c.end();`;
const results: Figure[] = [];

results.push(await figure('baseline: bare PGlite initdb (new process)', () => inFreshDir((dir) => timeRun(['--input-type=module', '-e', pgliteOpen], { DATA_DIR: dir }, null))));
results.push(await figure('first start, demo world, with template', () => inFreshDir(async (dir) => { const port = await freePort(); return timeRun(main, { DATA_DIR: dir, PORT: String(port) }, port); })));
results.push(await figure('first start, demo world, no template', () => inFreshDir(async (dir, scratch) => { const port = await freePort(); return timeRun(main, { DATA_DIR: dir, PORT: String(port), KAIROS_CACHE_DIR: path.join(scratch, 'empty-cache') }, port); })));

await inFreshDir(async (dir) => {
  const port = await freePort();
  await timeRun(main, { DATA_DIR: dir, PORT: String(port) }, port); // the folder, demo world included
  results.push(await figure('baseline: bare PGlite open of that folder', () => timeRun(['--input-type=module', '-e', pgliteOpen], { DATA_DIR: dir }, null)));
  results.push(await figure('warm start, PGlite folder', async () => { const p = await freePort(); return timeRun(main, { DATA_DIR: dir, PORT: String(p) }, p); }));
});

if (DATABASE_URL) {
  results.push(await figure('baseline: node + pg connect', () => timeRun(['--input-type=module', '-e', pgConnect], { DATABASE_URL }, null)));
  const port = await freePort();
  await timeRun(main, { DATABASE_URL, PORT: String(port) }, port); // migrated and seeded once
  results.push(await figure('warm start, PostgreSQL', async () => { const p = await freePort(); return timeRun(main, { DATABASE_URL, PORT: String(p) }, p); }));
} else {
  console.log('(warm PostgreSQL start skipped: set BENCH_DATABASE_URL to a database it may fill)');
}

console.log(`Start-up until /healthz answers: ${RUNS} run(s) each, medians; load average (1 min) after each figure`);
for (const r of results) {
  const s = (ms: number) => (ms / 1000).toFixed(2).padStart(6);
  console.log(`${r.name.padEnd(44)} median ${s(r.median)} s   min ${s(r.min)} s   max ${s(r.max)} s   load ${r.load.toFixed(1)}`);
}
