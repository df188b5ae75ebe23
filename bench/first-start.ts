// How long the very first `npm start` takes on an empty data folder: initdb, migrations, demo
// data, then listening (the goal: under 10 s on the 2-core reference machine).
// Run: npx tsx bench/first-start.ts [runs] (default 3; medians printed). In the same run and on the
// same machine, two bare baselines: node + tsx starting an empty script (the floor of any
// command), and a bare PGlite initdb in a fresh process (the floor of any first start).
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import net, { type AddressInfo } from 'node:net';
import { loadavg, tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const RUNS = Number(process.argv[2] ?? 3);
const GOAL_MS = 10_000;

async function freePort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

/** Spawns node with `args` and resolves with the ms until `ready` matches its stdout (or it exits 0). */
async function timeUntil(args: string[], env: Record<string, string>, ready: RegExp | null): Promise<number> {
  const started = performance.now();
  const child = spawn(process.execPath, args, { cwd: root, env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? tmpdir(), ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  let err = '';
  child.stderr.setEncoding('utf8').on('data', (c: string) => (err += c));
  return new Promise<number>((resolve, reject) => {
    child.stdout.setEncoding('utf8').on('data', (c: string) => {
      out += c;
      if (ready?.test(out)) {
        const ms = performance.now() - started;
        child.once('exit', () => resolve(ms));
        child.kill('SIGTERM');
      }
    });
    child.once('exit', (code) => {
      if (!ready && code === 0) resolve(performance.now() - started);
      else if (!ready?.test(out)) reject(new Error(`exit ${code} before ready:\n${out}\n${err}`));
    });
  });
}

async function median(name: string, once: (dir: string) => Promise<number>) {
  const runs: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    const dir = mkdtempSync(path.join(tmpdir(), 'kairos-bench-first-start-'));
    try {
      runs.push(await once(path.join(dir, 'data')));
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }
  runs.sort((a, b) => a - b);
  return { name, median: runs[Math.floor(runs.length / 2)]!, min: runs[0]!, max: runs.at(-1)! };
}

const pgliteInit = `import { PGlite } from '@electric-sql/pglite'; const db = new PGlite(process.env.DATA_DIR); await db.waitReady; await db.close();`;
const results = [
  await median('baseline: node + tsx, empty script', () => timeUntil(['--import', 'tsx', '-e', ''], {}, null)),
  await median('baseline: bare PGlite initdb (new process)', (dir) => timeUntil(['--input-type=module', '-e', pgliteInit], { DATA_DIR: dir }, null)),
  await median('first npm start (initdb, migrations, demo)', async (dir) =>
    timeUntil(['--import', 'tsx', 'src/main.ts'], { DATA_DIR: dir, PORT: String(await freePort()), LOG_LEVEL: 'silent' }, /Connexion : \S+\/connexion\n/),
  ),
];
console.log(`First start on an empty DATA_DIR: ${RUNS} run(s) each, medians (load average ${loadavg()[0]!.toFixed(1)})`);
for (const r of results) {
  console.log(`${r.name.padEnd(44)} median ${(r.median / 1000).toFixed(2).padStart(6)} s   min ${(r.min / 1000).toFixed(2).padStart(6)} s   max ${(r.max / 1000).toFixed(2).padStart(6)} s`);
}
const start = results.at(-1)!;
console.log(`goal < ${GOAL_MS / 1000} s: ${start.median < GOAL_MS ? 'met' : 'NOT met'} (${(start.median / 1000).toFixed(2)} s)`);
const floor = results[1]!;
console.log(
  JSON.stringify({
    bench: 'first-start',
    load: loadavg()[0],
    summary: `median ${(start.median / 1000).toFixed(2)} s; bare PGlite initdb ${(floor.median / 1000).toFixed(2)} s (${(start.median / floor.median).toFixed(1)}×)`,
    goalMet: start.median < GOAL_MS,
    results,
  }),
);
