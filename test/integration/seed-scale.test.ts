/**
 * `npm run seed:scale` on both engines with small numbers: the counts it prints match the
 * database, the rows follow the product's rules, the audit chain still verifies, and a generated
 * attendance officer signs in and lists the trainings. Bad arguments and refusals write nothing.
 */
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, describe, it } from 'node:test';
import { sql } from 'kysely';
import pg from 'pg';
import { ManualClock } from '../../src/clock.js';
import { loadConfig } from '../../src/config.js';
import { acquireDataFolderLock } from '../../src/db/data-folder-lock.js';
import type { Database, Engine } from '../../src/db/database.js';
import { verifyAuditChain } from '../../src/modules/audit/service.js';
import { isPublicHoliday } from '../../src/modules/quotes/rules/holidays.js';
import { QUOTE_STATUSES } from '../../src/modules/quotes/rules/lifecycle.js';
import { quoteInputOf } from '../../src/modules/quotes/record/quote-json.js';
import { quoteInputSchema } from '../../src/modules/quotes/rules/quote-schema.js';
import { pedagogicalCostMatches, plannedHoursMatchDeclared } from '../../src/modules/quotes/rules/quote-rules.js';
import { entryShapeProblems } from '../../src/modules/training/rules.js';
import { createRuntime, type Runtime } from '../../src/runtime.js';
import { parseScaleArgs } from '../../bench/scale/args.js';
import { COMMANDS, runCommand } from '../helpers/processes.js';
import { ENGINES, createPostgresDatabase } from '../helpers/runtime.js';
import { signInAs } from '../helpers/session.js';

const SMALL = ['--organisations', '10', '--candidates', '500', '--months', '2'];
/** Rows (aliased t) of a generated organisation. */
const GENERATED_ORGANISATION = sql`t.organisation_id in (select id from organisation where name like 'Organisme généré %')`;
const cleanups: Array<() => Promise<void> | void> = [];
after(async () => {
  for (const cleanup of cleanups.reverse()) await cleanup();
});

/** Where the command writes: a fresh PGlite folder (not created yet) or a fresh PostgreSQL database. */
async function target(engine: Engine): Promise<{ env: Record<string, string>; dataDir: string | null; url: string | null }> {
  if (engine === 'pglite') {
    const parent = mkdtempSync(path.join(tmpdir(), 'kairos-scale-'));
    cleanups.push(() => rmSync(parent, { recursive: true, force: true }));
    const dataDir = path.join(parent, 'data');
    return { env: { DATA_DIR: dataDir, PGLITE_FSYNC: 'false', LOG_LEVEL: 'silent' }, dataDir, url: null };
  }
  const database = await createPostgresDatabase();
  cleanups.push(() => database.drop());
  return { env: { DATABASE_URL: database.url, SEED_DEMO: 'true', LOG_LEVEL: 'silent' }, dataDir: null, url: database.url };
}

async function tablesIn(url: string): Promise<number> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return Number((await client.query(`select count(*) as n from information_schema.tables where table_schema = 'public'`)).rows[0].n);
  } finally {
    await client.end();
  }
}

async function nothingWritten(t: { dataDir: string | null; url: string | null }) {
  if (t.dataDir) assert.equal(existsSync(t.dataDir), false, 'the data folder was created');
  if (t.url) assert.equal(await tablesIn(t.url), 0, 'tables were created');
}

async function count(db: Database, query: ReturnType<typeof sql<{ n: number }>>): Promise<number> {
  return Number((await query.execute(db)).rows[0]!.n);
}

async function openRuntime(engine: Engine, t: { dataDir: string | null; url: string | null }, clock: ManualClock): Promise<Runtime> {
  const config = loadConfig({
    NODE_ENV: 'test',
    SEED_DEMO: 'true',
    LOG_LEVEL: 'silent',
    RATE_LIMIT_PER_MINUTE: '100000',
    PGLITE_FSYNC: 'false',
    ...(engine === 'postgres' ? { DATABASE_URL: t.url! } : { DATA_DIR: t.dataDir! }),
  });
  const runtime = await createRuntime(config, { clock });
  await runtime.app.ready();
  return runtime;
}

type Refusal = [args: string[], message: RegExp, env?: Record<string, string>];
const BAD_ARGUMENTS: Refusal[] = [
  [[...SMALL, '--orgs', '3'], /Argument inconnu : --orgs/],
  [['--organisations', '10', '--candidates', '500', '--months'], /--months : valeur manquante/],
  [['--organisations', '10', '--candidates', 'beaucoup', '--months', '2'], /--candidates doit être un entier positif/],
  [['--organisations', '0', '--candidates', '500', '--months', '2'], /--organisations doit être un entier positif/],
  [['--organisations', '10', '--candidates', '-5', '--months', '2'], /--candidates doit être un entier positif/],
  [['--organisations', '10', '--candidates', '2.5', '--months', '2'], /--candidates doit être un entier positif/],
  [['--organisations', '10', '--candidates', '500'], /--months : argument obligatoire manquant/],
  [['--organisations', '10', '--candidates', '500', '--months', '1000000000000'], /--months : 36 au maximum/],
];

/** Each refused run exits 1 with its message (the processes only start tsx: run together). */
async function refusesAll(cases: Refusal[], t: { env: Record<string, string>; dataDir: string | null; url: string | null }) {
  await Promise.all(
    cases.map(async ([args, message, env]) => {
      const result = await runCommand(COMMANDS.seedScale, args, { ...t.env, ...env });
      assert.equal(result.code, 1, `${args.join(' ')}: ${result.stderr}`);
      assert.match(result.stderr, message);
    }),
  );
  await nothingWritten(t);
}

describe('seed:scale arguments', () => {
  it('names the bad argument in French, for every kind of mistake', () => {
    for (const [args, message] of BAD_ARGUMENTS) {
      const parsed = parseScaleArgs(args);
      assert.equal(parsed.ok, false, args.join(' '));
      if (!parsed.ok) assert.match(parsed.message, message);
    }
    assert.deepEqual(parseScaleArgs(['--months=3', '--candidates', '500', '--organisations', '10']), { ok: true, args: { organisations: 10, candidates: 500, months: 3 } });
    assert.equal(parseScaleArgs([...SMALL, '--months', '3']).ok, false, 'a flag given twice');
  });
});

for (const engine of ENGINES) {
  describe(`seed:scale (${engine})`, () => {
    it('generates what it reports, following the rules; a generated attendance officer lists its trainings', { timeout: 300_000 }, async () => {
      const t = await target(engine);
      const result = await runCommand(COMMANDS.seedScale, SMALL, t.env, 240_000);
      assert.equal(result.code, 0, result.stderr);
      assert.match(result.stderr, /candidats : 500 \/ 500/);
      const last = JSON.parse(result.stdout.trim().split('\n').at(-1)!) as Record<string, number>;
      assert.deepEqual(Object.keys(last), ['organisations', 'candidates', 'quotes', 'trainings', 'attendance', 'seconds']);
      assert.equal(last.organisations, 10);
      assert.equal(last.candidates, 500);
      assert.equal(last.quotes, 500);
      assert.ok(last.trainings > 0 && last.attendance > 0, result.stdout);

      const clock = new ManualClock(new Date());
      const runtime = await openRuntime(engine, t, clock);
      try {
        const db = runtime.ctx.db;
        // Counts: the database holds exactly what the last line says. Only generated rows are
        // counted: the demo data seeded beside them may hold quotes and trainings of its own.
        assert.equal(await count(db, sql`select count(*) as n from organisation where name like 'Organisme généré %'`), last.organisations);
        assert.equal(await count(db, sql`select count(*) as n from account where login ~ '^(rgc|devis|assiduite)\\.org[0-9]+$'`), 3 * last.organisations!);
        assert.equal(await count(db, sql`select count(*) as n from candidate where email like '%@scale.kairos.example'`), last.candidates);
        assert.equal(await count(db, sql`select count(*) as n from quote q join candidate c on c.id = q.candidate_id where c.email like '%@scale.kairos.example'`), last.quotes);
        assert.equal(await count(db, sql`select count(*) as n from training t where ${GENERATED_ORGANISATION}`), last.trainings);
        assert.equal(await count(db, sql`select count(*) as n from attendance a join training t on t.id = a.training_id where ${GENERATED_ORGANISATION}`), last.attendance);
        // Every status, and a training exactly for each approved quote.
        const statuses = (await sql<{ status: string }>`select distinct status from quote t where ${GENERATED_ORGANISATION}`.execute(db)).rows.map((r) => r.status).sort();
        assert.deepEqual(statuses, [...QUOTE_STATUSES].sort());
        // Each organisation on its own too (not only all of them together): a measurement made as
        // one organisation must see quotes in every status and trainings under way.
        const perOrganisation = await sql<{ n: string }>`select count(distinct status) as n from quote t where ${GENERATED_ORGANISATION} group by organisation_id`.execute(db);
        assert.equal(perOrganisation.rows.length, last.organisations);
        assert.deepEqual(new Set(perOrganisation.rows.map((r) => Number(r.n))), new Set([QUOTE_STATUSES.length]));
        assert.equal(await count(db, sql`select count(*) as n from quote t where status = 'approved' and ${GENERATED_ORGANISATION}`), last.trainings);
        assert.equal(await count(db, sql`select count(*) as n from quote t where status = 'approved' and agreement_reference is null and ${GENERATED_ORGANISATION}`), 0);
        assert.equal(await count(db, sql`select count(*) as n from quote t where status <> 'draft' and not exists (select 1 from quote_version v where v.quote_id = t.id) and ${GENERATED_ORGANISATION}`), 0);

        // Quotes pass the shape and the hours and cost rules the editor applies.
        const quotes = await sql<{ type: 'AIF' | 'POEI'; data: Record<string, unknown> }>`select distinct on (data) type, data from quote t where ${GENERATED_ORGANISATION}`.execute(db);
        for (const q of quotes.rows) {
          const input = quoteInputOf(q, { identifier: '0000001Z', last_name: 'Généré', birth_date: '1980-01-01' });
          assert.equal(quoteInputSchema.safeParse(input).success, true, JSON.stringify(quoteInputSchema.safeParse(input).error?.issues));
          assert.deepEqual(plannedHoursMatchDeclared(input, {} as never), []);
          assert.deepEqual(pedagogicalCostMatches(input, {} as never), []);
        }
        // Attendance only on planned half-days: never a weekend or a public holiday, within the
        // entry and today, and its status, lateness and reason agreeing.
        assert.equal(await count(db, sql`select count(*) as n from training_session where extract(isodow from date) in (6, 7)`), 0);
        const days = await sql<{ date: string }>`select distinct date from training_session`.execute(db);
        assert.deepEqual(days.rows.filter((r) => isPublicHoliday(r.date)), []);
        assert.equal(await count(db, sql`select count(*) as n from attendance a join training t on t.id = a.training_id where a.date < t.entry_date or a.date > current_date`), 0);
        const sample = await sql<{ status: 'present' | 'late' | 'absent'; late_minutes: number | null; reason: null; justified: boolean | null }>`
          select distinct status, late_minutes, reason, justified from attendance`.execute(db);
        for (const r of sample.rows) assert.deepEqual(entryShapeProblems({ date: '2026-01-05', period: 'am', status: r.status, lateMinutes: r.late_minutes, reason: r.reason, justified: r.justified }), [], JSON.stringify(r));
        assert.ok(sample.rows.some((r) => r.status === 'absent') && sample.rows.some((r) => r.status === 'late'));

        const verdict = await verifyAuditChain(db);
        assert.equal(verdict.ok, true, JSON.stringify(verdict));

        const officer = await signInAs(runtime.app, clock, 'assiduite.org1');
        const list = await runtime.app.inject({ method: 'GET', url: '/api/v1/trainings', headers: officer.headers });
        assert.equal(list.statusCode, 200, list.body);
        const body = list.json() as { total: number; trainings: Array<{ id: string }> };
        assert.ok(body.total > 0 && body.trainings.length > 0, list.body);
        assert.equal(body.total, await count(db, sql`select count(*) as n from training t join organisation o on o.id = t.organisation_id where o.name = 'Organisme généré 1'`));
        const detail = await runtime.app.inject({ method: 'GET', url: `/api/v1/trainings/${body.trainings[0]!.id}`, headers: officer.headers });
        assert.equal(detail.statusCode, 200, detail.body);
      } finally {
        await runtime.close({ requestGraceMs: 0 });
      }
    });

    it('refuses bad arguments before opening the database, and outside demo mode: nothing written', { timeout: 120_000 }, async () => {
      const t = await target(engine);
      // Production without SEED_DEMO (embedded), or PostgreSQL without SEED_DEMO: no demo mode.
      const notDemo: Record<string, string> = engine === 'pglite' ? { NODE_ENV: 'production', APP_SECRET: 'x'.repeat(40), AUDIT_SIGNING_KEY: 'a'.repeat(43) + '=' } : { SEED_DEMO: 'false' };
      // Every bad argument is checked in process above; real processes for a few, on each engine.
      await refusesAll([BAD_ARGUMENTS[0]!, BAD_ARGUMENTS[2]!, BAD_ARGUMENTS.at(-1)!, [SMALL, /qu’en mode démonstration/, notDemo]], t);
    });
  });
}

describe('seed:scale on a data folder another process holds', () => {
  it('exits 1 naming the holder, and writes nothing', { timeout: 120_000 }, async () => {
    const parent = mkdtempSync(path.join(tmpdir(), 'kairos-scale-held-'));
    cleanups.push(() => rmSync(parent, { recursive: true, force: true }));
    const lock = acquireDataFolderLock(parent);
    try {
      const result = await runCommand(COMMANDS.seedScale, SMALL, { DATA_DIR: parent, LOG_LEVEL: 'silent' });
      assert.equal(result.code, 1, result.stderr);
      assert.match(result.stderr, new RegExp(`déjà utilisé par le processus ${process.pid}`));
      assert.equal(existsSync(path.join(parent, 'PG_VERSION')), false);
    } finally {
      lock.release();
    }
  });
});
