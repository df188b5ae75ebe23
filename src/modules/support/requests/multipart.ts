/**
 * multipart/form-data for the routes that take screenshots, and for them only.
 *
 * Why not @fastify/multipart: it reads the parts in a preValidation hook (or in the handler),
 * which runs after the app-wide hook that checks the `_csrf` field of forms (auth.ts), so a
 * form with files would always be refused. Parsing here, as the body parser of this plugin's
 * scope, gives that hook a body to check. The body is read into memory with a hard cap (three
 * 5 MB screenshots and the text fit well under it) and decoded by Node's own FormData parser.
 * Routes outside the scope keep refusing multipart with a 415, so a cross-site HTML form can
 * still reach no public JSON route (docs/decisions/0004-csrf-tokens.md).
 */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { HttpProblem, TITLES } from '../../../http/problem.js';
import { MAX_SCREENSHOTS, MAX_SCREENSHOT_BYTES } from './files.js';

/** Room for the screenshots at their limit and the text, plus slack so a slightly oversized file gets a precise message. */
export const MAX_UPLOAD_BYTES = 20 * 1024 * 1024;
/** Beyond this, the rest of the body is not even read: the connection is cut. */
const DRAIN_LIMIT_BYTES = 4 * MAX_UPLOAD_BYTES;

/** A file of a multipart body. A JSON body cannot produce one: only this parser builds them. */
export class UploadedFile {
  constructor(
    readonly fieldName: string,
    readonly fileName: string,
    readonly data: Buffer,
  ) {}
}

export type MultipartBody = Record<string, string | string[] | UploadedFile[]>;

function tooLarge(): HttpProblem {
  return new HttpProblem(
    413,
    TITLES[413],
    `L’envoi dépasse ${MAX_UPLOAD_BYTES / (1024 * 1024)} Mo : joignez au plus ${MAX_SCREENSHOTS} captures d’écran de ${MAX_SCREENSHOT_BYTES / (1024 * 1024)} Mo chacune.`,
    [{ field: 'screenshots', message: `Captures d’écran (screenshots) : ${MAX_SCREENSHOTS} au plus, de 5 Mo chacune.` }],
  );
}

const malformed = () => new HttpProblem(400, TITLES[400], 'Le formulaire envoyé est mal formé (multipart/form-data). Rechargez la page puis réessayez.');
// Node's decoder replaces invalid UTF-8 with U+FFFD; like the other body parsers, refuse instead.
const notUtf8 = () => new HttpProblem(400, TITLES[400], "Le contenu envoyé n'est pas encodé en UTF-8. Enregistrez-le en UTF-8 puis réessayez.");

async function readCapped(payload: AsyncIterable<Buffer>, declared: number): Promise<Buffer> {
  if (declared > MAX_UPLOAD_BYTES) throw tooLarge();
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of payload) {
    size += chunk.length;
    if (size > DRAIN_LIMIT_BYTES) throw tooLarge();
    // Past the cap the rest is read and dropped, so the browser receives the answer rather than a reset.
    if (size <= MAX_UPLOAD_BYTES) chunks.push(chunk);
  }
  if (size > MAX_UPLOAD_BYTES) throw tooLarge();
  return Buffer.concat(chunks);
}

export async function parseMultipart(raw: Buffer, contentType: string): Promise<MultipartBody> {
  let form: FormData;
  try {
    form = await new Response(new Uint8Array(raw), { headers: { 'content-type': contentType } }).formData();
  } catch {
    throw malformed();
  }
  // No prototype: a part named like an Object method must not read one back as a previous value.
  const body: MultipartBody = Object.create(null);
  const isFiles = (v: unknown): v is UploadedFile[] => Array.isArray(v) && v[0] instanceof UploadedFile;
  for (const [name, value] of form) {
    if (name === '__proto__' || name === 'constructor' || name === 'prototype') throw malformed();
    const prev = body[name];
    if (typeof value === 'string') {
      if (value.includes('\uFFFD')) throw notUtf8();
      if (isFiles(prev)) {
        if (value === '') continue; // an empty file input, as some clients encode it
        throw malformed(); // one name for both a file and a text
      }
      body[name] = prev === undefined ? value : Array.isArray(prev) ? [...(prev as string[]), value] : [prev, value];
      continue;
    }
    // A file input left empty still sends a part, with no file name and no content.
    if (value.name === '' && value.size === 0) continue;
    if (prev !== undefined && prev !== '' && !isFiles(prev)) throw malformed();
    body[name] = [...(isFiles(prev) ? prev : []), new UploadedFile(name, value.name, Buffer.from(await value.arrayBuffer()))];
  }
  return { ...body };
}

/** Adds the parser to the caller's scope (an encapsulated plugin holding the upload routes only). */
export function acceptScreenshotUploads(scope: FastifyInstance): void {
  scope.addContentTypeParser('multipart/form-data', async (request: FastifyRequest, payload: AsyncIterable<Buffer>) => {
    const contentType = String(request.headers['content-type'] ?? '');
    const raw = await readCapped(payload, Number(request.headers['content-length'] ?? 0));
    return parseMultipart(raw, contentType);
  });
}

/** The text fields and the files of a body; a JSON body has no files. */
export function splitBody(body: unknown): { fields: Record<string, unknown>; files: UploadedFile[]; fileFields: string[] } {
  const source = body && typeof body === 'object' && !Array.isArray(body) ? (body as Record<string, unknown>) : {};
  const fields: Record<string, unknown> = {};
  const files: UploadedFile[] = [];
  const fileFields: string[] = [];
  for (const [name, value] of Object.entries(source)) {
    if (Array.isArray(value) && value.length > 0 && value.every((v) => v instanceof UploadedFile)) {
      files.push(...(value as UploadedFile[]));
      fileFields.push(name);
    } else fields[name] = value;
  }
  return { fields, files, fileFields };
}
