// `npm test`: unit and integration tests on PGlite (and PostgreSQL when TEST_DATABASE_URL is
// set), and browser tests when Chromium is present (required when REQUIRE_BROWSER=1).
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';

const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..');
const args = process.argv.slice(2);

function collect(dir, out = []) {
  if (!existsSync(dir)) return out;
  for (const name of readdirSync(dir)) {
    const full = path.join(dir, name);
    if (statSync(full).isDirectory()) collect(full, out);
    else if (/\.test\.tsx?$/.test(name)) out.push(path.relative(root, full));
  }
  return out;
}

export function chromiumPath() {
  const candidates = [process.env.CHROMIUM_PATH, '/usr/bin/chromium', '/usr/bin/chromium-browser'].filter(Boolean);
  return candidates.find((p) => existsSync(p)) ?? null;
}

const browser = chromiumPath();
const requireBrowser = process.env.REQUIRE_BROWSER === '1' || process.env.REQUIRE_BROWSER === 'true';
if (!browser && requireBrowser) {
  console.error('REQUIRE_BROWSER is set but no Chromium was found (install it: apt-get install -y chromium).');
  process.exit(1);
}

let files = args.length > 0 ? args : [...collect(path.join(root, 'src')), ...collect(path.join(root, 'test'))];
if (!browser) {
  const skipped = files.filter((f) => f.startsWith('test/e2e/'));
  if (skipped.length) console.log(`Chromium not found: ${skipped.length} browser test file(s) not run.`);
  files = files.filter((f) => !f.startsWith('test/e2e/'));
}

console.log(`Engines: PGlite${process.env.TEST_DATABASE_URL ? ' + PostgreSQL (TEST_DATABASE_URL)' : ' (set TEST_DATABASE_URL to add PostgreSQL)'}`);
const template = spawnSync(process.execPath, ['--import', 'tsx', 'scripts/build-test-template.ts'], { cwd: root, stdio: 'inherit' });
if (template.status !== 0) process.exit(template.status ?? 1);
// The server's bundle, once, before test files that start real servers (scripts/start.mjs) run
// two at a time: each would otherwise find it stale and build it too. A failure is not fatal
// here: those starts fall back to the sources, and test/integration/start-build.test.ts fails.
spawnSync(process.execPath, ['scripts/build.mjs'], { cwd: root, stdio: 'inherit' });

const result = spawnSync(
  process.execPath,
  ['--import', 'tsx', '--test', '--test-concurrency=2', '--test-reporter=spec', ...files],
  { cwd: root, stdio: 'inherit', env: { ...process.env, CHROMIUM_PATH: browser ?? '' } },
);
process.exit(result.status ?? 1);
