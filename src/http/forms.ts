/**
 * HTML forms declare their body schema on the route too. Browsers send strings (or nothing, or
 * a repeated field as an array) plus fields the schema need not name (`_csrf`, the button), so
 * form schemas are `z.object` (not strict) built from `formField`. A form whose schema can
 * refuse input registers with `attachValidation: true` and renders `formErrors(request)` next to
 * the fields instead of an error page.
 */
import type { FastifyRequest } from 'fastify';
import { z } from 'zod';
import { routeFieldErrors } from './errors.js';
import type { FieldError } from './problem.js';
import { cutText } from './views/form.js';

/** A text field as `formText` reads it: absent or repeated → '', cut at `max` characters. */
export const formField = (max = 2000) => z.preprocess((v) => (typeof v === 'string' ? cutText(v, max) : ''), z.string());

/** The field errors of a form route's schema (registered with `attachValidation: true`). */
export function formErrors(request: FastifyRequest): FieldError[] {
  const error = request.validationError as Parameters<typeof routeFieldErrors>[0] | undefined;
  return error ? routeFieldErrors(error) : [];
}

/**
 * With `attachValidation`, a refused path parameter is attached like a refused field: answer it
 * first, as the 404 it is (errors.tsx), before the page looks anything up.
 */
export function throwIfParamsRefused(request: FastifyRequest): void {
  const error = request.validationError as (Error & { validationContext?: string }) | undefined;
  if (error?.validationContext === 'params') throw error;
}
