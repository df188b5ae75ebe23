// One validation path: every route declares on itself what it accepts (params, query, body) and,
// for the API, what it answers; each schema must translate to JSON Schema, as the OpenAPI
// document is generated from them. A route without them fails here.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { z } from 'zod';
import type { RouteEntry } from '../../src/http/auth.js';
import { startTestRuntime, type TestRuntime } from '../helpers/runtime.js';
import { signInAs } from '../helpers/session.js';

type Schemas = { params?: unknown; querystring?: unknown; body?: unknown; response?: Record<string, unknown> };

const key = (r: RouteEntry) => `${r.method} ${r.url}`;
const isApi = (r: RouteEntry) => r.url.startsWith('/api/v1/');
const hasBody = (r: RouteEntry) => ['POST', 'PUT', 'PATCH'].includes(r.method);

/** What `route` should declare and does not. */
export function missingSchemas(route: RouteEntry): string[] {
  const s = (route.schema ?? {}) as Schemas;
  const missing: string[] = [];
  if (route.url.includes(':') && !s.params) missing.push('params');
  if (hasBody(route) && !s.body) missing.push('body');
  if (isApi(route) && route.method === 'GET' && !s.querystring) missing.push('querystring');
  if (isApi(route) && !Object.keys(s.response ?? {}).some((status) => status.startsWith('2'))) missing.push('response 2xx');
  return missing;
}

function zodOf(value: unknown): z.ZodType | null {
  if (value instanceof z.ZodType) return value;
  // { description, content: { 'application/pdf': { schema } } } for answers that are not JSON
  const content = (value as { content?: Record<string, { schema?: unknown }> } | null)?.content;
  const first = content ? Object.values(content)[0]?.schema : undefined;
  return first instanceof z.ZodType ? first : null;
}

/** Each declared schema as JSON Schema (requests as clients send them, answers as they travel). */
function untranslatable(route: RouteEntry): string[] {
  const s = (route.schema ?? {}) as Schemas;
  const parts: Array<[string, unknown, 'input' | 'output']> = [
    ['params', s.params, 'input'],
    ['querystring', s.querystring, 'input'],
    ['body', s.body, 'input'],
    ...Object.entries(s.response ?? {}).map(([status, schema]): [string, unknown, 'output'] => [`response ${status}`, schema, 'output']),
  ];
  const out: string[] = [];
  for (const [name, value, io] of parts) {
    if (value === undefined) continue;
    const schema = zodOf(value);
    if (!schema) {
      out.push(`${name}: not a zod schema`);
      continue;
    }
    try {
      z.toJSONSchema(schema, { io, target: 'draft-2020-12' });
    } catch (err) {
      out.push(`${name}: ${(err as Error).message}`);
    }
  }
  return out;
}

describe('route schemas', () => {
  let rt: TestRuntime;
  before(async () => {
    rt = await startTestRuntime('pglite');
  });
  after(async () => rt?.stop());

  it('every route declares its params, body, API query and API answer', () => {
    const incomplete = rt.app.routeTable
      .map((r) => ({ route: key(r), missing: missingSchemas(r) }))
      .filter((r) => r.missing.length > 0);
    assert.deepEqual(incomplete, [], 'declare these schemas on the route (src/http/schemas.ts has the building blocks)');
  });

  it('every declared schema translates to JSON Schema for the OpenAPI document', () => {
    const failures = rt.app.routeTable.map((r) => ({ route: key(r), errors: untranslatable(r) })).filter((r) => r.errors.length > 0);
    assert.deepEqual(failures, []);
  });

  it('a response that strays from its schema is caught in tests (the check itself works)', async () => {
    const { responseSerializer } = await import('../../src/http/serializer.js');
    const serialize = responseSerializer(true)({ schema: z.object({ a: z.string() }), method: 'GET', url: '/x', httpStatus: '200' } as never);
    assert.equal(serialize({ a: 'b' }), '{"a":"b"}');
    assert.throws(() => serialize({ a: 1 }), /does not match/);
    assert.throws(() => serialize({ a: 'b', extra: true }), /fields not in the schema: extra/);
    assert.throws(() => serialize({}), /does not match/);
    // Outside the tests answers are written as they are, never reshaped.
    const lenient = responseSerializer(false)({ schema: z.object({ a: z.string() }), method: 'GET', url: '/x', httpStatus: '200' } as never);
    assert.equal(lenient({ a: 'b', extra: true }), '{"a":"b","extra":true}');
  });

  it('a path parameter its schema refuses answers 404 with the same body as an unknown one', async () => {
    const advisor = await signInAs(rt.app, rt.clock, 'conseiller.demo');
    const get = (id: string) => rt.app.inject({ method: 'GET', url: `/api/v1/candidates/${id}`, headers: advisor.headers });
    const malformed = await get('pas-un-identifiant');
    const unknown = await get('0000000A');
    for (const res of [malformed, unknown]) {
      assert.equal(res.statusCode, 404);
      assert.equal(res.json().detail, 'Ce candidat est introuvable.');
    }
    assert.equal((await rt.app.inject({ method: 'GET', url: '/api/v1/candidates/pas-un-identifiant' })).statusCode, 401, 'access is decided before validation');
  });
});
