/**
 * Attendance files on their way in, kept on disk instead of in memory (decision 0041): the upload
 * is written as it arrives to a file of its own (mode 0600, in a fresh 0700 folder of the system's
 * temporary directory), capped in size, then read back line by line as many times as the import
 * needs. Whoever receives a `SpooledUpload` removes it, whatever happens.
 */
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { mkdtemp, open, rm, type FileHandle } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { HttpProblem, TITLES, type FieldError } from '../../../http/problem.js';

/** Temporary folders of uploads start with this (tests look for leftovers by it). */
export const UPLOAD_PREFIX = 'kairos-csv-';
/** A line longer than this is not one of ours; refusing it keeps a file without line breaks out of memory. */
export const MAX_LINE_CHARS = 4096;

export const notUtf8 = () =>
  new HttpProblem(422, TITLES[422], 'Le fichier n’est pas encodé en UTF-8 : enregistrez-le au format « CSV UTF-8 » puis importez-le de nouveau.', [{ field: 'fichier', message: 'Fichier : encodage UTF-8 attendu (avec ou sans BOM).' }]);
export const malformedForm = () => new HttpProblem(400, TITLES[400], 'Le formulaire envoyé est mal formé. Rechargez la page puis réessayez.');

/**
 * An upload on disk. `remove()` may be called any number of times. Its only visible properties
 * are its size and its SHA-256, so that what fingerprints a request body (idempotency keys)
 * sees the file's content, never its temporary path.
 */
export class SpooledUpload {
  #removed = false;
  readonly #file: string;
  readonly #dir: string;
  constructor(
    file: string,
    readonly bytes: number,
    readonly sha256: string,
    dir: string,
  ) {
    this.#file = file;
    this.#dir = dir;
  }

  get file(): string {
    return this.#file;
  }

  async remove(): Promise<void> {
    if (this.#removed) return;
    this.#removed = true;
    await rm(this.#dir, { recursive: true, force: true });
  }
}

/** A file being written: created only once the caller has decided the upload may be stored. */
class Spool {
  private constructor(
    private readonly dir: string,
    private readonly file: string,
    private readonly handle: FileHandle,
    private readonly cap: number,
    private readonly tooLarge: () => Error,
  ) {}
  bytes = 0;
  private readonly hash = createHash('sha256');

  static async create(cap: number, tooLarge: () => Error): Promise<Spool> {
    const dir = await mkdtemp(path.join(tmpdir(), UPLOAD_PREFIX));
    try {
      const file = path.join(dir, 'upload.csv');
      return new Spool(dir, file, await open(file, 'wx', 0o600), cap, tooLarge);
    } catch (err) {
      await rm(dir, { recursive: true, force: true });
      throw err;
    }
  }

  async write(chunk: Buffer): Promise<void> {
    this.bytes += chunk.length;
    if (this.bytes > this.cap) throw this.tooLarge();
    this.hash.update(chunk);
    if (chunk.length) await this.handle.write(chunk);
  }

  async finish(): Promise<SpooledUpload> {
    await this.handle.close();
    return new SpooledUpload(this.file, this.bytes, this.hash.digest('hex'), this.dir);
  }

  async discard(): Promise<void> {
    await this.handle.close().catch(() => undefined);
    await rm(this.dir, { recursive: true, force: true });
  }
}

/**
 * The body's chunks, without destroying the request when reading stops early (a refusal): over
 * HTTP that would reset the connection, and the client would never see the French answer.
 */
function chunksOf(source: AsyncIterable<Buffer>): AsyncIterable<Buffer> {
  const readable = source as AsyncIterable<Buffer> & { iterator?: (options: { destroyOnReturn: boolean }) => AsyncIterable<Buffer> };
  return typeof readable.iterator === 'function' ? readable.iterator({ destroyOnReturn: false }) : source;
}

/** A raw body (`text/csv`) to disk, refused as soon as it passes `cap` bytes. */
export async function spoolBody(source: AsyncIterable<Buffer>, cap: number, tooLarge: () => Error): Promise<SpooledUpload> {
  const spool = await Spool.create(cap, tooLarge);
  try {
    for await (const chunk of chunksOf(source)) await spool.write(chunk);
    return await spool.finish();
  } catch (err) {
    await spool.discard();
    throw err;
  }
}

export interface SpooledForm {
  fields: Record<string, string>;
  file: SpooledUpload | null;
}

interface FormLimits {
  /** The file field's name. */
  field: string;
  maxFileBytes: number;
  tooLarge: () => Error;
  /**
   * Called with the text fields read so far, before the first byte of the file is read or
   * stored (and at the end when there is no file): the form's CSRF check. Throwing stops there.
   */
  beforeFile(fields: Record<string, string>): void;
}

const MAX_FIELD_BYTES = 16 * 1024;
const MAX_HEADER_BYTES = 8 * 1024;

function boundaryOf(contentType: string): string {
  const m = /boundary=(?:"([^"]{1,70})"|([^;\s]{1,70}))/i.exec(contentType);
  if (!m) throw malformedForm();
  return (m[1] ?? m[2])!;
}

function dispositionOf(headers: string): { name: string; filename: string | null } {
  const line = headers.split('\r\n').find((h) => /^content-disposition:/i.test(h));
  const name = line && /\bname="([^"]*)"/i.exec(line);
  if (!name) throw malformedForm();
  const filename = /\bfilename="([^"]*)"/i.exec(line!);
  return { name: name[1]!, filename: filename ? filename[1]! : null };
}

/**
 * A `multipart/form-data` body read as it arrives: text fields kept (16 KiB in all), the file
 * field written to disk, any other file skipped. The browser sends fields in the form's order, so
 * the `_csrf` field, first in the form, is checked before the file part's first byte is read.
 */
export async function spoolForm(source: AsyncIterable<Buffer>, contentType: string, limits: FormLimits): Promise<SpooledForm> {
  const delimiter = Buffer.from(`\r\n--${boundaryOf(contentType)}`);
  const keep = delimiter.length - 1;
  const fields: Record<string, string> = Object.create(null);
  let fieldBytes = 0;
  let checked = false;
  // Changed inside drain(): typed wide so that the checks after it are not narrowed away.
  let state = 'preamble' as 'preamble' | 'after' | 'headers' | 'body' | 'done';
  let part: { name: string; kind: 'field' | 'file' | 'skip'; chunks: Buffer[] } | null = null;
  let spool: Spool | null = null;
  let file: SpooledUpload | null = null;
  let buf: Buffer = Buffer.from('\r\n'); // so that the first delimiter has its line break too

  const check = () => {
    if (!checked) limits.beforeFile(fields);
    checked = true;
  };
  const emit = async (bytes: Buffer) => {
    if (!part || bytes.length === 0) return;
    if (part.kind === 'file') await spool!.write(bytes);
    else if (part.kind === 'field') {
      fieldBytes += bytes.length;
      if (fieldBytes > MAX_FIELD_BYTES) throw malformedForm();
      part.chunks.push(bytes);
    }
  };
  const endPart = async () => {
    if (part?.kind === 'field') fields[part.name] = Buffer.concat(part.chunks).toString('utf8');
    if (part?.kind === 'file') {
      const done = spool!;
      spool = null;
      if (done.bytes === 0) await done.discard();
      else file = await done.finish();
    }
    part = null;
  };
  const startPart = async (headers: string) => {
    const { name, filename } = dispositionOf(headers);
    if (filename === null) {
      part = { name, kind: 'field', chunks: [] };
      return;
    }
    check();
    if (name === limits.field && !file && !spool) {
      spool = await Spool.create(limits.maxFileBytes, limits.tooLarge);
      part = { name, kind: 'file', chunks: [] };
    } else part = { name, kind: 'skip', chunks: [] };
  };
  const drain = async () => {
    for (;;) {
      if (state === 'preamble' || state === 'body') {
        const at = buf.indexOf(delimiter);
        if (at < 0) {
          if (state === 'body' && buf.length > keep) await emit(buf.subarray(0, buf.length - keep));
          if (buf.length > keep) buf = buf.subarray(buf.length - keep);
          return;
        }
        if (state === 'body') {
          await emit(buf.subarray(0, at));
          await endPart();
        }
        buf = buf.subarray(at + delimiter.length);
        state = 'after';
      } else if (state === 'after') {
        if (buf.length < 2) return;
        const mark = buf.subarray(0, 2).toString('latin1');
        if (mark === '--') {
          state = 'done';
          return;
        }
        if (mark !== '\r\n') throw malformedForm();
        buf = buf.subarray(2);
        state = 'headers';
      } else if (state === 'headers') {
        const end = buf.indexOf('\r\n\r\n');
        if (end < 0) {
          if (buf.length > MAX_HEADER_BYTES) throw malformedForm();
          return;
        }
        await startPart(buf.subarray(0, end).toString('utf8'));
        buf = buf.subarray(end + 4);
        state = 'body';
      } else return;
    }
  };

  try {
    for await (const chunk of chunksOf(source)) {
      if (state === 'done') continue; // the epilogue is ignored
      buf = buf.length ? Buffer.concat([buf, chunk]) : chunk;
      await drain();
    }
    if (state !== 'done') throw malformedForm();
    check();
    return { fields, file };
  } catch (err) {
    await (spool as Spool | null)?.discard();
    await (file as SpooledUpload | null)?.remove();
    throw err;
  }
}

/** Where the lines of a file come from: each call of `lines()` reads it again from the start. */
export interface CsvSource {
  lines(): AsyncIterable<string>;
}

const LINE_BREAK = /\r\n|\n|\r/;

function tooLong(line: number): HttpProblem {
  const message = `Ligne : plus de ${MAX_LINE_CHARS} caractères ; vérifiez que le fichier est bien un CSV d’assiduité, une demi-journée par ligne.`;
  return new HttpProblem(422, TITLES[422], `La ligne ${line} est trop longue : le fichier n’a pas été importé. Rien n’a été enregistré.`, [{ line, field: 'fichier', message } as FieldError]);
}

/** Lines of UTF-8 chunks (a BOM dropped, `\r\n`, `\n` or `\r`); invalid bytes are refused, never replaced. */
export async function* linesOf(chunks: AsyncIterable<Uint8Array | string>): AsyncGenerator<string> {
  const decoder = new TextDecoder('utf-8', { fatal: true });
  const decode = (chunk?: Uint8Array) => {
    try {
      return chunk ? decoder.decode(chunk, { stream: true }) : decoder.decode();
    } catch {
      throw notUtf8();
    }
  };
  let rest = '';
  let count = 0;
  for await (const chunk of chunks) {
    let text = rest + (typeof chunk === 'string' ? chunk : decode(chunk));
    // A '\r' ending the chunk may be the first half of '\r\n': it waits for the next one.
    const held = text.endsWith('\r') ? '\r' : '';
    if (held) text = text.slice(0, -1);
    const parts = text.split(LINE_BREAK);
    rest = parts.pop()! + held;
    for (const p of parts) {
      count++;
      if (p.length > MAX_LINE_CHARS) throw tooLong(count);
      yield p;
    }
    if (rest.length > MAX_LINE_CHARS + 1) throw tooLong(count + 1);
  }
  const parts = (rest + decode()).split(LINE_BREAK);
  for (const p of parts) {
    count++;
    if (p.length > MAX_LINE_CHARS) throw tooLong(count);
    yield p;
  }
}

export const fileSource = (upload: SpooledUpload): CsvSource => ({ lines: () => linesOf(createReadStream(upload.file, { highWaterMark: 256 * 1024 })) });

/** A file already in memory (the demo world builds its own). */
export const textSource = (text: string): CsvSource => ({
  lines: () =>
    linesOf(
      (async function* () {
        yield text.replace(/^\uFEFF/, '');
      })(),
    ),
});
