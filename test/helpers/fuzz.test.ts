// The fuzzing helpers themselves (docs/fuzzing.md): the zod walker generates near-valid values
// (many valid, some hostile), handles every schema shape we use, and the encoders carry what
// they are given (raw number literals, lone surrogates, forms as a browser reads them).
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { z } from 'zod';
import { quoteInputSchema } from '../../src/modules/quotes/rules/quote-schema.js';
import { supportRequestSchema } from '../../src/modules/support/requests/schemas.js';
import { RAW_MARKER, RawJson, arbitraryFromZod, encodePart, formsOf, htmlMarkers, jsonText, queryString, schemaAt } from './fuzz.js';
import { validQuote } from './quotes.js';

const sample = (schema: unknown, options: Parameters<typeof arbitraryFromZod>[1] = {}, numRuns = 300) => fc.sample(arbitraryFromZod(schema, options), { numRuns, seed: 42 });
const validShare = (schema: z.ZodType, values: unknown[]) => values.filter((v) => schema.safeParse(JSON.parse(jsonText(v) || 'null')).success).length / values.length;

describe('fuzz helpers', () => {
  it('generates near-valid quotes from the schema and a valid example: many pass, many do not', () => {
    const example = validQuote('2026-11-26');
    assert.ok(quoteInputSchema.safeParse(example).success, 'the example itself is valid');
    const share = validShare(quoteInputSchema, sample(quoteInputSchema, { example }));
    assert.ok(share > 0.15 && share < 0.85, `valid share ${share}`);
  });

  it('without an example, builds values from the schema alone (enums, formats, lengths)', () => {
    const values = sample(supportRequestSchema, { hostility: 0 });
    assert.ok(validShare(supportRequestSchema, values) > 0.3);
    assert.ok(values.every((v) => typeof v === 'object' && v !== null && !Array.isArray(v)), 'objects only when hostility is 0');
  });

  it('walks every zod shape without throwing, hostile leaves included', () => {
    const schema = z.strictObject({
      s: z.string().trim().min(2).max(5).regex(/^[a-z]+$/),
      e: z.email().optional(),
      n: z.number().int().min(1).max(9).nullable(),
      d: z.enum(['x', 'y']).default('x'),
      a: z.array(z.uuid()).max(3),
      c: z.coerce.number(),
      l: z.literal('AIF'),
      u: z.union([z.string(), z.boolean()]),
      t: z.string().transform((v) => v.length),
      p: z.preprocess((v) => v, z.iso.date()),
      r: z.record(z.string(), z.number()),
      tu: z.tuple([z.string(), z.number()]),
      lazy: z.lazy(() => z.boolean()),
      i: z.intersection(z.object({ a: z.string() }), z.object({ b: z.string() })),
    });
    const values = sample(schema, {}, 500);
    assert.equal(values.length, 500);
    assert.ok(validShare(schema, sample(schema, { hostility: 0 }, 200)) > 0.05, 'some structurally valid values');
    const serialised = values.map(jsonText).join('\n');
    assert.match(serialised, /kairos-xss|\\u0000|1e309/, 'hostile leaves appear');
  });

  it('finds the schema under a path, through wrappers and arrays', () => {
    const schema = z.strictObject({ training: z.strictObject({ schedule: z.array(z.strictObject({ from: z.string().regex(/^\d\d:\d\d$/) })).optional() }).nullable() });
    const at = schemaAt(schema, ['training', 'schedule', 0, 'from']) as z.ZodString;
    assert.equal(at.safeParse('09:00').success, true);
    assert.equal(schemaAt(schema, ['nope']), undefined);
  });

  it('writes raw number literals into JSON, and URL parts with lone surrogates', () => {
    assert.equal(jsonText({ a: new RawJson('1e309'), b: [new RawJson('-0')], c: undefined }), '{"a":1e309,"b":[-0]}');
    assert.equal(encodePart('a\uD800b'), 'a%ED%A0%80b');
    assert.equal(queryString([['q', ['x', 'y']], ['z', undefined]], '%FF'), '?q=x&q=y&q%FF=%FF');
  });

  it('reads forms as a browser does, htmx targets included; markers are recognised raw, not escaped', () => {
    const html = `<form method="post" action="/devis/1?x=1&amp;y=2"><input type="hidden" name="_csrf" value="t"><select name="type"><option value="AIF">AIF</option><option selected>POEI</option></select><input type="checkbox" name="cgu" value="oui"><textarea name="note">a &lt;b&gt;</textarea><div hx-post="/devis/apercu"></div><button name="action" value="soumettre">Soumettre</button><input type="file" name="fichier"></form><form action="/aide/recherche"><input name="q"></form>`;
    const [post, preview, search] = formsOf(html, '/page');
    assert.equal(post.action, '/devis/1?x=1&y=2');
    assert.deepEqual([...post.fields], [['_csrf', ['t']], ['cgu', ['oui']], ['type', ['AIF', 'POEI']], ['note', ['a <b>']], ['action', ['soumettre']]]);
    assert.deepEqual(post.defaults, [['_csrf', 't'], ['type', 'POEI'], ['note', 'a <b>'], ['action', 'soumettre']]);
    assert.deepEqual(post.files, ['fichier']);
    assert.equal(preview.action, '/devis/apercu');
    assert.equal(search.method, 'get');
    for (const m of htmlMarkers()) {
      assert.match(`<p>${m}</p>`, RAW_MARKER);
      assert.doesNotMatch(`<p>${m.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;')}</p>`, RAW_MARKER);
    }
  });
});
