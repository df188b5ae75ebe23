// `npm start` runs the server's bundle (scripts/start.mjs, scripts/build.mjs; decision 0039):
// in a copy of the project, a real process builds it and serves /healthz, a change of a source
// file is rebuilt at the next start (the new code answers), and a bundle that cannot be built
// falls back to the TypeScript sources through tsx, saying why. And the packages only some
// requests need are loaded by those requests, not by every start.
import assert from 'node:assert/strict';
import { cpSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { freePort, root, startServer, stopServer, type Kairos } from '../helpers/processes.js';

const TIMEOUT = 300_000;
/** Packages that cost tens to hundreds of milliseconds to load and serve only some requests (or one engine). */
const AT_FIRST_USE = ['pdfkit', 'qrcode', '@zxcvbn-ts/core', '@zxcvbn-ts/language-common', '@zxcvbn-ts/language-fr', 'nodemailer', 'tar-stream', 'pg', '@electric-sql/pglite', '@electric-sql/pglite/nodefs', 'ioredis', '@simplewebauthn/server', '@simplewebauthn/server/helpers', 'exceljs'];
const work = mkdtempSync(path.join(tmpdir(), 'kairos-start-build-'));
const project = path.join(work, 'project');
const dataDir = path.join(work, 'data');
const HEALTH = path.join(project, 'src', 'http', 'health.ts');
let server: Kairos | undefined;

async function start(): Promise<Kairos> {
  server = await startServer({ DATA_DIR: dataDir, PORT: String(await freePort()) }, { project });
  return server;
}

async function health(k: Kairos): Promise<Record<string, unknown>> {
  const res = await fetch(`http://127.0.0.1:${k.port}/healthz`);
  assert.equal(res.status, 200);
  return (await res.json()) as Record<string, unknown>;
}

/** The processes whose parent is `pid` (Linux /proc), by command name. */
function childrenOf(pid: number): string[] {
  return readdirSync('/proc')
    .filter((n) => /^\d+$/.test(n))
    .flatMap((n) => {
      try {
        const stat = readFileSync(`/proc/${n}/stat`, 'utf8');
        // pid (comm) state ppid …: the name may hold spaces, so split after its closing parenthesis.
        const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
        return ppid === pid ? [stat.slice(stat.indexOf('(') + 1, stat.lastIndexOf(')'))] : [];
      } catch {
        return []; // gone meanwhile
      }
    });
}

const builds = () => (existsSync(path.join(project, 'dist')) ? readdirSync(path.join(project, 'dist')).filter((n) => n.startsWith('server-')) : []);

/** Replaces one exact piece of src/http/health.ts in the copy. */
function editHealth(from: string, to: string): void {
  const text = readFileSync(HEALTH, 'utf8');
  assert.ok(text.includes(from), `src/http/health.ts no longer contains ${from}`);
  writeFileSync(HEALTH, text.replace(from, to));
}

before(() => {
  // What a clone holds (no dist/), with this install's packages.
  for (const entry of ['src', 'scripts', 'content', 'public', 'package.json', 'tsconfig.json']) cpSync(path.join(root, entry), path.join(project, entry), { recursive: true });
  symlinkSync(path.join(root, 'node_modules'), path.join(project, 'node_modules'));
});

after(async () => {
  if (server) await stopServer(server);
  rmSync(work, { recursive: true, force: true });
});

describe('npm start from the bundle', () => {
  it('builds the bundle on a first start, then serves /healthz from it', { timeout: TIMEOUT }, async () => {
    const k = await start();
    assert.match(k.stdout(), /Serveur construit \(dist\/server-[0-9a-f]{16}\)/);
    assert.doesNotMatch(k.stderr(), /tsx/);
    assert.deepEqual(await health(k), { status: 'ok', database: 'pglite' });
    assert.equal(builds().length, 1);
    // esbuild's service process ends with the build: it would otherwise hold ~80 MB for the server's life.
    if (existsSync('/proc/self/stat')) assert.deepEqual(childrenOf(k.child.pid!), [], 'no process left running beside the server');
    assert.equal(await stopServer(k), 0);
  });

  it('starts from the current bundle without building it again', { timeout: TIMEOUT }, async () => {
    const before = builds();
    const k = await start();
    assert.doesNotMatch(k.stdout(), /Serveur construit/);
    assert.deepEqual(builds(), before);
    assert.equal(await stopServer(k), 0);
  });

  it('rebuilds a stale bundle after a source file changed, and runs the new code', { timeout: TIMEOUT }, async () => {
    const [previous] = builds();
    editHealth(`status: 'ok',`, `status: 'ok', edition: 'modifiée',`);
    const k = await start();
    assert.match(k.stdout(), /Serveur construit/);
    assert.deepEqual(await health(k), { status: 'ok', edition: 'modifiée', database: 'pglite' });
    assert.equal(builds().length, 1, 'the stale bundle is removed');
    assert.notEqual(builds()[0], previous);
    assert.equal(await stopServer(k), 0);
  });

  it('falls back to the sources through tsx when the bundle cannot be built, naming why', { timeout: TIMEOUT }, async () => {
    // A module computing a path from its own location: right in the sources, wrong once bundled,
    // so the build refuses it; the sources still run.
    editHealth(`edition: 'modifiée',`, `edition: 'modifiée', location: import.meta.url.startsWith('file:'),`);
    const k = await start();
    assert.match(k.stderr(), /la construction du serveur \(dist\/\) a échoué : src\/http\/health\.ts : import\.meta/);
    assert.match(k.stderr(), /Démarrage depuis les sources TypeScript \(tsx\)/);
    assert.deepEqual(await health(k), { status: 'ok', edition: 'modifiée', location: true, database: 'pglite' });
    assert.equal(await stopServer(k), 0);
  });
});

describe('the bundle of this project', () => {
  it('imports the packages only some requests need where they are used, never at start', { timeout: TIMEOUT }, async () => {
    const { ensureServerBuild } = (await import(path.join(root, 'scripts', 'build.mjs'))) as { ensureServerBuild(): Promise<{ entry: string }> };
    const { entry } = await ensureServerBuild();
    const meta = JSON.parse(readFileSync(path.join(path.dirname(entry), 'meta.json'), 'utf8')) as {
      inputs: Record<string, { imports: Array<{ path: string; kind: string; external?: boolean }> }>;
    };
    const eager = Object.entries(meta.inputs).flatMap(([file, input]) =>
      input.imports.filter((i) => i.external && i.kind === 'import-statement' && AT_FIRST_USE.includes(i.path)).map((i) => `${file} → ${i.path}`),
    );
    assert.deepEqual(eager, [], 'use `await import(…)` where the package is needed (docs/decisions/0039)');
    const lazy = new Set(Object.values(meta.inputs).flatMap((input) => input.imports.filter((i) => i.kind === 'dynamic-import').map((i) => i.path)));
    for (const name of ['pdfkit', 'qrcode', 'nodemailer', '@zxcvbn-ts/core', 'pg', '@electric-sql/pglite', 'exceljs']) assert.ok(lazy.has(name), `${name} is imported where it is used`);
  });
});
