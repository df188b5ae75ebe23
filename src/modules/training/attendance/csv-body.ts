/**
 * Request bodies of the attendance import: `text/csv` for the API, `multipart/form-data` for the
 * page's file field. Both parsers live only in the scope of the plugin that registers them, so
 * every other route keeps refusing these types. The whole body is read (with a cap) before the
 * app-wide hooks check the form's `_csrf` field, which is why @fastify/multipart (parsing in the
 * handler) does not fit. Bytes must be valid UTF-8: invalid ones are refused, never replaced.
 */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { HttpProblem, TITLES } from '../../../http/problem.js';

/** 10 000 lines of about 70 bytes fit more than ten times over; past this the file is surely not ours. */
export const MAX_CSV_BYTES = 8 * 1024 * 1024;

const utf8 = new TextDecoder('utf-8', { fatal: true });

const tooLarge = () => new HttpProblem(413, TITLES[413], `Le fichier dépasse ${MAX_CSV_BYTES / (1024 * 1024)} Mo : découpez-le en plusieurs fichiers de 10 000 lignes au plus.`, [{ field: 'fichier', message: `Fichier : ${MAX_CSV_BYTES / (1024 * 1024)} Mo au maximum.` }]);
const notUtf8 = () => new HttpProblem(422, TITLES[422], 'Le fichier n’est pas encodé en UTF-8 : enregistrez-le au format « CSV UTF-8 » puis importez-le de nouveau.', [{ field: 'fichier', message: 'Fichier : encodage UTF-8 attendu (avec ou sans BOM).' }]);
const malformed = () => new HttpProblem(400, TITLES[400], 'Le formulaire envoyé est mal formé. Rechargez la page puis réessayez.');

export function decodeCsv(bytes: Uint8Array): string {
  try {
    return utf8.decode(bytes);
  } catch {
    throw notUtf8();
  }
}

async function readCapped(payload: AsyncIterable<Buffer>, declared: number, cap: number): Promise<Buffer> {
  if (declared > cap) throw tooLarge();
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of payload) {
    size += chunk.length;
    if (size > cap) throw tooLarge();
    chunks.push(chunk);
  }
  return Buffer.concat(chunks);
}

/** `text/csv` → the decoded text (a string body). */
export function acceptCsvBodies(scope: FastifyInstance): void {
  scope.addContentTypeParser('text/csv', async (request: FastifyRequest, payload: AsyncIterable<Buffer>) =>
    decodeCsv(await readCapped(payload, Number(request.headers['content-length'] ?? 0), MAX_CSV_BYTES)),
  );
}

/** The page's form: text fields as strings, the CSV file (field `fichier`) decoded as text. */
export interface CsvForm {
  fields: Record<string, string>;
  file: { name: string; text: string } | null;
}

export function acceptCsvForms(scope: FastifyInstance): void {
  scope.addContentTypeParser('multipart/form-data', async (request: FastifyRequest, payload: AsyncIterable<Buffer>): Promise<CsvForm> => {
    const raw = await readCapped(payload, Number(request.headers['content-length'] ?? 0), MAX_CSV_BYTES + 64 * 1024);
    let form: FormData;
    try {
      form = await new Response(new Uint8Array(raw), { headers: { 'content-type': String(request.headers['content-type'] ?? '') } }).formData();
    } catch {
      throw malformed();
    }
    const out: CsvForm = { fields: Object.create(null), file: null };
    for (const [name, value] of form) {
      if (typeof value === 'string') out.fields[name] = value;
      else if (name === 'fichier' && value.size > 0) out.file = { name: value.name.slice(0, 200), text: decodeCsv(new Uint8Array(await value.arrayBuffer())) };
    }
    // The app-wide CSRF hook reads the `_csrf` field from the body.
    return Object.assign(out, { _csrf: out.fields._csrf });
  });
}
