/**
 * Reading a new support request from a body, the same way for the API (multipart or JSON) and
 * the form: text fields through the zod schema, files through the content checks, every error
 * at once so a form shows them together. Nothing is stored until all of it passes.
 */
import { fieldErrorsFrom, unexpectedFieldMessage, type FieldError } from '../../../http/problem.js';
import { checkScreenshots, SCREENSHOTS_FIELD, type CheckedFile } from './files.js';
import { splitBody } from './multipart.js';
import { supportRequestSchema, type SupportRequestInput } from './rules.js';

export type CreationInput =
  | { ok: true; input: SupportRequestInput; files: CheckedFile[] }
  | { ok: false; status: 413 | 422; errors: FieldError[] };

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
    return { ok: false, status: !screenshots.ok && screenshots.status === 413 ? 413 : 422, errors };
  }
  return { ok: true, input: parsed.data, files: screenshots.files };
}
