// Cost of the attendance import through the real HTTP route, in two sizes: 10 000 lines over 20
// trainees (the body sent as one string, as before), and 100 000 lines over 50 trainees streamed
// to the route (neither side ever holds the file whole; decision 0041). Each is parsed, checked
// and stored in one transaction. Baseline, measured in the same run: the same rows written again
// by raw multi-row INSERTs (1 000 a statement) in one transaction, rolled back — the floor of any
// import. Prints lines/s and the process's RSS growth (peak minus start) of each beside its
// baseline; on PGlite the database lives in this process, so its own memory is in both figures.
// Run: npx tsx --expose-gc bench/attendance-import.ts [postgres://…] — PGlite in memory without an
// argument (run `npm test` once before, so the seeded template exists). Last line: one JSON object.
import { loadavg } from 'node:os';
import { Readable } from 'node:stream';
import { ManualClock } from '../src/clock.js';
import { CSV_HEADER } from '../src/modules/training/index.js';
import { startTestRuntime, type TestRuntime } from '../test/helpers/runtime.js';
import { signInAs, type SignedIn } from '../test/helpers/session.js';
import { EVERY_DAY, createCandidate, createTraining } from '../test/helpers/trainings.js';

class RolledBack extends Error {}

const url = process.argv[2];
if (url) process.env.TEST_DATABASE_URL = url;
const mib = (n: number) => n / 1024 / 1024;

/** Runs `work`, sampling the RSS every 10 ms: its duration and the peak growth over the start. */
async function measured<T>(work: () => Promise<T>): Promise<{ result: T; ms: number; rssGrowthMiB: number }> {
  global.gc?.();
  const start = process.memoryUsage().rss;
  let peak = start;
  const sampler = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 10);
  const began = performance.now();
  const result = await work();
  const ms = performance.now() - began;
  clearInterval(sampler);
  peak = Math.max(peak, process.memoryUsage().rss);
  return { result, ms, rssGrowthMiB: mib(peak - start) };
}

interface Case {
  name: string;
  trainees: number;
  linesEach: number;
  start: string;
  stream: boolean;
}

async function prepare(rt: TestRuntime, officer: SignedIn, c: Case, base: number) {
  const files: string[][] = [];
  const trainingIds: string[] = [];
  for (let i = 0; i < c.trainees; i++) {
    const identifier = `${String(base + i)}B`;
    await createCandidate(rt.ctx.db, identifier, `Banc${i}`);
    const { id } = await createTraining(rt.ctx.db, { organisation: 'Formapro Démo', candidate: identifier, startDate: c.start, endDate: '2026-02-27', session: c.name, schedule: EVERY_DAY, at: rt.clock.now() });
    trainingIds.push(id);
    await rt.app.inject({ method: 'POST', url: `/api/v1/trainings/${id}/entry`, headers: officer.headers, payload: { startDate: c.start } });
    const sessions = await rt.ctx.db.selectFrom('training_session').select(['date', 'period']).where('training_id', '=', id).orderBy('date').orderBy('period').limit(c.linesEach).execute();
    if (sessions.length < c.linesEach) throw new Error(`${c.name}: ${sessions.length} half-days only`);
    files.push(sessions.map((s) => `${identifier};${c.name};${s.date.split('-').reverse().join('/')};${s.period === 'am' ? 'matin' : 'apres-midi'};present;;;`));
  }
  return { files, trainingIds };
}

/** The file in chunks of 1 000 lines, made as it is read. */
function streamOf(files: string[][]): Readable {
  return Readable.from(
    (function* () {
      yield `${CSV_HEADER}\n`;
      for (const lines of files) for (let i = 0; i < lines.length; i += 1_000) yield `${lines.slice(i, i + 1_000).join('\n')}\n`;
    })(),
  );
}

async function runCase(rt: TestRuntime, officer: SignedIn, c: Case, base: number) {
  const { files, trainingIds } = await prepare(rt, officer, c, base);
  const lines = c.trainees * c.linesEach;
  const payload = () => (c.stream ? streamOf(files) : [CSV_HEADER, ...files.flat()].join('\n'));
  const body = payload();
  const imported = await measured(() => rt.app.inject({ method: 'POST', url: '/api/v1/attendance-imports', headers: { ...officer.headers, 'content-type': 'text/csv' }, payload: body }));
  if (imported.result.statusCode !== 200) throw new Error(`${c.name}: ${imported.result.statusCode} ${imported.result.body.slice(0, 300)}`);
  // The baseline: the stored rows deleted and written back by multi-row INSERTs, then rolled back.
  const stored = await rt.ctx.db.selectFrom('attendance').selectAll().where('training_id', 'in', trainingIds).execute();
  const raw = await measured(() =>
    rt.ctx.db
      .transaction()
      .execute(async (trx) => {
        await trx.deleteFrom('attendance').where('training_id', 'in', trainingIds).execute();
        const began = performance.now();
        for (let i = 0; i < stored.length; i += 1000) await trx.insertInto('attendance').values(stored.slice(i, i + 1000)).execute();
        const ms = performance.now() - began;
        throw Object.assign(new RolledBack(), { ms });
      })
      .catch((err: unknown) => {
        if (!(err instanceof RolledBack)) throw err;
        return (err as RolledBack & { ms: number }).ms;
      }),
  );
  const figures = {
    lines,
    importMs: Math.round(imported.ms),
    linesPerSecond: Math.round(lines / (imported.ms / 1000)),
    importRssGrowthMiB: Math.round(imported.rssGrowthMiB),
    rawInsertMs: Math.round(raw.result),
    rawRowsPerSecond: Math.round(stored.length / (raw.result / 1000)),
    rawRssGrowthMiB: Math.round(raw.rssGrowthMiB),
  };
  console.log(
    `${c.name}: ${lines} lines${c.stream ? ' (streamed)' : ''} in ${figures.importMs} ms = ${figures.linesPerSecond} lines/s, RSS +${figures.importRssGrowthMiB} MiB; ` +
      `baseline raw INSERTs ${figures.rawInsertMs} ms = ${figures.rawRowsPerSecond} rows/s, RSS +${figures.rawRssGrowthMiB} MiB; ratio ${(imported.ms / raw.result).toFixed(1)}×`,
  );
  return figures;
}

const rt = await startTestRuntime(url ? 'postgres' : 'pglite', { clock: new ManualClock('2026-03-02T08:00:00Z'), env: { LOG_LEVEL: 'silent' } });
try {
  const officer = await signInAs(rt.app, rt.clock, 'assiduite.demo');
  console.log(`engine: ${rt.ctx.engine}; load average ${loadavg().map((l) => l.toFixed(2)).join(' ')}`);
  const small = await runCase(rt, officer, { name: 'BENCH', trainees: 20, linesEach: 500, start: '2025-01-06', stream: false }, 8_000_000);
  const large = await runCase(rt, officer, { name: 'BENCH-100K', trainees: 50, linesEach: 2_000, start: '2023-03-06', stream: true }, 8_100_000);
  console.log(
    JSON.stringify({
      bench: 'attendance-import',
      engine: rt.ctx.engine,
      load: loadavg()[0],
      summary: `100 000 lines: ${large.linesPerSecond} lines/s, RSS +${large.importRssGrowthMiB} MiB (raw INSERTs ${large.rawRowsPerSecond} rows/s, +${large.rawRssGrowthMiB} MiB); 10 000 lines ${small.importMs} ms`,
      goalMet: large.linesPerSecond >= 10_000 && large.importRssGrowthMiB < 100,
      importMs: small.importMs,
      rawInsertMs: small.rawInsertMs,
      small,
      large,
    }),
  );
} finally {
  await rt.stop();
}
