// Growth: do the organisation's reads stay flat when the database grows a hundredfold? The same
// routes are timed on a small and a large generated database (seed:scale, docs/decisions/0029),
// as the first generated organisation's accounts and the agency's advisor, through the real
// server over HTTP, beside a bare baseline (bare Fastify + pg, one primary-key select) on each.
//
// Run: npx tsx bench/growth.ts [small-url large-url]
// Without URLs, the databases kairos_growth_1e5 and kairos_growth_1e7 of the local PostgreSQL are
// used, created and generated first when they hold no generated organisation (the 10⁷ one takes
// about 6 minutes). Prints p95 per route at each scale, the ratio large/small, and the load average.
import { spawnSync } from 'node:child_process';
import os from 'node:os';
import Fastify from 'fastify';
import pg from 'pg';
import { loadConfig } from '../src/config.js';
import { DEMO_PASSWORD, DEMO_TOTP_SECRET } from '../src/demo/accounts.js';
import { totpCodeAt } from '../src/modules/identity/second-factor/totp.js';
import { createRuntime } from '../src/runtime.js';
import { percentile, timed } from './support/timing.js';

const REQUESTS = Number(process.env.BENCH_REQUESTS ?? 200);
const WARM_UP = 20;
const LOCAL = 'postgres://postgres@127.0.0.1:5432';
const SCALES = [
  { name: '10⁵', url: `${LOCAL}/kairos_growth_1e5`, args: ['--organisations', '10', '--candidates', '620', '--months', '12'] },
  { name: '10⁷', url: `${LOCAL}/kairos_growth_1e7`, args: ['--organisations', '1000', '--candidates', '62000', '--months', '12'] },
];
const given = process.argv.slice(2).filter((a) => a.startsWith('postgres'));
if (given.length === 2) given.forEach((url, i) => (SCALES[i]!.url = url));
else if (given.length) throw new Error('Usage: npx tsx bench/growth.ts [small-url large-url]');

const load = () => os.loadavg().map((n) => n.toFixed(1)).join(' ');

/** Creates and generates a local database unless it already holds generated organisations. */
async function ensureGenerated(scale: (typeof SCALES)[number]): Promise<void> {
  const name = new URL(scale.url).pathname.slice(1);
  const admin = new pg.Client({ connectionString: `${LOCAL}/postgres` });
  await admin.connect();
  const exists = (await admin.query('select 1 from pg_database where datname = $1', [name])).rowCount! > 0;
  if (!exists) await admin.query(`create database "${name.replace(/"/g, '')}"`);
  await admin.end();
  const c = new pg.Client({ connectionString: scale.url });
  await c.connect();
  const generated = await c.query(`select 1 from information_schema.tables where table_name = 'organisation'`).then(async (r) =>
    r.rowCount ? (await c.query(`select 1 from organisation where name = 'Organisme généré 1'`)).rowCount! > 0 : false,
  );
  await c.end();
  if (generated) return;
  console.error(`generating ${scale.name} into ${name} (seed:scale ${scale.args.join(' ')})…`);
  const run = spawnSync('npx', ['tsx', 'bench/scale/cli.ts', ...scale.args], { stdio: 'inherit', env: { ...process.env, DATABASE_URL: scale.url, SEED_DEMO: 'true', SEED_DEMO_WORLD: 'false' } });
  if (run.status !== 0) throw new Error(`seed:scale failed for ${name}`);
}

async function signIn(base: string, login: string): Promise<Record<string, string>> {
  const res = await fetch(`${base}/api/v1/session`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ login, password: DEMO_PASSWORD, otp: totpCodeAt(DEMO_TOTP_SECRET, new Date()) }),
  });
  if (res.status !== 200) throw new Error(`sign-in of ${login}: ${res.status} ${await res.text()}`);
  const cookie = res.headers.getSetCookie().find((c) => c.includes('kairos_session'))!.split(';')[0]!;
  return { cookie };
}


interface Prepared {
  rows: { attendance: number; quotes: number; orgQuotes: number; orgTrainings: number; orgStatuses: number };
  routes: Array<[string, string, Record<string, string>]>;
  close(): Promise<void>;
}

/** Starts the real server (and the bare baseline) on one database, signed in as its accounts. */
async function prepare(scale: (typeof SCALES)[number]): Promise<Prepared> {
  const config = loadConfig({
    // Not production: its APP_SECRET would replace the instance secret that sealed the generated
    // accounts' TOTP secrets, and they could no longer sign in.
    NODE_ENV: 'development',
    DATABASE_URL: scale.url,
    SEED_DEMO: 'true',
    SEED_DEMO_WORLD: 'false',
    LOG_LEVEL: 'silent',
    RATE_LIMIT_PER_MINUTE: '1000000',
    BULK_ACCESS_THRESHOLD_PER_HOUR: '100000',
    BULK_EXPORT_THRESHOLD_PER_HOUR: '100000',
    JOB_POLL_MS: '60000',
  });
  const rt = await createRuntime(config);
  const pool = new pg.Pool({ connectionString: scale.url, max: 4 });
  const bare = Fastify();
  try {
    const c = pool;
    const org = (await c.query(`select id from organisation where name = 'Organisme généré 1'`)).rows[0] as { id: string };
    const volumes = (
      await c.query(
        `select (select count(*) from attendance)::int as attendance, (select count(*) from quote)::int as quotes,
                (select count(*) from quote where organisation_id = $1)::int as org_quotes,
                (select count(*) from training where organisation_id = $1)::int as org_trainings,
                (select count(distinct status) from quote where organisation_id = $1)::int as org_statuses`,
        [org.id],
      )
    ).rows[0] as { attendance: number; quotes: number; org_quotes: number; org_trainings: number; org_statuses: number };
    // The organisation's training with the most attendance, and its latest month with some.
    const busiest = (
      await c.query(
        `select t.id, t.carif_oref_session as session, to_char(max(a.date), 'YYYY-MM') as month
         from training t join attendance a on a.training_id = t.id where t.organisation_id = $1
         group by t.id order by count(*) desc, t.id limit 1`,
        [org.id],
      )
    ).rows[0] as { id: string; session: string; month: string };
    const quoteId = ((await c.query(`select id from quote where organisation_id = $1 limit 1`, [org.id])).rows[0] as { id: string }).id;
    bare.get('/quote/:id', async (request) => (await pool.query('select * from quote where id = $1', [(request.params as { id: string }).id])).rows[0]);
    const bareBase = await bare.listen({ port: 0, host: '127.0.0.1' });
    const base = await rt.app.listen({ port: 0, host: '127.0.0.1' });
    const editor = await signIn(base, 'devis.org1');
    const officer = await signIn(base, 'assiduite.org1');
    const advisor = await signIn(base, 'conseiller.demo');
    const routes: Array<[string, string, Record<string, string>]> = [
      ['baseline: bare Fastify + pg, select by primary key', `${bareBase}/quote/${quoteId}`, {}],
      ['GET /api/v1/quotes (organisation)', `${base}/api/v1/quotes`, editor],
      ['GET /api/v1/quote-queue (advisor)', `${base}/api/v1/quote-queue`, advisor],
      ['GET /api/v1/trainings (organisation)', `${base}/api/v1/trainings`, officer],
      ['GET /api/v1/trainings/{id}/attendance?month=', `${base}/api/v1/trainings/${busiest.id}/attendance?month=${busiest.month}`, officer],
      ['GET /kairos/assiduite (grid page)', `${base}/kairos/assiduite?session=${encodeURIComponent(busiest.session)}&mois=${busiest.month}`, officer],
    ];
    return {
      rows: { attendance: volumes.attendance, quotes: volumes.quotes, orgQuotes: volumes.org_quotes, orgTrainings: volumes.org_trainings, orgStatuses: volumes.org_statuses },
      routes,
      async close() {
        await bare.close();
        await pool.end();
        await rt.close({ requestGraceMs: 1000 });
      },
    };
  } catch (err) {
    await bare.close();
    await pool.end();
    await rt.close({ requestGraceMs: 1000 });
    throw err;
  }
}

for (const scale of SCALES) if (given.length === 0) await ensureGenerated(scale);
const [small, large] = [await prepare(SCALES[0]!), await prepare(SCALES[1]!)];
try {
  console.log(`${REQUESTS} sequential requests per route and scale after ${WARM_UP} warm-up, the two scales alternating (the machine's load weighs on both alike); load average before: ${load()}`);
  for (const [i, m] of [small, large].entries()) {
    console.log(`${SCALES[i]!.name}: ${m.rows.attendance} attendance rows, ${m.rows.quotes} quotes; organisation 1: ${m.rows.orgQuotes} quotes in ${m.rows.orgStatuses} statuses, ${m.rows.orgTrainings} trainings`);
  }
  console.log(`| route | p50 ${SCALES[0]!.name} | p95 ${SCALES[0]!.name} | p50 ${SCALES[1]!.name} | p95 ${SCALES[1]!.name} | p95 ratio | ≤ 1.5× |`);
  console.log('|---|---|---|---|---|---|---|');
  const ratios: Array<{ route: string; p95Small: number; p95Large: number; ratio: number }> = [];
  for (const [r, [name, smallUrl, smallHeaders]] of small.routes.entries()) {
    const [, largeUrl, largeHeaders] = large.routes[r]!;
    const times: [number[], number[]] = [[], []];
    for (let i = 0; i < WARM_UP + REQUESTS; i++) {
      const a = await timed(smallUrl, smallHeaders);
      const b = await timed(largeUrl, largeHeaders);
      if (i >= WARM_UP) times[0].push(a), times[1].push(b);
    }
    const [s95, l95] = [percentile(times[0], 0.95), percentile(times[1], 0.95)];
    const ratio = l95 / s95;
    console.log(`| ${name} | ${percentile(times[0], 0.5).toFixed(1)} | ${s95.toFixed(1)} | ${percentile(times[1], 0.5).toFixed(1)} | ${l95.toFixed(1)} | ${ratio.toFixed(2)} | ${ratio <= 1.5 ? 'yes' : 'NO'} |`);
    ratios.push({ route: name, p95Small: s95, p95Large: l95, ratio: Number(ratio.toFixed(2)) });
  }
  console.log(`load average after: ${load()}`);
  const worst = ratios.reduce((a, b) => (b.ratio > a.ratio ? b : a));
  console.log(
    JSON.stringify({
      bench: 'growth',
      load: os.loadavg()[0],
      summary: `worst p95 ${SCALES[1]!.name} / ${SCALES[0]!.name}: ${worst.route} ${worst.ratio}×`,
      goalMet: ratios.every((r) => r.ratio <= 1.5),
      ratios,
    }),
  );
} finally {
  await small.close();
  await large.close();
}
