// `npm run bench [-- name…]`: runs every bench/*.ts one after the other (or those named, e.g.
// `npm run bench -- start-up`), each printing its figures beside the bare baseline it measures
// in the same run, and as its last line one JSON object ({ bench, summary, goalMet?, load, … }).
// Ends with a table of every benchmark's key figures and ratios, read from those last lines.
// A failing benchmark is reported and the others still run; exit 1 if any failed.
import { spawn } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { loadavg } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
const wanted = process.argv.slice(2);
const all = readdirSync(here)
  .filter((f) => f.endsWith('.ts') && f !== 'run.ts' && !f.endsWith('.d.ts'))
  .map((f) => f.slice(0, -3))
  .sort();
const unknown = wanted.filter((w) => !all.includes(w));
if (unknown.length > 0) {
  process.stderr.write(`Benchmark inconnu : ${unknown.join(', ')} (disponibles : ${all.join(', ')}).\n`);
  process.exit(1);
}

interface Outcome {
  name: string;
  code: number | null;
  last: { summary?: string; goalMet?: boolean; load?: number } | null;
}

/** Runs one benchmark, its output passed through as it comes, and parses its last line. */
function run(name: string): Promise<Outcome> {
  const child = spawn(process.execPath, ['--import', 'tsx', path.join(here, `${name}.ts`)], { stdio: ['ignore', 'pipe', 'inherit'], cwd: path.resolve(here, '..') });
  let tail = '';
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
    process.stdout.write(chunk);
    tail = (tail + chunk).slice(-200_000);
  });
  return new Promise((resolve) => {
    child.once('close', (code) => {
      const line = tail.trimEnd().split('\n').at(-1) ?? '';
      let last: Outcome['last'] = null;
      try {
        last = line.startsWith('{') ? (JSON.parse(line) as Outcome['last']) : null;
      } catch {
        last = null;
      }
      resolve({ name, code, last });
    });
  });
}

const outcomes: Outcome[] = [];
for (const name of wanted.length > 0 ? wanted : all) {
  process.stdout.write(`\n=== ${name} ===\n`);
  outcomes.push(await run(name));
}

const goal = (o: Outcome) => (o.last?.goalMet === undefined ? '—' : o.last.goalMet ? 'atteint' : 'NON atteint');
console.log(`\n=== Résumé (charge moyenne ${loadavg().map((l) => l.toFixed(2)).join(' ')}) ===`);
console.log('| benchmark | chiffres clés (contre la référence nue du même passage) | objectif | charge |');
console.log('|---|---|---|---|');
for (const o of outcomes) {
  const figures = o.code !== 0 ? `ÉCHEC (code ${o.code})` : (o.last?.summary ?? 'pas de ligne JSON finale');
  console.log(`| ${o.name} | ${figures} | ${goal(o)} | ${o.last?.load?.toFixed(2) ?? '—'} |`);
}
const failed = outcomes.filter((o) => o.code !== 0).map((o) => o.name);
if (failed.length > 0) {
  process.stderr.write(`\nÉchec : ${failed.join(', ')}\n`);
  process.exit(1);
}
