// What fsync on commit costs the embedded database (docs/decisions/0016-pglite-durability.md).
// Run: npx tsx bench/pglite-durability.ts [commits] — prints, in one run and side by side:
//   memory   PGlite in memory (the bare baseline: no file at all),
//   no-sync  PGlite on disk as it ships (-F: written to the kernel, never fsynced),
//   durable  PGlite on disk as Kairos opens it (fsync of the WAL at each commit).
// Workloads: N single-row transactions (a sign-in, a form), and one 10,000-row transaction
// (the largest attendance import).
import { mkdtempSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import path from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { DURABLE_START_PARAMS, durableNodeFS } from '../src/db/pglite-durable-fs.js';

const COMMITS = Number(process.argv[2] ?? 500);
const BATCH = 10_000;

async function measure(name: string, open: (dir: string) => PGlite | Promise<PGlite>) {
  const dir = mkdtempSync(path.join(tmpdir(), 'kairos-bench-durability-'));
  try {
    const db = await open(path.join(dir, 'data'));
    await db.waitReady;
    await db.exec('create table t (id serial primary key, training uuid, day date, status text, recorded_at timestamptz default now())');
    let started = performance.now();
    for (let i = 0; i < COMMITS; i++) await db.query('insert into t (training, day, status) values (gen_random_uuid(), current_date, $1)', ['present']);
    const perCommit = (performance.now() - started) / COMMITS;
    started = performance.now();
    await db.transaction(async (tx) => {
      for (let i = 0; i < BATCH; i += 500) {
        await tx.query(`insert into t (training, day, status) select gen_random_uuid(), current_date - (g % 400), 'late' from generate_series(1, 500) g`);
      }
    });
    const batchMs = performance.now() - started;
    await db.close();
    return { name, commitsPerSecond: 1000 / perCommit, perCommit, batchMs };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

await measure('warm-up', () => new PGlite()); // JIT and WebAssembly compilation, not counted
const results = [
  await measure('memory', () => new PGlite()),
  await measure('no-sync', (dir) => new PGlite({ dataDir: dir })),
  await measure('durable', async (dir) => new PGlite({ fs: await durableNodeFS(dir), startParams: DURABLE_START_PARAMS })),
];
const base = results[0]!;
console.log(`${COMMITS} single-row commits, then one ${BATCH}-row transaction (same run, same machine)`);
for (const r of results) {
  console.log(
    `${r.name.padEnd(8)} ${r.commitsPerSecond.toFixed(0).padStart(6)} commits/s (${r.perCommit.toFixed(2)} ms each, ×${(r.perCommit / base.perCommit).toFixed(1)} the baseline)` +
      `   ${BATCH} rows in one transaction: ${r.batchMs.toFixed(0)} ms (×${(r.batchMs / base.batchMs).toFixed(1)})`,
  );
}
const durable = results.at(-1)!;
console.log(
  JSON.stringify({
    bench: 'pglite-durability',
    load: loadavg()[0],
    summary: `durable ${durable.commitsPerSecond.toFixed(0)} commits/s (${(durable.perCommit / base.perCommit).toFixed(1)}× memory's time), ${BATCH} rows ${durable.batchMs.toFixed(0)} ms`,
    results,
  }),
);
