// Fastify is given our compilers (zod in, the response serializer out) as its factories
// (src/http/app.ts): its default ones, Ajv and fast-json-stringify, some hundred modules, are then
// never loaded at start (docs/decisions/0039, amendment). Validation keeps answering in French.
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import { after, before, it } from 'node:test';
import { startTestRuntime, type TestRuntime } from '../helpers/runtime.js';
import { signInAs } from '../helpers/session.js';

const FASTIFY_DEFAULT_COMPILERS = /node_modules\/(ajv|@fastify\/ajv-compiler|@fastify\/fast-json-stringify-compiler)\/|node_modules\/fast-json-stringify\/index\.js$/;

let rt: TestRuntime;
before(async () => {
  rt = await startTestRuntime('pglite');
});
after(async () => {
  await rt.stop();
});

it('builds and serves the app without loading Fastify’s default compilers', async () => {
  const health = await rt.app.inject({ method: 'GET', url: '/healthz' });
  assert.equal(health.statusCode, 200);
  assert.deepEqual(JSON.parse(health.body), { status: 'ok', database: 'pglite' });
  const loaded = Object.keys(createRequire(import.meta.url).cache).filter((file) => FASTIFY_DEFAULT_COMPILERS.test(file));
  assert.deepEqual(loaded, [], 'Ajv or fast-json-stringify loaded');
});

it('still validates with zod: a 422 in French naming the field, and the response serializer answers', async () => {
  const { headers } = await signInAs(rt.app, rt.clock, 'devis.demo');
  const res = await rt.app.inject({ method: 'POST', url: '/api/v1/quotes', headers, payload: { type: 'AIF', surprise: true } });
  assert.equal(res.statusCode, 422, res.body);
  const errors = res.json().errors as Array<{ field: string; message: string }>;
  assert.ok(errors.some((e) => e.field === 'surprise'), JSON.stringify(errors));
  assert.ok(errors.every((e) => /[a-zéè]/.test(e.message) && !/\b(Required|Invalid|Expected)\b/.test(e.message)), JSON.stringify(errors));
  const list = await rt.app.inject({ method: 'GET', url: '/api/v1/quotes', headers });
  assert.equal(list.statusCode, 200, list.body);
});
