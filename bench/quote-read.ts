// Reading quotes under load: GET /api/v1/quotes/{id} (as its organisation) and the advisor's
// GET /api/v1/quote-queue (first page, a page deep in the queue, the warnings filter), with many
// quotes waiting, beside a bare Fastify route running one primary-key query on the same database
// in the same run. Run: npx tsx bench/quote-read.ts [postgres://…] [waiting quotes, 20000]
// — PGlite in memory without a URL (run `npm test` once before, so the seeded template exists).
// Prints requests/s and p50/p99 latency per route, and the database round trips of each route.
import { loadavg } from 'node:os';
import autocannon from 'autocannon';
import Fastify from 'fastify';
import { sql } from 'kysely';
import { ManualClock } from '../src/clock.js';
import { parisDay } from '../src/modules/onboarding/rules.js';
import { countQueries, tally } from '../test/helpers/query-counter.js';
import { validQuote } from '../test/helpers/quotes.js';
import { startTestRuntime } from '../test/helpers/runtime.js';
import { signInAs } from '../test/helpers/session.js';

const url = process.argv.find((a) => a.startsWith('postgres'));
const WAITING = Number(process.argv.find((a) => /^\d+$/.test(a)) ?? 20_000);
const SECONDS = Number(process.env.BENCH_SECONDS ?? 8);
if (url) process.env.TEST_DATABASE_URL = url;

const rt = await startTestRuntime(url ? 'postgres' : 'pglite', { clock: new ManualClock('2026-03-02T08:00:00Z'), env: { LOG_LEVEL: 'silent' } });
const baseline = Fastify();
try {
  const editor = await signInAs(rt.app, rt.clock, 'devis.demo');
  const advisor = await signInAs(rt.app, rt.clock, 'conseiller.demo');
  const created = await rt.app.inject({ method: 'POST', url: '/api/v1/quotes', headers: editor.headers, payload: validQuote(parisDay(rt.clock.now())) });
  const quoteId = (created.json() as { id: string }).id;

  // WAITING accepted quotes written by SQL, one candidate each, a tenth of them above 30 €/h.
  const started = performance.now();
  await sql`insert into candidate (identifier, last_name, first_name, birth_date, email, created_at)
    select lpad((5000000 + i)::text, 7, '0') || 'K', 'Banc' || i, 'Test', date '1990-01-01', 'banc' || i || '@exemple.fr', now()
    from generate_series(1, ${WAITING}) as i`.execute(rt.ctx.db);
  await sql`insert into quote (organisation_id, candidate_id, type, status, data, created_at, updated_at, created_by, submitted_at, accepted_at)
    select q.organisation_id, c.id, q.type, 'accepted',
      case when c.last_name like '%0' then jsonb_set(q.data, '{costs,hourlyRateCents}', '4000') else q.data end,
      q.created_at, q.created_at, q.created_by, timestamptz '2026-01-01', timestamptz '2026-01-01' + (row_number() over ())::int * interval '1 minute'
    from quote q cross join candidate c where q.id = ${quoteId} and c.identifier like '%K'`.execute(rt.ctx.db);
  const inserted = performance.now();
  const fill = await import('../src/modules/quotes/record/stored-warnings.js').catch(() => null);
  const filled = fill ? await fill.fillMissingWarnings(rt.ctx.db) : 0;
  const filledAt = performance.now();
  await sql`analyze`.execute(rt.ctx.db);
  console.log(`engine: ${rt.ctx.engine}; ${WAITING} waiting quotes written by SQL in ${((inserted - started) / 1000).toFixed(1)} s; warnings of ${filled} rows filled in ${((filledAt - inserted) / 1000).toFixed(1)} s`);

  baseline.get('/quote/:id', async (request) => rt.ctx.db.selectFrom('quote').selectAll().where('id', '=', (request.params as { id: string }).id).executeTakeFirst());
  const baseAddress = await baseline.listen({ port: 0, host: '127.0.0.1' });
  const appAddress = await rt.app.listen({ port: 0, host: '127.0.0.1' });
  const deepPage = Math.max(1, Math.floor(WAITING / 20 / 2));
  const routes: Array<[string, string, Record<string, string>]> = [
    ['baseline: bare Fastify, one query by id', `${baseAddress}/quote/${quoteId}`, {}],
    ['GET /api/v1/quotes/{id} (organisation)', `${appAddress}/api/v1/quotes/${quoteId}`, editor.headers],
    ['GET /api/v1/quote-queue', `${appAddress}/api/v1/quote-queue`, advisor.headers],
    [`GET /api/v1/quote-queue?page=${deepPage}`, `${appAddress}/api/v1/quote-queue?page=${deepPage}`, advisor.headers],
    ['GET /api/v1/quote-queue?warnings=with', `${appAddress}/api/v1/quote-queue?warnings=with`, advisor.headers],
  ];
  console.log(`| route | round trips (by kind) | total | requests/s | p50 ms | p99 ms | non-2xx |`);
  console.log(`|---|---|---|---|---|---|---|`);
  // Round trips first, one request at a time with nothing else running (the counter attributes by time).
  const probes = [];
  for (const [, target, headers] of routes) {
    probes.push(await countQueries(() => fetch(target, { headers }).then(async (r) => ({ status: r.status, body: (await r.json()) as { total?: number } }))));
  }
  const figures = [];
  for (const [i, [name, target, headers]] of routes.entries()) {
    const probe = probes[i]!;
    const result = await autocannon({ url: target, headers, connections: 10, duration: SECONDS });
    figures.push({ route: name, roundTrips: probe.statements.length, rps: Math.round(result.requests.average), p50: result.latency.p50, p99: result.latency.p99 });
    const kinds = Object.entries(tally(probe.statements)).filter(([, n]) => n > 0).map(([k, n]) => `${k} ${n}`).join(', ');
    console.log(`| ${name} | ${probe.statements.length} (${kinds}) | ${probe.result.body.total ?? ''} | ${result.requests.average.toFixed(0)} | ${result.latency.p50} | ${result.latency.p99} | ${result.non2xx} |`);
  }
  const [bare, read] = figures;
  console.log(
    JSON.stringify({
      bench: 'quote-read',
      engine: rt.ctx.engine,
      load: loadavg()[0],
      summary: `quote read ${read!.rps} req/s vs bare ${bare!.rps} (${(read!.rps / bare!.rps).toFixed(2)}×), ${read!.roundTrips} round trips`,
      results: figures,
    }),
  );
} finally {
  await baseline.close();
  await rt.stop();
}
