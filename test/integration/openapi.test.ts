// The OpenAPI document is generated from the routes: valid OpenAPI 3.1, every /api/v1 operation
// with its French summary, who may call it, how to authenticate and its problem-details errors.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { Validator } from '@seriousme/openapi-schema-validator';
import Fastify, { type FastifyInstance } from 'fastify';
import { serializerCompiler, validatorCompiler } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { AppContext } from '../../src/context.js';
import { registerOpenApi } from '../../src/http/openapi/document.js';
import { problemResponses } from '../../src/http/schemas.js';
import { publicAccess, requireHabilitation } from '../../src/modules/habilitations/policy.js';
import { QUOTE_CREATE_EXAMPLE, QUOTE_PATCH_EXAMPLE } from '../../src/modules/quotes/editor/examples.js';
import { quoteCreateBody, quotePatchBody } from '../../src/modules/quotes/editor/schemas.js';
import { startTestRuntime, type TestRuntime } from '../helpers/runtime.js';

type Operation = { summary?: string; description?: string; security?: unknown[]; responses?: Record<string, { content?: Record<string, unknown> }>; 'x-kairos-access'?: unknown };
type Document = { openapi: string; paths: Record<string, Record<string, Operation>>; components: { securitySchemes: Record<string, Record<string, unknown>>; schemas: Record<string, unknown> } };

const FRENCH = /[a-zàâçéèêëîïôûùüÿœ]{3,}/i;

/** What is missing from each operation: the checks a new route must pass. */
export function operationDefects(document: Document): string[] {
  const out: string[] = [];
  for (const [path, item] of Object.entries(document.paths)) {
    for (const [method, op] of Object.entries(item)) {
      const name = `${method.toUpperCase()} ${path}`;
      if (!op.summary || !FRENCH.test(op.summary)) out.push(`${name}: no French summary`);
      if (!op.description?.startsWith('**Accès** : ') || !op['x-kairos-access']) out.push(`${name}: no access rule`);
      if (!Array.isArray(op.security)) out.push(`${name}: no security requirement`);
      const errors = Object.entries(op.responses ?? {}).filter(([status]) => Number(status) >= 400);
      if (errors.length === 0) out.push(`${name}: no error answer`);
      for (const [status, res] of errors) {
        if (!res.content?.['application/problem+json']) out.push(`${name}: ${status} is not problem details`);
      }
    }
  }
  return out;
}

/** A bare Fastify with the collector and the given routes, for the checks' own test. */
async function documentOf(declare: (app: FastifyInstance) => void): Promise<Document> {
  const app = Fastify();
  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);
  app.decorate('ctx', { config: { publicUrl: 'http://localhost:3000' } } as unknown as AppContext);
  await registerOpenApi(app);
  declare(app);
  await app.ready();
  const document = app.swagger() as unknown as Document;
  await app.close();
  return document;
}

describe('OpenAPI document', () => {
  let rt: TestRuntime;
  let document: Document;
  before(async () => {
    rt = await startTestRuntime('pglite');
    const res = await rt.app.inject({ method: 'GET', url: '/api/openapi.json' });
    assert.equal(res.statusCode, 200);
    assert.match(String(res.headers['content-type']), /^application\/json/);
    document = res.json();
  });
  after(async () => rt?.stop());

  it('is valid OpenAPI 3.1, served without signing in', async () => {
    assert.equal(document.openapi, '3.1.0');
    const validator = new Validator();
    const result = await validator.validate(document as never);
    assert.deepEqual(result.errors, undefined);
    assert.equal(result.valid, true);
    assert.equal(validator.version, '3.1');
  });

  it('lists every /api/v1 route, and nothing else', () => {
    const operations = new Set(Object.entries(document.paths).flatMap(([p, item]) => Object.keys(item).map((m) => `${m.toUpperCase()} ${p}`)));
    const routes = rt.app.routeTable.filter((r) => r.url.startsWith('/api/v1/')).map((r) => `${r.method} ${r.url.replace(/:(\w+)/g, '{$1}')}`);
    assert.ok(routes.length > 50);
    assert.deepEqual([...operations].sort(), [...new Set(routes)].sort());
  });

  it('gives every operation a French summary, its access rule, security and problem-details errors', () => {
    assert.deepEqual(operationDefects(document), []);
  });

  it('derives access and security from the route’s rule', () => {
    const create = document.paths['/api/v1/quotes'].post;
    assert.equal(create.description, '**Accès** : habilitation kairos avec le rôle `quote_editor`.');
    assert.deepEqual(create.security, [{ sessionCookie: [], csrfHeader: [] }, { bearerAuth: [] }]);
    const read = document.paths['/api/v1/quotes/{id}'].get;
    assert.deepEqual(read.security?.[0], { sessionCookie: [] }, 'no CSRF token on a read');
    // An agency-only rule is no place for an organisation's API token.
    const queue = Object.entries(document.paths).find(([p]) => p.startsWith('/api/v1/advisor'))?.[1];
    if (queue) for (const op of Object.values(queue)) assert.ok(!JSON.stringify(op.security).includes('bearerAuth'));
    const help = document.paths['/api/v1/help/articles'].get;
    assert.deepEqual(help.security, []);
    assert.ok(create.responses?.['401'] && create.responses['403'] && create.responses['429']);
  });

  it('describes the session, CSRF and API-token schemes and the problem schema with an example', () => {
    const schemes = document.components.securitySchemes;
    assert.equal(schemes.bearerAuth.type, 'http');
    assert.equal(schemes.bearerAuth.scheme, 'bearer');
    assert.match(String(schemes.bearerAuth.description), /krs_/);
    assert.equal(schemes.csrfHeader.name, 'x-csrf-token');
    assert.equal(schemes.sessionCookie.in, 'cookie');
    const problem = document.components.schemas.Problem as { required: string[]; examples: unknown[] };
    assert.ok(problem.required.includes('detail') && problem.examples.length === 1);
  });

  it('the documented examples pass the routes’ own schemas', () => {
    assert.equal(quoteCreateBody.safeParse(QUOTE_CREATE_EXAMPLE).success, true);
    assert.equal(quotePatchBody.safeParse(QUOTE_PATCH_EXAMPLE).success, true);
    const cancel = document.paths['/api/v1/quotes/{id}/cancel'].post as { requestBody?: { content: Record<string, { example?: unknown }> } };
    assert.ok(cancel.requestBody?.content['application/json'].example);
  });

  it('a route without a summary, or with an error that is not problem details, fails the checks', async () => {
    const access = requireHabilitation('kairos', ['reader']);
    const bad = await documentOf((app) => {
      app.get('/api/v1/sans-resume', { config: { access }, schema: { querystring: z.strictObject({}), response: { 200: z.object({ ok: z.boolean() }) } } }, async () => ({ ok: true }));
    });
    assert.deepEqual(operationDefects(bad), ['GET /api/v1/sans-resume: no French summary']);
    const good = await documentOf((app) => {
      app.get(
        '/api/v1/avec-resume',
        { config: { access: publicAccess }, schema: { summary: 'Lire un exemple', querystring: z.strictObject({}), response: { 200: z.object({ ok: z.boolean() }), ...problemResponses(404) } } },
        async () => ({ ok: true }),
      );
    });
    assert.deepEqual(operationDefects(good), []);
  });

  it('/api/docs renders the reference page from local files, in French, public', async () => {
    const res = await rt.app.inject({ method: 'GET', url: '/api/docs' });
    assert.equal(res.statusCode, 200);
    assert.match(res.body, /<html lang="fr">/);
    assert.match(res.body, /<title>Documentation de l’API — Kairos<\/title>/);
    assert.match(res.body, /<script src="\/assets\/swagger-ui\/swagger-ui-bundle.js" defer><\/script>/);
    assert.doesNotMatch(res.body, /<script>|<style|https?:\/\/(?!localhost)/, 'no inline script or style, nothing from elsewhere');
    assert.match(res.body, /POST \/api\/v1\/quotes<\/code> — Créer un brouillon/, 'without JavaScript, the operations are listed');
    assert.match(String(res.headers['content-security-policy']), /script-src 'self'/);
    for (const file of ['/assets/swagger-ui/swagger-ui-bundle.js', '/assets/swagger-ui/swagger-ui.css', '/assets/api-docs.js']) {
      assert.equal((await rt.app.inject({ method: 'GET', url: file })).statusCode, 200, file);
    }
    assert.equal((await rt.app.inject({ method: 'GET', url: '/assets/swagger-ui/index.html' })).statusCode, 404, 'only the two files of the bundle');
  });
});
