/**
 * Reading a new support request from a body, the same way for the API (multipart or JSON) and
 * the form: text fields through the zod schema, files through the content checks, every error
 * at once so a form shows them together. Nothing is stored until all of it passes.
 */
import { fieldErrorsFrom, unexpectedFieldMessage, type FieldError } from '../../../http/problem.js';
import { checkScreenshots, SCREENSHOTS_FIELD, type CheckedFile } from './files.js';
import { splitBody } from './multipart.js';
import { z } from 'zod';
import { supportRequestSchema, type SupportRequestInput } from './schemas.js';

export type CreationInput =
  | { ok: true; input: SupportRequestInput; files: CheckedFile[] }
  | { ok: false; status: 413 | 422; errors: FieldError[]; fields: Record<string, unknown> };

/** `ignored`: fields of the transport, not of the request (the form's `_csrf`). */
export function readCreation(body: unknown, ignored: readonly string[] = []): CreationInput {
  const { fields, files, fileFields } = splitBody(body);
  for (const name of ignored) delete fields[name];
  // An empty file input arrives from some clients as an empty text part.
  if (fields[SCREENSHOTS_FIELD] === '') delete fields[SCREENSHOTS_FIELD];
  const errors: FieldError[] = fileFields.filter((f) => f !== SCREENSHOTS_FIELD).map((f) => ({ field: f, message: unexpectedFieldMessage(f) }));
  const parsed = supportRequestSchema.safeParse(fields);
  if (!parsed.success) errors.push(...fieldErrorsFrom(parsed.error.issues));
  const screenshots = checkScreenshots(files.filter((f) => f.fieldName === SCREENSHOTS_FIELD));
  if (!screenshots.ok) errors.push(...screenshots.errors);
  if (errors.length || !parsed.success || !screenshots.ok) {
    // The text fields as sent, so that a refused form is shown again as typed.
    return { ok: false, status: !screenshots.ok && screenshots.status === 413 ? 413 : 422, errors, fields };
  }
  return { ok: true, input: parsed.data, files: screenshots.files };
}

const CREATION_FIELDS =
  'Champs category, subject, description, steps (facultatif), errorReference (facultatif), et jusqu’à 3 captures d’écran ' +
  '« screenshots » (PNG, JPEG ou WebP, 5 Mo chacune au plus), en multipart/form-data ou en JSON sans capture.';

/**
 * A new request, multipart (with screenshots) or JSON. The text fields and the files are judged
 * together by readCreation above, so that every error is reported at once, and its verdict
 * is the value the handler receives: a screenshot too large is a 413, which a schema's refusal
 * (always 422) could not say. `ignored`: the form's `_csrf`.
 */
const creation = (ignored: readonly string[]) => z.unknown().transform((body) => readCreation(body, ignored)).meta({ description: CREATION_FIELDS });
export const creationBody = creation([]);
export const creationForm = creation(['_csrf']);
