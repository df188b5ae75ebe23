/**
 * Small HTTP helpers shared by the GID governance pages (access review, security policy, change
 * of account manager): each form is judged on its route by the same zod schema as the API, and
 * its errors shown with the field each one names (src/http/forms.ts `formErrors`).
 */
import type { FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';

/**
 * A form judged by the API's schema: the named fields as the browser sent them (a field sent
 * twice stays a list, so that the schema refuses it); others, like the CSRF token or the button,
 * are left out before the API's strict schema sees them.
 */
export function apiForm<T extends z.ZodType>(names: readonly string[], schema: T) {
  return z.preprocess((body) => {
    const form = (body && typeof body === 'object' ? body : {}) as Record<string, unknown>;
    return Object.fromEntries(names.filter((name) => form[name] !== undefined).map((name) => [name, form[name]]));
  }, schema);
}

const sentBodies = new WeakMap<FastifyRequest, unknown>();

/** preValidation hook: keeps the body as sent, since a valid body is replaced by the schema's output. */
export async function keepSentBody(request: FastifyRequest): Promise<void> {
  sentBodies.set(request, request.body);
}

/** A text field as the browser sent it (after `keepSentBody`), to show the form again as typed. */
export function sentText(request: FastifyRequest, name: string): string {
  const value = ((sentBodies.get(request) ?? request.body) as Record<string, unknown> | undefined)?.[name];
  return typeof value === 'string' ? value : '';
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
