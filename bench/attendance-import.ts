// Cost of the largest attendance import: 10 000 lines over 20 trainees, parsed,
// checked and stored in one transaction, through the real HTTP route.
// Run: npx tsx bench/attendance-import.ts [postgres://…] — PGlite in memory without an argument
// (run `npm test` once before, so the seeded template exists). Prints time and memory, beside the
// bare baseline measured in the same run: the same rows written again by raw multi-row INSERTs in
// one transaction (rolled back), the floor of any import. Last line: one JSON object.
import { loadavg } from 'node:os';
import { ManualClock } from '../src/clock.js';
import { CSV_HEADER } from '../src/modules/training/index.js';
import { startTestRuntime } from '../test/helpers/runtime.js';
import { signInAs } from '../test/helpers/session.js';
import { EVERY_DAY, createCandidate, createTraining } from '../test/helpers/trainings.js';

class RolledBack extends Error {}

const TRAINEES = 20;
const LINES_EACH = 500;
const url = process.argv[2];
if (url) process.env.TEST_DATABASE_URL = url;

const rt = await startTestRuntime(url ? 'postgres' : 'pglite', { clock: new ManualClock('2026-03-02T08:00:00Z'), env: { LOG_LEVEL: 'silent' } });
try {
  const officer = await signInAs(rt.app, rt.clock, 'assiduite.demo');
  const lines = [CSV_HEADER];
  const trainingIds: string[] = [];
  for (let i = 0; i < TRAINEES; i++) {
    const identifier = `${String(8_000_000 + i)}B`;
    await createCandidate(rt.ctx.db, identifier, `Banc${i}`);
    const { id } = await createTraining(rt.ctx.db, { organisation: 'Formapro Démo', candidate: identifier, startDate: '2025-01-06', endDate: '2026-02-27', session: 'BENCH', schedule: EVERY_DAY, at: rt.clock.now() });
    trainingIds.push(id);
    await rt.app.inject({ method: 'POST', url: `/api/v1/trainings/${id}/entry`, headers: officer.headers, payload: { startDate: '2025-01-06' } });
    const sessions = await rt.ctx.db.selectFrom('training_session').select(['date', 'period']).where('training_id', '=', id).orderBy('date').orderBy('period').limit(LINES_EACH).execute();
    for (const s of sessions) lines.push(`${identifier};BENCH;${s.date.split('-').reverse().join('/')};${s.period === 'am' ? 'matin' : 'apres-midi'};present;;;`);
  }
  const body = lines.join('\n');
  global.gc?.();
  const before = process.memoryUsage();
  let peakRss = before.rss;
  const sampler = setInterval(() => (peakRss = Math.max(peakRss, process.memoryUsage().rss)), 20);
  const start = performance.now();
  const res = await rt.app.inject({ method: 'POST', url: '/api/v1/attendance-imports', headers: { ...officer.headers, 'content-type': 'text/csv' }, payload: body });
  const ms = performance.now() - start;
  clearInterval(sampler);
  const after = process.memoryUsage();
  const mib = (n: number) => `${(n / 1024 / 1024).toFixed(1)} MiB`;
  console.log(`engine: ${rt.ctx.engine}; file: ${lines.length - 1} lines, ${(body.length / 1024).toFixed(0)} KiB`);
  console.log(`answer: ${res.statusCode} ${res.body.slice(0, 120)}`);
  console.log(`time: ${ms.toFixed(0)} ms`);
  // The baseline: the stored rows deleted and written back by multi-row INSERTs, then rolled back.
  const stored = await rt.ctx.db.selectFrom('attendance').selectAll().where('training_id', 'in', trainingIds).execute();
  let rawMs = 0;
  await rt.ctx.db
    .transaction()
    .execute(async (trx) => {
      await trx.deleteFrom('attendance').where('training_id', 'in', trainingIds).execute();
      const rawStart = performance.now();
      for (let i = 0; i < stored.length; i += 1000) await trx.insertInto('attendance').values(stored.slice(i, i + 1000)).execute();
      rawMs = performance.now() - rawStart;
      throw new RolledBack();
    })
    .catch((err: unknown) => {
      if (!(err instanceof RolledBack)) throw err;
    });
  console.log(`baseline: ${stored.length} rows by raw multi-row INSERTs (1 000 a statement, one transaction): ${rawMs.toFixed(0)} ms`);
  console.log(`ratio: the import takes ${(ms / rawMs).toFixed(1)}× the raw INSERTs (load average ${loadavg()[0]!.toFixed(2)})`);
  console.log(`memory: rss ${mib(before.rss)} → ${mib(after.rss)} (peak ${mib(peakRss)}), heap used ${mib(before.heapUsed)} → ${mib(after.heapUsed)}`);
  console.log(
    JSON.stringify({
      bench: 'attendance-import',
      engine: rt.ctx.engine,
      load: loadavg()[0],
      summary: `${lines.length - 1} lines in ${ms.toFixed(0)} ms; raw INSERTs ${rawMs.toFixed(0)} ms (${(ms / rawMs).toFixed(1)}×)`,
      status: res.statusCode,
      importMs: Math.round(ms),
      rawInsertMs: Math.round(rawMs),
      peakRssMiB: Math.round(peakRss / 1024 / 1024),
    }),
  );
} finally {
  await rt.stop();
}
