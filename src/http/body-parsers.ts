import type { FastifyInstance } from 'fastify';
import secureJsonParse from 'secure-json-parse';
import { HttpProblem, TITLES } from './problem.js';

const utf8 = new TextDecoder('utf-8', { fatal: true });

function decodeUtf8(body: Buffer): string {
  try {
    return utf8.decode(body);
  } catch {
    throw new HttpProblem(400, TITLES[400], "Le contenu envoyé n'est pas encodé en UTF-8. Enregistrez-le en UTF-8 puis réessayez.");
  }
}

/** Depth beyond which a JSON body is refused: no form of ours nests more than a few levels. */
export const MAX_JSON_DEPTH = 32;

function tooDeep(text: string): boolean {
  let depth = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 92) i++; // backslash: skip the escaped character
      else if (c === 34) inString = false;
    } else if (c === 34) inString = true;
    else if (c === 123 || c === 91) {
      if (++depth > MAX_JSON_DEPTH) return true;
    } else if (c === 125 || c === 93) depth--;
  }
  return false;
}

/** application/x-www-form-urlencoded → object; a repeated name becomes an array. */
export function parseForm(text: string): Record<string, string | string[]> {
  const out: Record<string, string | string[]> = Object.create(null);
  for (const [key, value] of new URLSearchParams(text)) {
    const prev = out[key];
    out[key] = prev === undefined ? value : Array.isArray(prev) ? [...prev, value] : [prev, value];
  }
  return { ...out };
}

/**
 * NUL, which PostgreSQL text cannot hold, and unpaired UTF-16 surrogates (from JSON escapes such
 * as "\ud800"), which are not text at all and which jsonb refuses. Both made the database fail
 * (a 500) wherever a field reached it; no field of ours has a use for them (found by fuzzing).
 */
const UNSTORABLE = /\u0000|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/** The path of the first string (or key) holding such a character, or null when there is none. */
export function unstorableTextAt(value: unknown, path: string[] = []): string[] | null {
  if (typeof value === 'string') return UNSTORABLE.test(value) ? path : null;
  if (value === null || typeof value !== 'object' || ArrayBuffer.isView(value) || path.length > MAX_JSON_DEPTH + 2) return null;
  for (const [key, item] of Object.entries(value)) {
    if (UNSTORABLE.test(key)) return [...path, key.replace(new RegExp(UNSTORABLE.source, 'g'), '\uFFFD')];
    const found = unstorableTextAt(item, [...path, key]);
    if (found) return found;
  }
  return null;
}

/**
 * Path, query string and parsed body alike, before any validation or handler sees them (422
 * naming the field). Registered after the access and CSRF hooks (app.ts), so a refused caller
 * learns nothing more.
 */
export function registerTextGuard(app: FastifyInstance): void {
  app.addHook('preValidation', async (request) => {
    const at = unstorableTextAt(request.params) ?? unstorableTextAt(request.query) ?? unstorableTextAt(request.body);
    if (!at) return;
    const field = Array.from(at.join('.') || '(corps)').slice(0, 100).join(''); // keys are the sender's: shown, but short
    throw new HttpProblem(422, TITLES[422], 'Le contenu envoyé contient un caractère non autorisé (caractère nul ou caractère Unicode incomplet) : retirez-le puis réessayez.', [
      { field, message: `${field} : caractère non autorisé (caractère nul ou caractère Unicode incomplet).` },
    ]);
  });
}

/**
 * Our own JSON and form parsers (docs/decisions/0003-body-parsing.md): invalid UTF-8 is
 * refused instead of being silently replaced, prototype pollution keys are refused, and
 * pathological nesting never reaches the validator.
 */
export function registerBodyParsers(app: FastifyInstance): void {
  app.removeContentTypeParser(['application/json', 'text/plain']);
  app.addContentTypeParser('application/json', { parseAs: 'buffer' }, (_req, body, done) => {
    try {
      const text = decodeUtf8(body as Buffer);
      if (text.trim() === '') return done(null, undefined);
      if (tooDeep(text)) throw new HttpProblem(400, TITLES[400], 'Le contenu JSON est trop imbriqué.');
      done(null, secureJsonParse.parse(text, undefined, { protoAction: 'error', constructorAction: 'error' }));
    } catch (err) {
      if (err instanceof HttpProblem) return done(err);
      done(new HttpProblem(400, TITLES[400], "Le contenu JSON est mal formé. Vérifiez sa syntaxe puis réessayez."));
    }
  });
  app.addContentTypeParser('application/x-www-form-urlencoded', { parseAs: 'buffer' }, (req, body, done) => {
    try {
      // The API takes JSON only: a cross-site HTML form (which can post urlencoded without a
      // preflight) must not reach it, whatever the browser says about the request's origin.
      if (req.url.startsWith('/api/')) {
        throw new HttpProblem(415, TITLES[415], "Cette API n'accepte que du JSON : envoyez le contenu avec l'en-tête Content-Type: application/json.");
      }
      done(null, parseForm(decodeUtf8(body as Buffer)));
    } catch (err) {
      done(err as Error);
    }
  });
}
