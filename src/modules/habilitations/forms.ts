/**
 * Small HTTP helpers shared by the GID governance pages (access review, security policy,
 * change of account manager): forms are read field by field, validated by the same zod schema
 * as the API, and their errors shown with the field each one names.
 */
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { z } from 'zod';
import { fieldErrorsFrom, type FieldError } from '../../http/problem.js';
import { CSRF_FIELD } from '../../http/csrf.js';

/** zod issues → one French message per field, as the API and the forms show them. */
export function fieldErrorsOf(error: z.ZodError): FieldError[] {
  return fieldErrorsFrom(error.issues);
}

/**
 * The named text fields of a submitted form (others, like the CSRF token, are left out). A field
 * sent twice arrives as an array: it is kept as is so that validation refuses it.
 */
export function formFields(body: unknown, names: readonly string[]): Record<string, unknown> {
  const form = (body && typeof body === 'object' ? body : {}) as Record<string, unknown>;
  const out: Record<string, unknown> = {};
  for (const name of names) {
    if (name === CSRF_FIELD) continue;
    if (form[name] !== undefined) out[name] = form[name];
  }
  return out;
}

/** Post/redirect/get: after a successful form, the browser reloads a page it may refresh safely. */
export function redirectAfterPost(reply: FastifyReply, path: string) {
  return reply.redirect(path, 303);
}

/** A one-word notice passed in the query string after a redirect (`?fait=…`), if it is a known one. */
export function noticeOf<K extends string>(request: FastifyRequest, known: Record<K, string>): string | null {
  const value = (request.query as Record<string, unknown> | undefined)?.fait;
  return typeof value === 'string' && Object.hasOwn(known, value) ? known[value as K] : null;
}
