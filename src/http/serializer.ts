import type { FastifySerializerCompiler } from 'fastify/types/schema.js';
import type { z } from 'zod';

/**
 * JSON answers are written with `JSON.stringify`, as they always were: the response schemas
 * document the API and are checked by the tests, never trusted to reshape or strip an answer
 * in production (a forgotten field would silently vanish from a partner's integration).
 * With `checkResponses` (the tests), every answer must match its schema exactly: the JSON as it
 * travels (dates as strings), no field missing, none the schema does not name.
 */
export function responseSerializer(checkResponses: boolean): FastifySerializerCompiler<z.ZodType> {
  return ({ schema, method, url, httpStatus }) =>
    (data) => {
      const json = JSON.stringify(data);
      if (checkResponses) checkAgainstSchema(schema, JSON.parse(json) as unknown, `${method} ${url} → ${httpStatus}`);
      return json;
    };
}

export class ResponseSchemaMismatch extends Error {
  constructor(where: string, detail: string) {
    super(`The answer of ${where} does not match its declared response schema: ${detail}`);
    this.name = 'ResponseSchemaMismatch';
  }
}

function checkAgainstSchema(schema: z.ZodType, wire: unknown, where: string): void {
  const parsed = schema.safeParse(wire);
  if (!parsed.success) {
    const first = parsed.error.issues.slice(0, 3).map((i) => `${i.path.join('.') || '(racine)'}: ${i.message}`);
    throw new ResponseSchemaMismatch(where, first.join('; '));
  }
  const extra = undeclaredKeys(wire, parsed.data, '');
  if (extra.length > 0) throw new ResponseSchemaMismatch(where, `fields not in the schema: ${extra.slice(0, 5).join(', ')}`);
}

/** Keys of `wire` that parsing dropped: zod objects strip what they do not declare. */
function undeclaredKeys(wire: unknown, parsed: unknown, at: string): string[] {
  if (Array.isArray(wire) && Array.isArray(parsed)) return wire.flatMap((w, i) => undeclaredKeys(w, parsed[i], `${at}[${i}]`));
  if (!isPlainObject(wire) || !isPlainObject(parsed)) return [];
  const out: string[] = [];
  for (const key of Object.keys(wire)) {
    const path = at ? `${at}.${key}` : key;
    if (!(key in parsed)) out.push(path);
    else out.push(...undeclaredKeys(wire[key], parsed[key], path));
  }
  return out;
}

const isPlainObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
