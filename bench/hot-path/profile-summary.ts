// Summarises a V8 CPU profile (`node --cpu-prof`, e.g. BENCH_CPU_PROF of bench/hot-path.ts):
// the functions with the most self time, then self time by package or source folder, so the
// costliest layer of a request shows without a profiler UI.
// Run: npx tsx bench/hot-path/profile-summary.ts <file.cpuprofile> [top, 30]
import { readFileSync } from 'node:fs';

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
}
interface Profile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
}

const file = process.argv[2];
if (!file) {
  process.stderr.write('Usage : npx tsx bench/hot-path/profile-summary.ts <fichier.cpuprofile> [nombre]\n');
  process.exit(1);
}
const top = Number(process.argv[3] ?? 30);
const profile = JSON.parse(readFileSync(file, 'utf8')) as Profile;
const byId = new Map(profile.nodes.map((n) => [n.id, n]));
const selfMicros = new Map<number, number>();
profile.samples.forEach((id, i) => selfMicros.set(id, (selfMicros.get(id) ?? 0) + (profile.timeDeltas[i] ?? 0)));
const total = [...selfMicros.values()].reduce((a, b) => a + b, 0);

/** node_modules/<package> (scoped too), src/<folder>, node:internal, or the V8 pseudo-frames. */
function layer(url: string, name: string): string {
  const pkg = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(url);
  if (pkg) return pkg[1]!;
  const src = /\/(src\/(?:[^/]+\/)?(?:[^/]+\/)?)/.exec(url);
  if (src) return src[1]!;
  if (url.startsWith('node:')) return url.split('/').slice(0, 2).join('/');
  return url ? 'other' : `(${name || 'native'})`;
}

const functions = new Map<string, number>();
const layers = new Map<string, number>();
for (const [id, micros] of selfMicros) {
  const { functionName, url, lineNumber } = byId.get(id)!.callFrame;
  const where = url ? `${url.replace(/^.*?(node_modules\/|src\/)/, '$1')}:${lineNumber + 1}` : '';
  const key = `${functionName || '(anonymous)'} ${where}`;
  functions.set(key, (functions.get(key) ?? 0) + micros);
  const l = layer(url, functionName);
  layers.set(l, (layers.get(l) ?? 0) + micros);
}
const pct = (m: number) => `${((100 * m) / total).toFixed(1).padStart(5)} %`;
const print = (title: string, rows: Map<string, number>) => {
  console.log(`\n${title}`);
  for (const [k, m] of [...rows].sort((a, b) => b[1] - a[1]).slice(0, top)) console.log(`${pct(m)}  ${k}`);
};
console.log(`${file}: ${(total / 1e6).toFixed(1)} s sampled`);
print('Self time by layer', layers);
print('Self time by function', functions);
