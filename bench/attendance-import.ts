// Cost of the largest attendance import: 10 000 lines over 20 trainees, parsed,
// checked and stored in one transaction, through the real HTTP route.
// Run: npx tsx bench/attendance-import.ts [postgres://…] — PGlite in memory without an argument
// (run `npm test` once before, so the seeded template exists). Prints time and memory.
import { ManualClock } from '../src/clock.js';
import { CSV_HEADER } from '../src/modules/training/index.js';
import { startTestRuntime } from '../test/helpers/runtime.js';
import { signInAs } from '../test/helpers/session.js';
import { EVERY_DAY, createCandidate, createTraining } from '../test/helpers/trainings.js';

const TRAINEES = 20;
const LINES_EACH = 500;
const url = process.argv[2];
if (url) process.env.TEST_DATABASE_URL = url;

const rt = await startTestRuntime(url ? 'postgres' : 'pglite', { clock: new ManualClock('2026-03-02T08:00:00Z'), env: { LOG_LEVEL: 'silent' } });
try {
  const officer = await signInAs(rt.app, rt.clock, 'assiduite.demo');
  const lines = [CSV_HEADER];
  for (let i = 0; i < TRAINEES; i++) {
    const identifier = `${String(8_000_000 + i)}B`;
    await createCandidate(rt.ctx.db, identifier, `Banc${i}`);
    const { id } = await createTraining(rt.ctx.db, { organisation: 'Formapro Démo', candidate: identifier, startDate: '2025-01-06', endDate: '2026-02-27', session: 'BENCH', schedule: EVERY_DAY, at: rt.clock.now() });
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
  console.log(`memory: rss ${mib(before.rss)} → ${mib(after.rss)} (peak ${mib(peakRss)}), heap used ${mib(before.heapUsed)} → ${mib(after.heapUsed)}`);
} finally {
  await rt.stop();
}
