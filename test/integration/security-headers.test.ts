// Security headers and transport, on every page of the route table — params
// filled with objects of organisation A, fetched as an actor allowed to see it — and on every
// JSON read: a CSP without inline code or eval that forbids framing, Referrer-Policy,
// Permissions-Policy, nosniff, no-store; HSTS only on HTTPS answers (TLS seen by a proxy trusted
// through TRUST_PROXY), never on plain HTTP nor on a forged X-Forwarded-Proto.
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { LightMyRequestResponse } from 'fastify';
import type { RouteEntry } from '../../src/http/auth.js';
import { WORLD_ENV, WORLD_ORGANISATIONS, buildWorld, organisationIdByName, signInEach, type World } from '../helpers/fixtures.js';
import { ENGINES, startTestRuntime, type TestRuntime } from '../helpers/runtime.js';
import type { SignedIn } from '../helpers/session.js';
import { ACTORS, POLICY, expectedCell, fixtureFor, paramsOf, routeKey, type ActorName, type FixtureKey, type SignedInActor } from './access-policy.js';

const ONE_YEAR = 31_536_000;
const signedInActors = ACTORS.filter((a): a is SignedInActor => a !== 'anonymous');

function directives(csp: string): Map<string, string[]> {
  return new Map(
    csp
      .split(';')
      .map((d) => d.trim())
      .filter(Boolean)
      .map((d) => {
        const [name, ...values] = d.split(/\s+/);
        return [name!.toLowerCase(), values] as const;
      }),
  );
}

/** The headers every answer of the site carries, page or file; returns what is wrong (empty when all is well). */
function headerProblems(res: LightMyRequestResponse): string[] {
  const problems: string[] = [];
  const csp = String(res.headers['content-security-policy'] ?? '');
  const d = directives(csp);
  if (!csp) problems.push('no Content-Security-Policy');
  for (const name of ['script-src', 'style-src']) {
    const values = d.get(name) ?? d.get('default-src');
    if (!values) problems.push(`no ${name} nor default-src`);
    else if (values.some((v) => /unsafe-inline|unsafe-eval|unsafe-hashes|^\*$|^https?:$|^data:$/.test(v))) problems.push(`${name} allows ${values.join(' ')}`);
  }
  if (d.get('frame-ancestors')?.join(' ') !== "'none'") problems.push(`frame-ancestors is ${d.get('frame-ancestors')?.join(' ')}`);
  if (d.get('object-src')?.join(' ') !== "'none'" && d.get('default-src')?.join(' ') !== "'none'") problems.push('object-src not none');
  if (!['no-referrer', 'same-origin', 'strict-origin', 'strict-origin-when-cross-origin'].includes(String(res.headers['referrer-policy']))) {
    problems.push(`Referrer-Policy ${res.headers['referrer-policy']}`);
  }
  const permissions = String(res.headers['permissions-policy'] ?? '');
  for (const feature of ['camera', 'microphone', 'geolocation']) if (!permissions.includes(`${feature}=()`)) problems.push(`Permissions-Policy lacks ${feature}=()`);
  if (res.headers['x-content-type-options'] !== 'nosniff') problems.push('no X-Content-Type-Options: nosniff');
  return problems;
}

/** An HTML page must not need what the CSP forbids: inline scripts, styles or event handlers. */
function inlineCode(res: LightMyRequestResponse): string[] {
  if (!String(res.headers['content-type']).startsWith('text/html')) return [];
  const found: string[] = [];
  const html = res.body;
  for (const m of html.matchAll(/<script\b([^>]*)>/gi)) if (!/\ssrc=/.test(m[1]!)) found.push('inline <script>');
  if (/<style\b/i.test(html)) found.push('<style> element');
  if (/\sstyle="/i.test(html)) found.push('style="…" attribute');
  const handler = /\son[a-z]+="/i.exec(html);
  if (handler) found.push(`event handler attribute ${handler[0].trim()}`);
  return found;
}

function hsts(res: LightMyRequestResponse): number | null {
  const value = res.headers['strict-transport-security'];
  if (value === undefined) return null;
  const m = /max-age=(\d+)/.exec(String(value));
  return m ? Number(m[1]) : 0;
}

/** A URL for `route` with its parameters naming the world's objects (and its declared query). */
function urlFor(route: RouteEntry, world: World): string {
  let url = route.url;
  for (const p of paramsOf(route.url)) url = url.replace(`:${p}`, encodeURIComponent(world.fx[fixtureFor(route.url, p)!]!));
  const query = POLICY[routeKey(route)]?.query?.replace(/\{(\w+)\}/g, (_, key: string) => encodeURIComponent(world.fx[key]!));
  return query ? `${url}?${query}` : url;
}

/** The first actor the policy lets read the route (null: nobody, e.g. a route all refuse). */
function readerOf(route: RouteEntry): ActorName | null {
  const policy = POLICY[routeKey(route)] ?? {};
  const fixtures = paramsOf(route.url).map((p) => fixtureFor(route.url, p)).filter((k): k is FixtureKey => !!k);
  return ACTORS.find((a) => expectedCell(route.method, route.access, policy, fixtures, a) === 'ok') ?? null;
}

const isPage = (r: RouteEntry) => r.method === 'GET' && !r.url.startsWith('/api/');
/** Answered only to this machine: through the proxy of these tests it is the ordinary 404 page. */
const LOOPBACK_ONLY = new Set(['GET /metrics']);
// The OpenAPI document describes routes, never anyone's data: it is the one API read that may be
// cached (publicly, for five minutes), and it is checked for exactly that below.
const PUBLIC_DOCUMENT = '/api/openapi.json';
const isApiRead = (r: RouteEntry) => r.method === 'GET' && r.url.startsWith('/api/') && r.url !== PUBLIC_DOCUMENT;

for (const engine of ENGINES) {
  describe(`security headers, behind a TLS proxy trusted with TRUST_PROXY (${engine})`, () => {
    let rt: TestRuntime;
    let attachmentsDir = '';
    let world: World;
    before(async () => {
      attachmentsDir = await mkdtemp(path.join(tmpdir(), 'kairos-headers-'));
      rt = await startTestRuntime(engine, { env: { ...WORLD_ENV, ATTACHMENTS_DIR: attachmentsDir, TRUST_PROXY: 'true', LOG_LEVEL: 'warn' } });
      world = await buildWorld(rt, signedInActors);
    });
    after(async () => {
      await rt?.stop();
      await rm(attachmentsDir, { recursive: true, force: true });
    });

    const get = (url: string, who: ActorName | null, proto: 'http' | 'https') =>
      rt.app.inject({
        method: 'GET',
        url,
        headers: { 'x-forwarded-proto': proto, 'x-forwarded-for': '203.0.113.7', ...(who && who !== 'anonymous' ? { cookie: world.as[who]!.cookie } : {}) },
      });

    it('sends every page with the security headers, no inline code, no-store, and HSTS over HTTPS only', async () => {
      const failures: string[] = [];
      const pages = rt.app.routeTable.filter(isPage);
      assert.ok(pages.length > 40, `only ${pages.length} pages`);
      for (const route of pages) {
        const who = readerOf(route);
        assert.ok(who, `nobody may read ${routeKey(route)}`);
        const url = urlFor(route, world);
        const secure = await get(url, who, 'https');
        const where = `${url} as ${who}`;
        const expected = LOOPBACK_ONLY.has(routeKey(route)) ? 404 : null;
        if (secure.statusCode >= 400 && secure.statusCode !== expected) failures.push(`${where}: ${secure.statusCode}`);
        if (expected && secure.statusCode !== expected) failures.push(`${where}: ${secure.statusCode} (forwarded, expected ${expected})`);
        failures.push(...headerProblems(secure).map((p) => `${where}: ${p}`));
        failures.push(...inlineCode(secure).map((p) => `${where}: ${p}`));
        if (!String(secure.headers['cache-control']).includes('no-store')) failures.push(`${where}: Cache-Control ${secure.headers['cache-control']}`);
        const maxAge = hsts(secure);
        if (maxAge === null || maxAge < ONE_YEAR) failures.push(`${where}: HSTS over HTTPS is ${secure.headers['strict-transport-security']}`);
        const plain = await get(url, who, 'http');
        if (hsts(plain) !== null) failures.push(`${where}: HSTS over plain HTTP`);
        failures.push(...headerProblems(plain).map((p) => `${where} (http): ${p}`));
        // The anonymous visitor's answer (the page, or the redirect to sign-in) carries them too.
        const anonymous = await get(url, null, 'https');
        failures.push(...headerProblems(anonymous).map((p) => `${url} as anonymous: ${p}`));
      }
      assert.deepEqual(failures, []);
    });

    it('answers every JSON read with nosniff and no-store (personal data stays out of caches)', async () => {
      const failures: string[] = [];
      for (const route of rt.app.routeTable.filter(isApiRead)) {
        const who = readerOf(route);
        if (!who) continue;
        const res = await get(urlFor(route, world), who, 'https');
        const where = `${routeKey(route)} as ${who}`;
        if (res.statusCode >= 400) failures.push(`${where}: ${res.statusCode}`);
        if (res.headers['x-content-type-options'] !== 'nosniff') failures.push(`${where}: no nosniff`);
        if (!String(res.headers['cache-control']).includes('no-store')) failures.push(`${where}: Cache-Control ${res.headers['cache-control']}`);
        if (hsts(res) === null) failures.push(`${where}: no HSTS over HTTPS`);
      }
      // Refusals too: a problem document is no more cacheable than the data.
      const refused = await get('/api/v1/me', null, 'https');
      assert.equal(refused.statusCode, 401);
      assert.match(String(refused.headers['cache-control']), /no-store/);
      const document = await get(PUBLIC_DOCUMENT, null, 'https');
      assert.equal(document.statusCode, 200);
      assert.equal(document.headers['x-content-type-options'], 'nosniff');
      assert.equal(document.headers['cache-control'], 'public, max-age=300');
      assert.deepEqual(failures, []);
    });
  });

  describe(`security headers, without TRUST_PROXY (${engine})`, () => {
    let rt: TestRuntime;
    let as: Record<string, SignedIn> = {};
    let organisationA = '';
    before(async () => {
      rt = await startTestRuntime(engine, { env: { LOG_LEVEL: 'warn' } });
      as = await signInEach(rt, signedInActors);
      organisationA = await organisationIdByName(rt, WORLD_ORGANISATIONS.A);
    });
    after(() => rt?.stop());

    it('never sends HSTS over plain HTTP, whatever X-Forwarded-Proto claims; the other headers stay', async () => {
      const failures: string[] = [];
      for (const route of rt.app.routeTable.filter((r) => isPage(r) && paramsOf(r.url).length === 0)) {
        const who = readerOf(route);
        const url = urlFor(route, { fx: { organisationA }, as, fresh: async () => '' });
        for (const proto of ['http', 'https']) {
          const res = await rt.app.inject({ method: 'GET', url, headers: { 'x-forwarded-proto': proto, ...(who && who !== 'anonymous' ? { cookie: as[who]!.cookie } : {}) } });
          if (res.statusCode >= 400) failures.push(`${url} as ${who}: ${res.statusCode}`);
          if (hsts(res) !== null) failures.push(`${url} (X-Forwarded-Proto: ${proto}): HSTS ${res.headers['strict-transport-security']}`);
          failures.push(...headerProblems(res).map((p) => `${url}: ${p}`));
        }
      }
      assert.deepEqual(failures, []);
    });

    it('lets an https public address stand for TLS when no proxy is trusted, and a trusted proxy’s word win over it', async () => {
      const https = { PUBLIC_URL: 'https://kairos.example', LOG_LEVEL: 'warn' };
      const direct = await startTestRuntime(engine, { env: https });
      try {
        const res = await direct.app.inject({ method: 'GET', url: '/', headers: { 'x-forwarded-proto': 'http' } });
        assert.ok((hsts(res) ?? 0) >= ONE_YEAR, String(res.headers['strict-transport-security']));
      } finally {
        await direct.stop();
      }
      const proxied = await startTestRuntime(engine, { env: { ...https, TRUST_PROXY: 'true' } });
      try {
        const plain = await proxied.app.inject({ method: 'GET', url: '/', headers: { 'x-forwarded-proto': 'http' } });
        assert.equal(hsts(plain), null, 'the proxy answered a plain-HTTP request');
        const secure = await proxied.app.inject({ method: 'GET', url: '/', headers: { 'x-forwarded-proto': 'https' } });
        assert.ok((hsts(secure) ?? 0) >= ONE_YEAR);
      } finally {
        await proxied.stop();
      }
    });
  });
}
