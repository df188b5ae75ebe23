// The server bundled ahead of time (docs/decisions/0039-start-up-bundle.md): esbuild turns
// src/main.ts and everything it imports from src/ into a few ESM files, npm packages left as
// imports, so that `npm start` runs plain node instead of transpiling some 350 TypeScript files
// through tsx at every start. Plain JavaScript on purpose: it must run before anything is built.
//
// The bundle lives in dist/server-<key>/, the key being a hash of what it is built from (every
// source file of src/ but the tests, this script, tsconfig.json, package.json, esbuild's
// version). Checking that it is current is reading those files (~15 ms), never a build.
// Used by scripts/start.mjs and scripts/test.mjs; run alone (`node scripts/build.mjs`) it builds
// if needed and prints where the bundle is.
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const DIST = path.join(ROOT, 'dist');
const ENTRY = 'main.js';
/** The one source module that may read its own location (src/project-root.ts says why). */
const LOCATION_READER = 'src/project-root.ts';
/** A half-built folder left by a crashed build is removed once it is this old. */
const ABANDONED_BUILD_MS = 10 * 60_000;

function sourceFiles(dir, out = []) {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) sourceFiles(full, out);
    else if (entry.isFile() && !/\.test\.tsx?$/.test(entry.name)) out.push(full);
  }
  return out;
}

/** The hash of everything the bundle is made of: equal keys, equal bundles. */
export function sourceKey() {
  const hash = createHash('sha256');
  const esbuild = JSON.parse(readFileSync(path.join(ROOT, 'node_modules', 'esbuild', 'package.json'), 'utf8'));
  hash.update(`esbuild ${esbuild.version}\n`);
  const files = [fileURLToPath(import.meta.url), path.join(ROOT, 'tsconfig.json'), path.join(ROOT, 'package.json'), ...sourceFiles(path.join(ROOT, 'src')).sort()];
  for (const file of files) {
    hash.update(`${path.relative(ROOT, file)}\n`);
    hash.update(readFileSync(file));
  }
  return hash.digest('hex').slice(0, 16);
}

export function bundleEntry(key) {
  return path.join(DIST, `server-${key}`, ENTRY);
}

export class BuildError extends Error {}

/**
 * Refuses a bundle in which a module other than src/project-root.ts reads `import.meta`: bundled,
 * every module shares the bundle's location, so a path computed from it would point elsewhere
 * than in the sources. esbuild marks where each source file starts (`// src/…`).
 */
function checkLocationReaders(code) {
  const offenders = new Set();
  let current = '';
  for (const line of code.split('\n')) {
    const marker = /^\/\/ (src\/\S+)$/.exec(line);
    if (marker) current = marker[1];
    else if (line.includes('import.meta') && current !== LOCATION_READER) offenders.add(current || '(début du fichier)');
  }
  if (offenders.size > 0) {
    throw new BuildError(
      `${[...offenders].join(', ')} : import.meta ne donne pas le dossier du fichier une fois le serveur regroupé ; utilisez PROJECT_ROOT (src/project-root.ts).`,
    );
  }
}

/** Builds into a private folder, checks it, then renames it into place: a bundle is whole or absent. */
async function build(key) {
  const { build: esbuild, stop: stopEsbuild } = await import('esbuild');
  mkdirSync(DIST, { recursive: true });
  const building = path.join(DIST, `.building-${process.pid}-${Date.now()}`);
  try {
    const result = await esbuild({
      absWorkingDir: ROOT,
      entryPoints: { main: path.join(ROOT, 'src', 'main.ts') },
      outdir: building,
      // main.ts's own imports (settings, the data folder's lock, the database) stay in the first
      // file; what it imports dynamically (the application) goes to chunks/: a second process on
      // a busy folder leaves before loading the rest, and the database opens while it loads.
      splitting: true,
      chunkNames: 'chunks/[name]-[hash]',
      bundle: true,
      platform: 'node',
      format: 'esm',
      target: 'node20',
      // npm packages stay imports resolved from node_modules at run time: their own files, their
      // native parts (argon2) and the files they read beside themselves (PGlite's wasm) as installed.
      packages: 'external',
      sourcemap: 'linked',
      metafile: true,
      logLevel: 'silent',
    });
    for (const output of Object.keys(result.metafile.outputs)) {
      if (output.endsWith('.js')) checkLocationReaders(readFileSync(path.join(ROOT, output), 'utf8'));
    }
    writeFileSync(path.join(building, 'meta.json'), JSON.stringify(result.metafile));
    const target = path.dirname(bundleEntry(key));
    try {
      renameSync(building, target);
    } catch (err) {
      // Another start built the same key meanwhile: same sources, same bundle; keep theirs.
      if (!existsSync(path.join(target, ENTRY))) throw err;
    }
  } catch (err) {
    if (err instanceof BuildError) throw err;
    const errors = err && typeof err === 'object' && Array.isArray(err.errors) ? err.errors : [];
    const first = errors[0];
    const where = first?.location ? ` (${first.location.file}:${first.location.line})` : '';
    throw new BuildError(first ? `${first.text}${where}` : err instanceof Error ? err.message : String(err));
  } finally {
    rmSync(building, { recursive: true, force: true });
    // esbuild's service is a child process that otherwise lives as long as the server that
    // built its own bundle at start: tens of MB held for nothing.
    await stopEsbuild();
  }
}

/** Removes the bundles of other sources, and half-built folders of crashed builds. */
function removeOtherBuilds(key) {
  const keep = path.basename(path.dirname(bundleEntry(key)));
  for (const name of readdirSync(DIST)) {
    const full = path.join(DIST, name);
    try {
      if (name.startsWith('server-') && name !== keep) rmSync(full, { recursive: true, force: true });
      else if (name.startsWith('.building-') && Date.now() - statSync(full).mtimeMs > ABANDONED_BUILD_MS) rmSync(full, { recursive: true, force: true });
    } catch {
      // Removed by another start at the same moment, or not ours to remove: no harm either way.
    }
  }
}

/**
 * The bundle for the current sources, built when missing. Returns its entry file, whether this
 * call built it, and how long the check (and build) took. Throws BuildError when it cannot build.
 */
export async function ensureServerBuild() {
  const started = performance.now();
  const key = sourceKey();
  const entry = bundleEntry(key);
  if (existsSync(entry)) return { entry, built: false, ms: performance.now() - started };
  await build(key);
  removeOtherBuilds(key);
  return { entry, built: true, ms: performance.now() - started };
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  try {
    const { entry, built, ms } = await ensureServerBuild();
    process.stdout.write(`Kairos : serveur ${built ? 'construit' : 'déjà à jour'} (${path.relative(ROOT, entry)}, ${(ms / 1000).toFixed(2)} s)\n`);
  } catch (err) {
    process.stderr.write(`Kairos : construction du serveur impossible : ${err instanceof Error ? err.message : String(err)}\n`);
    process.exit(1);
  }
}
