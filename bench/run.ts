// `npm run bench [-- name…]`: runs every bench/*.ts one after the other (or those named, e.g.
// `npm run bench -- start-up`), each printing its figures beside the bare baseline it measures
// in the same run. A failing benchmark is reported and the others still run; exit 1 if any failed.
import { spawnSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
const wanted = process.argv.slice(2);
const all = readdirSync(here)
  .filter((f) => f.endsWith('.ts') && f !== 'run.ts')
  .map((f) => f.slice(0, -3))
  .sort();
const unknown = wanted.filter((w) => !all.includes(w));
if (unknown.length > 0) {
  process.stderr.write(`Benchmark inconnu : ${unknown.join(', ')} (disponibles : ${all.join(', ')}).\n`);
  process.exit(1);
}
const failed: string[] = [];
for (const name of wanted.length > 0 ? wanted : all) {
  process.stdout.write(`\n=== ${name} ===\n`);
  const result = spawnSync(process.execPath, ['--import', 'tsx', path.join(here, `${name}.ts`)], { stdio: 'inherit', cwd: path.resolve(here, '..') });
  if (result.status !== 0) failed.push(name);
}
if (failed.length > 0) {
  process.stderr.write(`\nÉchec : ${failed.join(', ')}\n`);
  process.exit(1);
}
