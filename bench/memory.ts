// Resident memory of the real server (`npm start`'s scripts/start.mjs in its own process, NODE_ENV=production) on
// both engines, idle and under load, beside a bare baseline in the same run: on PGlite a bare
// Fastify + in-memory PGlite doing a session lookup (bench/memory/bare-pglite.ts), on PostgreSQL
// bare Fastify + pg doing the session lookup and the quote list (bench/hot-path/bare-server.ts).
// Each measure: RSS idle after start and sign-in, the highest RSS sampled during autocannon at
// 10 then 100 connections on authenticated reads, and RSS 3 s after the load.
// Run: npx tsx bench/memory.ts [postgres://…] (default TEST_DATABASE_URL; a bench database is
// created and dropped; without a URL only PGlite is measured). BENCH_SECONDS (default 10) per
// route and connection count; BENCH_NODE_FLAGS="--max-semi-space-size=…" gives the real server
// these node flags instead of npm start's (to compare settings); BENCH_ENGINES=pglite,postgres keeps some engines.
// Goal: real server RSS < 250 MB idle and under 100 connections. Last line: one JSON object.
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import path from 'node:path';
import autocannon from 'autocannon';
import pg from 'pg';
import { signIn, type Session } from './hot-path/processes.js';
import { freePort, NPM_START_NODE_FLAGS } from '../test/helpers/processes.js';
import { startProcess, treeRssMb, type Started } from './support/processes.js';

const SECONDS = Number(process.env.BENCH_SECONDS ?? 10);
const GOAL_MB = 250;
const admin = process.argv.find((a) => a.startsWith('postgres')) ?? process.env.TEST_DATABASE_URL;
const engines = (process.env.BENCH_ENGINES ?? 'pglite,postgres').split(',').filter((e) => e === 'pglite' || (e === 'postgres' && admin));
// npm start's own flags unless BENCH_NODE_FLAGS says otherwise (empty: none at all).
const nodeFlags = process.env.BENCH_NODE_FLAGS === undefined ? NPM_START_NODE_FLAGS : process.env.BENCH_NODE_FLAGS.split(' ').filter(Boolean);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const load = () => Number(loadavg()[0]!.toFixed(2));

interface Figures {
  idle: number;
  peak10: number;
  peak100: number;
  after: number;
  rps10: number;
  rps100: number;
}

/** Loads `targets` at 10 then 100 connections, sampling the process tree's RSS every 100 ms. */
async function measure(server: Started, base: string, targets: string[], headers: Record<string, string>): Promise<Figures> {
  const pid = server.child.pid!;
  await sleep(3000);
  const idle = treeRssMb(pid);
  const figures: Figures = { idle, peak10: 0, peak100: 0, after: 0, rps10: 0, rps100: 0 };
  for (const connections of [10, 100] as const) {
    let peak = 0;
    const sampler = setInterval(() => (peak = Math.max(peak, treeRssMb(pid))), 100);
    let rps = 0;
    for (const target of targets) {
      const r = await autocannon({ url: `${base}${target}`, headers, connections, duration: SECONDS });
      if (r.non2xx > 0 || r.errors > 0) throw new Error(`${target}: ${r.non2xx} non-2xx, ${r.errors} errors under load`);
      rps += r.requests.average / targets.length;
    }
    clearInterval(sampler);
    figures[connections === 10 ? 'peak10' : 'peak100'] = Math.max(peak, treeRssMb(pid));
    figures[connections === 10 ? 'rps10' : 'rps100'] = Math.round(rps);
  }
  await sleep(3000);
  figures.after = treeRssMb(pid);
  return figures;
}

const rows: Array<{ engine: string; process: string } & Figures & { load: number }> = [];
const READS = ['/api/v1/me', '/api/v1/quotes'];
for (const engine of engines) {
  const cleanup: Array<() => Promise<void> | void> = [];
  try {
    const env: Record<string, string> = { NODE_ENV: 'production', APP_SECRET: randomBytes(32).toString('hex'), AUDIT_SIGNING_KEY: randomBytes(32).toString('base64'), SEED_DEMO: 'true', BULK_ACCESS_THRESHOLD_PER_HOUR: '100000' };
    let bare: Started;
    let bareTargets: string[];
    if (engine === 'pglite') {
      const dir = mkdtempSync(path.join(tmpdir(), 'kairos-memory-'));
      cleanup.push(() => rmSync(dir, { recursive: true, force: true }));
      env.DATA_DIR = dir;
      bare = await startProcess('bench/memory/bare-pglite.ts', {}, /listening \d+/);
      bareTargets = ['/lookup'];
    } else {
      const name = `kairos_bench_memory_${process.pid}`;
      const client = new pg.Client({ connectionString: admin });
      await client.connect();
      await client.query(`create database ${name}`);
      cleanup.push(async () => {
        await client.query(`drop database if exists ${name} with (force)`);
        await client.end();
      });
      env.DATABASE_URL = Object.assign(new URL(admin!), { pathname: `/${name}` }).toString();
      bareTargets = ['/quotes'];
      bare = null as unknown as Started;
    }
    const port = await freePort();
    // What `npm start` runs: the bundle of dist/ in plain node (BENCH_FROM_SOURCES=1: src/main.ts
    // through tsx, as measured before decision 0039, whose loader holds memory of its own).
    // BENCH_SERVER_ENTRY: another built entry (a copy of an earlier bundle, to compare two versions).
    const entry = process.env.BENCH_SERVER_ENTRY ?? (process.env.BENCH_FROM_SOURCES ? 'src/main.ts' : 'scripts/start.mjs');
    const server = await startProcess(entry, { ...env, PORT: String(port) }, /Connexion : \S+\/connexion\n/, nodeFlags);
    cleanup.push(() => server.stop());
    const app = `http://127.0.0.1:${port}`;
    const session: Session = await signIn(app, 'devis.demo');
    if (engine === 'postgres') {
      bare = await startProcess('bench/hot-path/bare-server.ts', { DATABASE_URL: env.DATABASE_URL!, SESSION_COOKIE: '__Host-kairos_session' }, /listening \d+/);
    }
    cleanup.push(() => bare.stop());
    const barePort = /listening (\d+)/.exec(bare.output)?.[1];
    const bareBase = `http://127.0.0.1:${barePort}`;
    rows.push({ engine, process: `bare (${engine === 'pglite' ? 'Fastify + PGlite' : 'Fastify + pg'})`, ...(await measure(bare, bareBase, bareTargets, session.headers)), load: load() });
    rows.push({ engine, process: `Kairos (${nodeFlags.join(' ') || 'no node flag'})`, ...(await measure(server, app, READS, session.headers)), load: load() });
  } finally {
    for (const c of cleanup.reverse()) await c();
  }
}

const mb = (n: number) => n.toFixed(0);
console.log(`Resident memory (MB, process and its children), ${SECONDS} s per route and connection count; reads ${READS.join(', ')}`);
console.log('| engine | process | idle | peak @10 | peak @100 | 3 s after | req/s @10 | req/s @100 | load |');
console.log('|---|---|---|---|---|---|---|---|---|');
for (const r of rows) console.log(`| ${r.engine} | ${r.process} | ${mb(r.idle)} | ${mb(r.peak10)} | ${mb(r.peak100)} | ${mb(r.after)} | ${r.rps10} | ${r.rps100} | ${r.load} |`);
const real = rows.filter((r) => r.process.startsWith('Kairos'));
const met = real.length > 0 && real.every((r) => Math.max(r.idle, r.peak10, r.peak100, r.after) < GOAL_MB);
console.log(`goal (Kairos < ${GOAL_MB} MB idle and under 100 connections): ${met ? 'met' : 'NOT met'}`);
console.log(
  JSON.stringify({
    bench: 'memory',
    load: loadavg()[0],
    summary: real.map((r) => `${r.engine}: idle ${mb(r.idle)} MB, peak ${mb(Math.max(r.peak10, r.peak100))} MB (bare ${mb(rows.find((b) => b.engine === r.engine && b !== r)?.peak100 ?? 0)})`).join('; '),
    goalMet: met,
    nodeFlags,
    rows,
  }),
);
