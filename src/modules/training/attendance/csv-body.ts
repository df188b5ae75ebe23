/**
 * Request bodies of the attendance import: `text/csv` for the API, `multipart/form-data` for the
 * page's file field. Both parsers live only in the scope of the plugin that registers them, so
 * every other route keeps refusing these types. Neither keeps the file in memory: it is written
 * to a temporary file as it arrives (csv-upload.ts), which the route removes once answered,
 * whatever the outcome (`removeUploadAfterwards`). Access, session and CSRF are checked before
 * the file's first byte is read: the API's header in the `onRequest` hook (http/auth.ts), the
 * form's `_csrf` field, which precedes the file in the body, by the multipart reader itself.
 */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { checkFormToken } from '../../../http/csrf.js';
import { HttpProblem, TITLES } from '../../../http/problem.js';
import { CSV_MAX_LINES } from './csv-rules.js';
import { SpooledUpload, spoolBody, spoolForm, type SpooledForm } from './csv-upload.js';

/** 100 000 lines of about 70 bytes fit three times over; past this the file is surely not ours. */
export const MAX_CSV_BYTES = 24 * 1024 * 1024;

const megabytes = MAX_CSV_BYTES / (1024 * 1024);
const tooLarge = () =>
  new HttpProblem(413, TITLES[413], `Le fichier dépasse ${megabytes} Mo : découpez-le en plusieurs fichiers de ${CSV_MAX_LINES.toLocaleString('fr-FR')} lignes au plus. Rien n’a été enregistré.`, [
    { field: 'fichier', message: `Fichier : ${megabytes} Mo au maximum.` },
  ]);

function refuseDeclaredSize(request: FastifyRequest, cap: number): void {
  if (Number(request.headers['content-length'] ?? 0) > cap) throw tooLarge();
}

/** The temporary file goes when the answer is sent, or when the client gives up before. */
function removeUploadAfterwards(scope: FastifyInstance): void {
  const remove = async (request: FastifyRequest) => {
    const body = request.body as unknown;
    const upload = body instanceof SpooledUpload ? body : (body as Partial<SpooledForm> | undefined)?.file;
    if (upload instanceof SpooledUpload) await upload.remove();
  };
  scope.addHook('onResponse', remove);
  scope.addHook('onRequestAbort', remove);
}

/** `text/csv` → a `SpooledUpload` (the file on disk). */
export function acceptCsvBodies(scope: FastifyInstance): void {
  removeUploadAfterwards(scope);
  scope.addContentTypeParser('text/csv', async (request: FastifyRequest, payload: AsyncIterable<Buffer>) => {
    refuseDeclaredSize(request, MAX_CSV_BYTES);
    return spoolBody(payload, MAX_CSV_BYTES, tooLarge);
  });
}

/** The page's form: text fields as strings, the CSV file (field `fichier`) on disk, or null. */
export type CsvForm = SpooledForm;

export function acceptCsvForms(scope: FastifyInstance): void {
  removeUploadAfterwards(scope);
  scope.addContentTypeParser('multipart/form-data', async (request: FastifyRequest, payload: AsyncIterable<Buffer>) => {
    refuseDeclaredSize(request, MAX_CSV_BYTES + 64 * 1024);
    const form = await spoolForm(payload, String(request.headers['content-type'] ?? ''), {
      field: 'fichier',
      maxFileBytes: MAX_CSV_BYTES,
      tooLarge,
      beforeFile: (fields) => checkFormToken(request, fields._csrf, scope.ctx.config),
    });
    // The app-wide CSRF hook reads the `_csrf` field from the body (checked once more there).
    return Object.assign(form, { _csrf: form.fields._csrf });
  });
}
