// The cost of API-token authentication and of idempotent replays: GET /api/v1/quotes/{id} with a
// session cookie and with a bearer token (one lookup by hash, one audit row per call, the last
// use noted at most once a minute), a replayed POST (Idempotency-Key), and a bare Fastify route
// running one primary-key query on the same database in the same run.
// Run: npx tsx bench/api-token-auth.ts [postgres://…] — PGlite in memory without a URL.
// Last line: one JSON object (bench/run.ts).
import { loadavg } from 'node:os';
import autocannon, { type Options } from 'autocannon';
import Fastify from 'fastify';
import { ManualClock } from '../src/clock.js';
import { parisDay } from '../src/modules/onboarding/rules.js';
import { validQuote } from '../test/helpers/quotes.js';
import { startTestRuntime } from '../test/helpers/runtime.js';
import { signInAs } from '../test/helpers/session.js';

const url = process.argv.find((a) => a.startsWith('postgres'));
const SECONDS = Number(process.env.BENCH_SECONDS ?? 6);
if (url) process.env.TEST_DATABASE_URL = url;

const rt = await startTestRuntime(url ? 'postgres' : 'pglite', { clock: new ManualClock(new Date()), env: { LOG_LEVEL: 'silent' } });
const baseline = Fastify();
try {
  const editor = await signInAs(rt.app, rt.clock, 'devis.demo');
  const manager = await signInAs(rt.app, rt.clock, 'rgc.demo');
  const organisationId = (await rt.ctx.db.selectFrom('organisation').select('id').where('name', '=', 'Formapro Démo').executeTakeFirstOrThrow()).id;
  const issued = await rt.app.inject({
    method: 'POST',
    url: `/api/v1/organisations/${organisationId}/api-tokens`,
    headers: manager.headers,
    payload: { name: 'Banc', roles: ['quote_editor'], expiresAt: new Date(rt.clock.now().getTime() + 30 * 86_400_000).toISOString(), allowedIps: ['127.0.0.0/8', '::1'] },
  });
  const bearer = { authorization: `Bearer ${(issued.json() as { token: string }).token}` };
  const body = validQuote(parisDay(rt.clock.now()));
  const created = await rt.app.inject({ method: 'POST', url: '/api/v1/quotes', headers: { ...bearer, 'idempotency-key': 'banc' }, payload: body });
  const quoteId = (created.json() as { id: string }).id;

  baseline.get('/quote/:id', async (request) => rt.ctx.db.selectFrom('quote').selectAll().where('id', '=', (request.params as { id: string }).id).executeTakeFirst());
  const baseAddress = await baseline.listen({ port: 0, host: '127.0.0.1' });
  const appAddress = await rt.app.listen({ port: 0, host: '127.0.0.1' });
  const routes: Array<[string, Options]> = [
    ['baseline: bare Fastify, one query by id', { url: `${baseAddress}/quote/${quoteId}` }],
    ['GET /api/v1/quotes/{id}, session cookie', { url: `${appAddress}/api/v1/quotes/${quoteId}`, headers: editor.headers }],
    ['GET /api/v1/quotes/{id}, bearer token', { url: `${appAddress}/api/v1/quotes/${quoteId}`, headers: bearer }],
    ['POST /api/v1/quotes replayed (Idempotency-Key), bearer', { url: `${appAddress}/api/v1/quotes`, method: 'POST', headers: { ...bearer, 'idempotency-key': 'banc', 'content-type': 'application/json' }, body: JSON.stringify(body) }],
  ];
  console.log(`engine: ${rt.ctx.engine}; load average before: ${loadavg().map((l) => l.toFixed(2)).join(' ')}`);
  console.log('| route | requests/s | p50 ms | p99 ms | non-2xx | load avg (1 min) |');
  console.log('|---|---|---|---|---|---|');
  const figures: Array<{ route: string; rps: number; p50: number; p99: number; non2xx: number }> = [];
  for (const [name, options] of routes) {
    const result = await autocannon({ connections: 10, duration: SECONDS, ...options });
    console.log(`| ${name} | ${result.requests.average.toFixed(0)} | ${result.latency.p50} | ${result.latency.p99} | ${result.non2xx} | ${loadavg()[0]!.toFixed(2)} |`);
    figures.push({ route: name, rps: Math.round(result.requests.average), p50: result.latency.p50, p99: result.latency.p99, non2xx: result.non2xx });
  }
  const [bare, ...real] = figures;
  console.log(
    JSON.stringify({
      bench: 'api-token-auth',
      load: loadavg()[0],
      summary: `${rt.ctx.engine}: ${real.map((f) => `${f.route.split(':')[0]} ${(f.rps / Math.max(bare!.rps, 1)).toFixed(2)}×`).join(', ')} of bare ${bare!.rps} req/s`,
      figures,
    }),
  );
} finally {
  await baseline.close();
  await rt.stop();
}
