import { createReadStream, createWriteStream, type Dirent } from 'node:fs';
import { lstat, mkdir, readdir } from 'node:fs/promises';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';
import { createGunzip, createGzip } from 'node:zlib';
import type { Readable, Writable } from 'node:stream';
import type { Pack } from 'tar-stream';

/**
 * The backup archive: one gzipped tar holding `manifest.json` first, then `database/…` (a
 * PGlite data folder, or `database/kairos.pgdump` from pg_dump) and `attachments/…`.
 */
export const MANIFEST = 'manifest.json';
export const ARCHIVE_FORMAT = 'kairos-backup';

export interface Manifest {
  format: typeof ARCHIVE_FORMAT;
  version: 1;
  engine: 'pglite' | 'postgres';
  createdAt: string;
  /** The last migration applied to the saved database. */
  migration: string | null;
}

export class ArchiveError extends Error {}

/** Writes the archive to `out`; `fill` adds the entries after the manifest. */
export async function writeArchive(out: Writable, manifest: Manifest, fill: (pack: Pack) => Promise<void>): Promise<void> {
  // Loaded by the first backup, not at every start of the server (docs/decisions/0039).
  const { default: tar } = await import('tar-stream');
  const pack = tar.pack();
  const done = pipeline(pack, createGzip({ level: 6 }), out);
  try {
    await addBuffer(pack, MANIFEST, Buffer.from(JSON.stringify(manifest, null, 2)));
    await fill(pack);
    pack.finalize();
  } catch (err) {
    pack.destroy(err as Error);
    await done.catch(() => {});
    throw err;
  }
  await done;
}

function addBuffer(pack: Pack, name: string, content: Buffer): Promise<void> {
  return new Promise((resolve, reject) => pack.entry({ name, mode: 0o600 }, content, (err) => (err ? reject(err) : resolve())));
}

async function addFile(pack: Pack, name: string, file: string, size: number): Promise<void> {
  const entry = pack.entry({ name, size, mode: 0o600 });
  await pipeline(createReadStream(file), entry);
}

/**
 * Adds every regular file under `dir` as `prefix/relative/path`, skipping the relative paths
 * `skip` names (and everything below them). A missing folder adds nothing.
 */
export async function addFolder(pack: Pack, dir: string, prefix: string, skip: ReadonlySet<string> = new Set()): Promise<number> {
  let count = 0;
  const walk = async (relative: string): Promise<void> => {
    let entries: Dirent[];
    try {
      entries = await readdir(path.join(dir, relative), { withFileTypes: true });
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return;
      throw err;
    }
    entries.sort((a, b) => a.name.localeCompare(b.name));
    for (const entry of entries) {
      const rel = relative ? `${relative}/${entry.name}` : entry.name;
      if (skip.has(rel)) continue;
      if (entry.isDirectory()) {
        await new Promise<void>((resolve, reject) => pack.entry({ name: `${prefix}/${rel}/`, type: 'directory', mode: 0o700 }, (err) => (err ? reject(err) : resolve())));
        await walk(rel);
      } else if (entry.isFile()) {
        const full = path.join(dir, rel);
        await addFile(pack, `${prefix}/${rel}`, full, (await lstat(full)).size);
        count++;
      }
    }
  };
  await walk('');
  return count;
}

export async function addFileAs(pack: Pack, name: string, file: string): Promise<void> {
  await addFile(pack, name, file, (await lstat(file)).size);
}

/** Where each top-level part of the archive is extracted; a part without a target is refused. */
export type ExtractTargets = Record<string, string>;

function safeTarget(name: string, targets: ExtractTargets): string | null {
  const normalised = path.posix.normalize(name);
  if (normalised.startsWith('/') || normalised.split('/').includes('..')) throw new ArchiveError(`chemin refusé dans l’archive : ${name.slice(0, 100)}`);
  const [top, ...rest] = normalised.replace(/\/$/, '').split('/');
  const root = targets[top!];
  if (root === undefined) throw new ArchiveError(`élément inattendu dans l’archive : ${name.slice(0, 100)}`);
  return rest.length ? path.join(root, ...rest) : root;
}

/**
 * Reads an archive: the manifest first (checked by `accept` before anything is written), then
 * each entry into its target folder. Paths leaving their folder, links and devices are refused.
 */
export async function extractArchive(input: Readable, accept: (manifest: Manifest) => Promise<ExtractTargets>): Promise<Manifest> {
  const { default: tar } = await import('tar-stream');
  const extract = tar.extract();
  let manifest: Manifest | null = null;
  let targets: ExtractTargets | null = null;
  extract.on('entry', (header, stream, next) => {
    const handle = async () => {
      if (!manifest) {
        if (header.name !== MANIFEST) throw new ArchiveError('ce fichier n’est pas une sauvegarde Kairos (manifest.json absent en tête).');
        manifest = parseManifest(await readAll(stream as unknown as AsyncIterable<Uint8Array>));
        targets = await accept(manifest);
        return;
      }
      const target = safeTarget(header.name, targets!);
      if (header.type === 'directory') {
        await mkdir(target!, { recursive: true, mode: 0o700 });
        stream.resume();
      } else if (header.type === 'file') {
        await mkdir(path.dirname(target!), { recursive: true, mode: 0o700 });
        await pipeline(stream, createWriteStream(target!, { mode: 0o600 }));
      } else {
        throw new ArchiveError(`type d’entrée refusé dans l’archive : ${header.type}`);
      }
    };
    handle().then(() => next(), (err) => next(err));
  });
  await pipeline(input, createGunzip(), extract);
  if (!manifest) throw new ArchiveError('archive vide : ce fichier n’est pas une sauvegarde Kairos.');
  return manifest;
}

async function readAll(stream: AsyncIterable<Uint8Array>): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(Buffer.from(chunk));
  return Buffer.concat(chunks).toString('utf8');
}

function parseManifest(text: string): Manifest {
  let value: Partial<Manifest>;
  try {
    value = JSON.parse(text) as Partial<Manifest>;
  } catch {
    throw new ArchiveError('manifest.json illisible : ce fichier n’est pas une sauvegarde Kairos.');
  }
  if (value.format !== ARCHIVE_FORMAT || value.version !== 1 || (value.engine !== 'pglite' && value.engine !== 'postgres')) {
    throw new ArchiveError('format de sauvegarde inconnu (manifest.json) : ce fichier n’est pas une sauvegarde Kairos version 1.');
  }
  return value as Manifest;
}
