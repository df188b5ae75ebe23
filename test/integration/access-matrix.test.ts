// The access-control matrix: every route of the Fastify route table, called as
// each of eleven actors with every path parameter naming an object of organisation A (or of
// candidate A), must answer what access-policy.ts declares — and never a 5xx, and never any of
// A's data to someone outside A. A route missing from the policy fails the test.
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { LightMyRequestResponse } from 'fastify';
import type { RouteEntry } from '../../src/http/auth.js';
import { WORLD_ENV, WORLD_MARKERS, WORLD_ORGANISATIONS, anonymousFormToken, apiCall, buildWorld, expectJson, type World } from '../helpers/fixtures.js';
import { ENGINES, startTestRuntime, type TestRuntime } from '../helpers/runtime.js';
import { signInAs, type SignedIn } from '../helpers/session.js';
import { TOKEN_ACTORS, expectedTokenCell } from './token-access-policy.js';
import { ACTORS, FIXTURES, OUTSIDERS, POLICY, PROFILES, expectedCell, fixtureFor, routeKey, paramsOf, type ActorName, type Expect, type FixtureKey, type RoutePolicy, type SignedInActor } from './access-policy.js';

/** The candidate's own, their organisation's and their advisor's; and the agency administrator's demo outbox, which shows every mail. */
const CANDIDATE_A_PARTIES: ActorName[] = ['devis.demo', 'assiduite.demo', 'conseiller.demo', 'candidat.demo', 'admin.agence'];
/**
 * Each marker of A's data and who may meet it at all: anyone else must never find it in any
 * answer (lists, searches, pages, re-rendered forms), and nobody in a 401, 403, 404 or 5xx.
 * The last one stands for the identifier 1234567A too.
 */
const MARKERS: Array<{ text: string; seenBy: readonly ActorName[] }> = [
  { text: WORLD_MARKERS.quoteTitle, seenBy: CANDIDATE_A_PARTIES },
  { text: WORLD_MARKERS.templateName, seenBy: ['devis.demo'] },
  { text: WORLD_MARKERS.supportSubject, seenBy: ['devis.demo', 'support.demo'] },
  { text: WORLD_MARKERS.userLastName, seenBy: ['rgc.demo', 'admin.agence'] },
  ...['Martin', 'Camille', 'candidat.demo@'].map((text) => ({ text, seenBy: CANDIDATE_A_PARTIES })),
];
/** Never anywhere for outsiders, on top of the markers. */
const ORGANISATION_A = ['Formapro', '12345678200010', 'Dominique Responsable', 'Lou Rédacteur', 'Charlie Assiduité'];
/** 1234567A is also the documented example identifier (forms, help): only other mentions count. */
const IDENTIFIER = /(?<!exemple\s?:?\s?`?)1234567A(?!;SESS)/i;

/** The secrets in `body`, once the caller's own URL (echoed in problem details and redirects) is taken out. */
function leaks(raw: string, url: string, secrets: readonly string[], identifierToo: boolean): string[] {
  const body = raw.replaceAll(url, '').replaceAll(encodeURIComponent(url), '');
  const found = secrets.filter((s) => body.includes(s));
  if (identifierToo && IDENTIFIER.test(body)) found.push('1234567A');
  return found;
}

function satisfies(expect: Expect, res: LightMyRequestResponse, isApi: boolean): boolean {
  const s = res.statusCode;
  const toSignIn = s >= 300 && s < 400 && String(res.headers.location ?? '').startsWith('/connexion');
  if (expect === 'ok') return s >= 200 && s < 400 && !toSignIn;
  if (expect === 'allowed') return s < 500 && ![401, 403, 404, 405, 429].includes(s) && !toSignIn;
  if (expect === 'signIn') return isApi ? s === 401 : s === 303 && toSignIn;
  if (Array.isArray(expect)) return expect.includes(s);
  return s === expect;
}

for (const engine of ENGINES) {
  describe(`access-control matrix (${engine})`, () => {
    let rt: TestRuntime;
    let attachmentsDir = '';
    let world: World;
    /** The anonymous visitor's double-submit CSRF cookie and token, for public forms. */
    let anonymousForm = { cookie: '', token: '' };
    const signedInActors = ACTORS.filter((a): a is SignedInActor => a !== 'anonymous');
    const as = (actor: SignedInActor) => world.as[actor]!;

    before(async () => {
      attachmentsDir = await mkdtemp(path.join(tmpdir(), 'kairos-matrix-'));
      rt = await startTestRuntime(engine, { env: { ...WORLD_ENV, ATTACHMENTS_DIR: attachmentsDir, LOG_LEVEL: 'warn' } });
      world = await buildWorld(rt, signedInActors);
      anonymousForm = await anonymousFormToken(rt.app);
    });
    after(async () => {
      await rt?.stop();
      await rm(attachmentsDir, { recursive: true, force: true });
    });

    async function call(route: RouteEntry, policy: RoutePolicy, url: string, session: SignedIn | null): Promise<LightMyRequestResponse> {
      const isApi = url.startsWith('/api/');
      const query = policy.query?.replace(/\{(\w+)\}/g, (_, key: string) => encodeURIComponent(world.fx[key]!));
      const full = query ? `${url}?${query}` : url;
      const headers: Record<string, string> = {};
      const withBody = ['POST', 'PUT', 'PATCH'].includes(route.method);
      if (isApi) {
        if (session) Object.assign(headers, session.headers);
        return rt.app.inject({ method: route.method as 'GET', url: full, headers, ...(withBody ? { payload: policy.body ?? {} } : {}) });
      }
      const cookie = session ? session.cookie : anonymousForm.cookie;
      if (cookie) headers.cookie = cookie;
      if (!withBody) return rt.app.inject({ method: route.method as 'GET', url: full, headers });
      const form = new URLSearchParams({ _csrf: session ? session.csrfToken : anonymousForm.token });
      for (const [k, v] of Object.entries(policy.body ?? {})) form.append(k, String(v));
      headers['content-type'] = 'application/x-www-form-urlencoded';
      return rt.app.inject({ method: route.method as 'POST', url: full, headers, payload: form.toString() });
    }

    it('has a declared policy for every registered route (and for nothing else)', () => {
      const table = rt.app.routeTable;
      assert.ok(table.length > 100, `route table too small: ${table.length}`);
      const missing = table.map(routeKey).filter((k) => !(k in POLICY));
      assert.deepEqual(missing, [], `routes without an entry in test/integration/access-policy.ts:\n${missing.join('\n')}`);
      const keys = new Set(table.map(routeKey));
      const stale = Object.keys(POLICY).filter((k) => !keys.has(k));
      assert.deepEqual(stale, [], `entries of access-policy.ts naming no registered route:\n${stale.join('\n')}`);
      const unresolved = table.flatMap((r) => paramsOf(r.url).filter((p) => !fixtureFor(r.url, p)).map((p) => `${routeKey(r)} :${p}`));
      assert.deepEqual(unresolved, [], 'path parameters without a fixture (see fixtureFor)');
      const unbuilt = Object.keys(FIXTURES).filter((k) => !world.fx[k]);
      assert.deepEqual(unbuilt, [], 'fixtures of access-policy.ts that buildWorld does not build');
    });

    /** Each actor's organisation and habilitations, as /api/v1/me reports them, match PROFILES. */
    async function checkRoster() {
      for (const actor of signedInActors) {
        const me = await expectJson<{ organisation: { name: string } | null; habilitations: Array<{ application: string; role: string }> }>(
          await apiCall(rt.app, as(actor), 'GET', '/api/v1/me'),
          200,
          `me of ${actor}`,
        );
        const profile = PROFILES[actor];
        assert.equal(me.organisation?.name ?? null, profile.organisation ? WORLD_ORGANISATIONS[profile.organisation] : null, actor);
        assert.deepEqual(me.habilitations.map((h) => `${h.application}/${h.role}`).sort(), [...profile.habilitations].sort(), actor);
      }
    }

    it('knows the actors as the system does (the roster the expectations are computed from)', checkRoster);

    it('shows A’s markers to those who may see them (so that finding none elsewhere means something)', async () => {
      const { fx } = world;
      const shows = async (actor: SignedInActor, url: string, texts: string[]) => {
        const res = await apiCall(rt.app, as(actor), 'GET', url);
        assert.equal(res.statusCode, 200, `${actor} ${url}: ${res.body.slice(0, 200)}`);
        for (const text of texts) assert.ok(res.body.includes(text), `${actor} ${url} shows ${text}`);
      };
      await shows('devis.demo', `/api/v1/quotes/${fx.quoteA}`, [WORLD_MARKERS.quoteTitle, 'Martin', '1234567A']);
      await shows('devis.demo', '/api/v1/quotes?q=Matrice', [WORLD_MARKERS.quoteTitle]); // the search the policy sends organisation B
      await shows('conseiller.demo', '/api/v1/candidates/1234567A', ['Martin', 'Camille', 'candidat.demo@']);
      await shows('devis.demo', '/api/v1/quote-templates', [WORLD_MARKERS.templateName]);
      await shows('support.demo', `/api/v1/support-requests/${fx.supportRequestA}`, [WORLD_MARKERS.supportSubject]);
      await shows('rgc.demo', `/api/v1/organisations/${fx.organisationA}/users`, [WORLD_MARKERS.userLastName]);
    });

    it('answers every cell as declared, never a 5xx, and never leaks A’s data', async () => {
      const failures: string[] = [];
      let cells = 0;
      for (const route of rt.app.routeTable) {
        const policy = POLICY[routeKey(route)];
        if (!policy) continue; // reported by the first test
        const params = paramsOf(route.url);
        const keys = params.map((p) => fixtureFor(route.url, p)).filter((k): k is FixtureKey => !!k);
        for (const actor of ACTORS) {
          for (const key of policy.fresh ?? []) await world.fresh(key);
          let url = route.url;
          for (const p of params) url = url.replace(`:${p}`, encodeURIComponent(world.fx[fixtureFor(route.url, p)!]!));
          let session: SignedIn | null = actor === 'anonymous' ? null : as(actor);
          if (session && policy.endsSession) session = await signInAs(rt.app, rt.clock, actor);
          const res = await call(route, policy, url, session);
          cells += 1;
          const expect = expectedCell(route.method, route.access, policy, keys, actor);
          const isApi = url.startsWith('/api/');
          const where = `${route.method} ${url} as ${actor}`;
          const excerpt = () => `${res.body.replace(/\s+/g, ' ').slice(0, 160)}`;
          if (!satisfies(expect, res, isApi)) {
            failures.push(`${where}: expected ${expect}, got ${res.statusCode}${res.headers.location ? ` → ${res.headers.location}` : ''} ${excerpt()}`);
          }
          const refused = [401, 403, 404].includes(res.statusCode) || res.statusCode >= 500;
          const unseen = (m: (typeof MARKERS)[number]) => refused || !m.seenBy.includes(actor);
          const secrets = MARKERS.filter(unseen).map((m) => m.text);
          if (OUTSIDERS.includes(actor)) secrets.push(...ORGANISATION_A);
          const leaked = leaks(res.body, url, secrets, unseen(MARKERS.at(-1)!));
          if (leaked.length) failures.push(`${where}: ${res.statusCode} leaks ${leaked.join(', ')}`);
        }
      }
      assert.ok(cells > 1000, `only ${cells} cells`);
      assert.deepEqual(failures, [], `${failures.length} cell(s) differ from access-policy.ts:\n${failures.join('\n')}`);
    });

    it('answers every /api/v1 route called with an API token as its role and organisation allow, never leaking A to B', async () => {
      const organisationB = (await rt.ctx.db.selectFrom('organisation').select('id').where('name', '=', WORLD_ORGANISATIONS.B).executeTakeFirstOrThrow()).id;
      const managers = { A: { session: as('rgc.demo'), organisationId: world.fx.organisationA! }, B: { session: as('rgc.demo2'), organisationId: organisationB } };
      const secrets = new Map<string, string>();
      for (const t of TOKEN_ACTORS) {
        const m = managers[t.organisation];
        const issued = await apiCall(rt.app, m.session, 'POST', `/api/v1/organisations/${m.organisationId}/api-tokens`, {
          name: t.name, roles: [t.role], expiresAt: new Date(rt.clock.now().getTime() + 300 * 86_400_000).toISOString(), allowedIps: [],
        });
        secrets.set(t.name, (await expectJson<{ token: string }>(issued, 201, `token ${t.name}`)).token);
      }
      const failures: string[] = [];
      let cells = 0;
      for (const route of rt.app.routeTable.filter((r) => r.url.startsWith('/api/v1/'))) {
        const key = routeKey(route);
        const policy = POLICY[key];
        if (!policy) continue; // reported by the first test
        const params = paramsOf(route.url);
        const keys = params.map((p) => fixtureFor(route.url, p)).filter((k): k is FixtureKey => !!k);
        for (const token of TOKEN_ACTORS) {
          for (const k of policy.fresh ?? []) await world.fresh(k);
          let url = route.url;
          for (const p of params) url = url.replace(`:${p}`, encodeURIComponent(world.fx[fixtureFor(route.url, p)!]!));
          const query = policy.query?.replace(/\{(\w+)\}/g, (_, name: string) => encodeURIComponent(world.fx[name]!));
          const withBody = ['POST', 'PUT', 'PATCH'].includes(route.method);
          const res = await rt.app.inject({
            method: route.method as 'GET',
            url: query ? `${url}?${query}` : url,
            headers: { authorization: `Bearer ${secrets.get(token.name)!}` },
            ...(withBody ? { payload: policy.body ?? {} } : {}),
          });
          cells += 1;
          const expect = expectedTokenCell(key, route.method, route.access, policy, keys, token);
          if (!satisfies(expect, res, true)) failures.push(`${route.method} ${url} as ${token.name}: expected ${expect}, got ${res.statusCode} ${res.body.replace(/\s+/g, ' ').slice(0, 160)}`);
          if (token.organisation === 'B') {
            const leaked = leaks(res.body, url, [...MARKERS.map((m) => m.text), ...ORGANISATION_A], true);
            if (leaked.length) failures.push(`${route.method} ${url} as ${token.name}: ${res.statusCode} leaks ${leaked.join(', ')}`);
          }
        }
      }
      assert.ok(cells > 200, `only ${cells} cells`);
      assert.deepEqual(failures, [], `${failures.length} token cell(s) differ from token-access-policy.ts:\n${failures.join('\n')}`);
    });

    it('left the actors their sessions and roles (no cell changed what later cells rely on)', checkRoster);
  });
}
