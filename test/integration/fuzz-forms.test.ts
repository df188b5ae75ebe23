// Fuzzing every HTML form and page (docs/fuzzing.md). Every page of the route table is opened
// as each actor it lets through, its forms read as a browser would; then every form route (a
// POST outside /api/) is sent those forms' fields with hostile values (and hostile extra fields,
// repeated fields, hostile files for multipart forms, hostile path segments), with a valid CSRF
// token; every page is sent hostile query strings. Never a 5xx, never a marker reflected raw
// into HTML, never a redirect off the site, nothing stored on refusal; afterwards every page,
// now showing what the fuzzer stored, still escapes it. Fixed seed in CI; FUZZ_RUNS / FUZZ_SEED.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import fc from 'fast-check';
import type { LightMyRequestResponse } from 'fastify';
import type { RouteEntry } from '../../src/http/auth.js';
import {
  BROKEN_ENCODINGS,
  RAW_MARKER,
  fillPath,
  formBody,
  fuzzParameters,
  hostileFile,
  hostileSegment,
  hostileString,
  multipartBody,
  pathParams,
  queryString,
  rarely,
} from '../helpers/fuzz.js';
import {
  assertNothingStored,
  allowedActors,
  crawlPages,
  createFuzzWorld,
  pageRoutes,
  randomIp,
  realUrls,
  storedState,
  type CrawledForm,
  type FuzzWorld,
  type StoredState,
} from '../helpers/fuzz-fixtures.js';
import { ENGINES, startTestRuntime, type TestRuntime } from '../helpers/runtime.js';

/** `/devis/:id/annuler` → a regex for concrete paths, static routes winning over parametric ones. */
function routeOfAction(routes: RouteEntry[], action: string): RouteEntry | undefined {
  const path = action.split('?')[0];
  const matching = routes.filter((r) => new RegExp(`^${r.url.replace(/:[A-Za-z]+/g, '[^/]+')}$`).test(path));
  return matching.sort((a, b) => pathParams(a.url).length - pathParams(b.url).length)[0];
}

/** Forms only shown in a state the fixtures do not reach, and the fields their handlers read. */
const GUESSED_FIELDS: Record<string, string[]> = {
  '/compte/double-authentification/confirmation': ['otp'],
  '/activation/confirmation': ['login', 'otp'],
  '/gid/revue': ['habilitationId', 'decision'],
  '/kairos/formations/:id/transmission': ['month'],
  '/kairos/formations/:id/correction': ['month', 'date', 'period', 'cell', 'reason'],
  '/kairos/formations/:id/abandon': ['date', 'reason', 'comment'],
  '/kairos/formations/:id/bilan': ['outcome', 'certification', 'skills', 'difficulties', 'nextSteps', 'employmentOutcome'],
  '/kairos/assiduite': ['session', 'mois'],
};

/**
 * A refusal that stores by design: « save and submit » on a quote saves the draft, then answers
 * 422 with the rules the submission failed (the page says the draft was saved).
 */
const storedOnPurpose = (res: LightMyRequestResponse) => res.statusCode === 422 && res.body.includes('Le brouillon est enregistré');

for (const engine of ENGINES) {
  describe(`fuzzing every HTML form and page (${engine})`, () => {
    let rt: TestRuntime;
    let w: FuzzWorld;
    let forms: CrawledForm[];
    let lastState: StoredState | null = null;

    before(async () => {
      rt = await startTestRuntime(engine, { env: { LOG_LEVEL: 'warn' } }); // every guard as in production
      w = await createFuzzWorld(rt);
      forms = (await crawlPages(w)).forms;
    });
    after(() => rt?.stop());

    const formRoutes = () => rt.app.routeTable.filter((r) => r.method === 'POST' && !r.url.startsWith('/api/'));

    /** What every page answer must satisfy, whatever it was sent. */
    function assertSafe(what: string, res: LightMyRequestResponse) {
      assert.ok(res.statusCode < 500, `${what} → ${res.statusCode} ${res.body.slice(0, 500)}`);
      const type = String(res.headers['content-type'] ?? '');
      if (type.startsWith('text/html')) assert.doesNotMatch(res.body, RAW_MARKER, `${what}: input reflected unescaped`);
      if (res.statusCode >= 300 && res.statusCode < 400) {
        const location = String(res.headers.location ?? '');
        assert.match(location, /^\/(?![/\\])/, `${what}: redirected off the site, to ${location}`);
        assert.doesNotMatch(location, RAW_MARKER, `${what}: marker unencoded in the redirect`);
      }
    }

    /** Where a form sends the browser must be as safe: values carried in its query string included. */
    async function followRedirect(actor: string | null, what: string, res: LightMyRequestResponse) {
      const location = String(res.headers.location ?? '');
      if (res.statusCode < 300 || res.statusCode >= 400 || !location.startsWith('/') || location.startsWith('/connexion')) return;
      const next = await rt.app.inject({ method: 'GET', url: location, headers: w.headers(actor), remoteAddress: actor ? '10.0.0.1' : randomIp() });
      assertSafe(`${what}, then GET ${location.slice(0, 200)}`, next);
      lastState = null; // reading a record may be audited: the next request reads the state afresh
    }

    /** Signed out by the fuzzer (sign-out form, ending one's own session)? Sign in again. */
    async function keepSignedIn(actor: string | null, res: LightMyRequestResponse) {
      const toSignIn = res.statusCode === 303 && String(res.headers.location ?? '').startsWith('/connexion');
      if (actor && (toSignIn || res.statusCode === 401) && (await w.ensureSignedIn(actor))) lastState = null;
    }

    it('reads forms from every page', () => {
      const posted = new Set(forms.filter((f) => f.method === 'post').map((f) => routeOfAction(formRoutes(), f.action)?.url));
      // Forms reached only through a state (an alert to reinstate, a review open…) are fuzzed from
      // their route alone; the crawl must still find most of them.
      assert.ok(posted.size >= formRoutes().length / 2, `forms found for ${posted.size} of ${formRoutes().length} form routes`);
    });

    it('every form route, as an actor it lets through: hostile fields never give a 5xx or a raw reflection, and refusals store nothing', async (t) => {
      for (const route of formRoutes()) {
        const found = forms.filter((f) => f.method === 'post' && routeOfAction(formRoutes(), f.action)?.url === route.url);
        // A form on no page we reached (its state did not occur): its route, real ids, the fields its
        // handler reads; anonymous ones borrow the CSRF cookie of a public page.
        const anonymous = forms.find((f) => !f.actor && f.cookie);
        const fields = new Map((GUESSED_FIELDS[route.url] ?? []).map((name) => [name, ['']]));
        if (anonymous) fields.set('_csrf', anonymous.fields.get('_csrf') ?? []);
        const candidates: CrawledForm[] = found.length
          ? found.slice(0, 4)
          : allowedActors(route.access).flatMap((actor) => realUrls(w.ids, route.url).map((action) => ({ method: 'post' as const, action, multipart: false, fields, defaults: [...fields].map(([k, v]): [string, string] => [k, v[0] ?? '']), files: [], actor, page: '(none)', cookie: actor ? null : (anonymous?.cookie ?? null) })));
        await t.test(`${route.url}${found.length ? '' : ' (no page shows this form here: its fields are guessed)'}`, async (sub) => {
          const statuses: Record<number, number> = {};
          const field = (values: string[]) =>
            fc.oneof(
              { weight: 3, arbitrary: fc.constantFrom(...values) },
              { weight: 3, arbitrary: hostileString() },
              { weight: 1, arbitrary: fc.constant(undefined) },
              { weight: 1, arbitrary: fc.array(hostileString(), { minLength: 2, maxLength: 2 }) },
            );
          const input = fc.constantFrom(...candidates).chain((form) =>
            fc.record({
              form: fc.constant(form),
              fields: fc.tuple(...[...form.fields].filter(([name]) => name !== '_csrf').map(([name, values]) => fc.tuple(fc.constant(name), field(values)))),
              extra: fc.array(fc.tuple(hostileString(), hostileString()), { maxLength: 2 }),
              // Now and then a hostile segment in place of an id of the action, or a wrong token.
              segment: rarely(hostileSegment(), 5),
              csrf: fc.oneof({ weight: 12, arbitrary: fc.constant('valid') }, { weight: 1, arbitrary: fc.constantFrom('missing', 'wrong') }),
              files: form.multipart ? fc.array(hostileFile(), { maxLength: 3 }) : fc.constant<Array<{ name: string; type: string; content: Buffer }>>([]),
            }),
          );
          await fc.assert(
            fc.asyncProperty(input, async ({ form, fields, extra, segment, csrf, files }) => {
              const token = form.actor ? w.sessions.get(form.actor)!.csrfToken : (form.fields.get('_csrf')?.[0] ?? '');
              const pairs: Array<[string, string | string[]]> = [...fields.filter((f): f is [string, string | string[]] => f[1] !== undefined), ...extra];
              if (csrf === 'valid') pairs.push(['_csrf', token]);
              if (csrf === 'wrong') pairs.push(['_csrf', 'x'.repeat(token.length || 32)]);
              let action = form.action;
              if (segment && pathParams(route.url).length) {
                const ids = action.split('?')[0].split('/');
                const params = route.url.split('/').flatMap((part, i) => (part.startsWith(':') ? [i] : []));
                ids[params[0]] = segment;
                action = ids.join('/') + (form.action.includes('?') ? `?${form.action.split('?')[1]}` : '');
              }
              const body = form.multipart
                ? multipartBody(pairs, files.map((f) => ({ field: form.files[0] ?? 'fichier', ...f })))
                : { payload: formBody(pairs), contentType: 'application/x-www-form-urlencoded' };
              const headers: Record<string, string> = { ...w.headers(form.actor), 'content-type': body.contentType };
              delete headers['x-csrf-token']; // a browser's form carries only its fields and cookies
              if (form.cookie) headers.cookie = form.cookie;
              const what = `POST ${action.slice(0, 200)} as ${form.actor ?? 'anonymous'} with ${String(body.payload).slice(0, 400)}`;
              const before = lastState ?? (await storedState(rt));
              const res = await rt.app.inject({ method: 'POST', url: action, headers, payload: body.payload, remoteAddress: form.actor ? '10.0.0.1' : randomIp() });
              assertSafe(what, res);
              statuses[res.statusCode] = (statuses[res.statusCode] ?? 0) + 1;
              await followRedirect(form.actor, what, res);
              // Without the token nothing happens: 403, or a 4xx from a body parser that ran first.
              if (csrf !== 'valid') assert.ok(res.statusCode >= 400, `${what}: CSRF token ${csrf}, yet answered ${res.statusCode}`);
              lastState = await storedState(rt);
              if (res.statusCode >= 400 && !storedOnPurpose(res)) await assertNothingStored(rt, before, lastState, what, String(res.headers['content-type']).startsWith('text/html'));
              await keepSignedIn(form.actor, res);
            }),
            {
              ...fuzzParameters(`form ${route.url}`),
              // First each form as the page offers it (the path a user takes), then hostile variants.
              examples: candidates.map((form) => [
                { form, fields: form.defaults.filter(([name]) => name !== '_csrf'), extra: [], segment: null, csrf: 'valid', files: [] },
              ]),
            },
          );
          sub.diagnostic(`${route.url}: ${JSON.stringify(statuses)}`);
        });
      }
    });

    it('every page, as an actor it lets through: hostile query strings and path segments never give a 5xx or a raw reflection', async (t) => {
      for (const route of pageRoutes(rt)) {
        // The names the page's own GET forms send (filters, search), plus hostile ones.
        const names = [...new Set(forms.filter((f) => f.method === 'get' && f.action.split('?')[0] === route.url).flatMap((f) => [...f.fields.keys()]))];
        for (const actor of allowedActors(route.access)) {
          await t.test(`GET ${route.url} as ${actor ?? 'anonymous'}`, async () => {
            const urls = pathParams(route.url).length ? realUrls(w.ids, route.url) : [route.url];
            const key = names.length ? fc.oneof({ weight: 3, arbitrary: fc.constantFrom(...names) }, { weight: 1, arbitrary: hostileString() }) : hostileString();
            const input = fc.record({
              url: fc.oneof({ weight: 3, arbitrary: fc.constantFrom(...urls) }, { weight: 1, arbitrary: fc.record(Object.fromEntries(pathParams(route.url).map((p) => [p, hostileSegment()]))).map((p) => fillPath(route.url, p)) }),
              pairs: fc.array(fc.tuple(key, hostileString()), { maxLength: 4 }),
              broken: rarely(fc.constantFrom(...BROKEN_ENCODINGS), 5),
            });
            await fc.assert(
              fc.asyncProperty(input, async ({ url, pairs, broken }) => {
                const full = url + queryString(pairs, broken);
                const before = lastState ?? (await storedState(rt));
                const res = await rt.app.inject({ method: 'GET', url: full, headers: w.headers(actor), remoteAddress: actor ? '10.0.0.1' : randomIp() });
                const what = `GET ${full.slice(0, 400)} as ${actor ?? 'anonymous'}`;
                assertSafe(what, res);
                lastState = await storedState(rt);
                if (res.statusCode >= 400) await assertNothingStored(rt, before, lastState, what);
                await keepSignedIn(actor, res);
              }),
              fuzzParameters(`page ${route.url} ${actor}`),
            );
          });
        }
      }
    });

    it('afterwards, every page still escapes what the fuzzer stored', async () => {
      for (const login of w.sessions.keys()) await w.ensureSignedIn(login);
      const { pages } = await crawlPages(w);
      for (const { url, actor, response } of pages) assertSafe(`GET ${url} as ${actor ?? 'anonymous'}`, response);
      assert.ok(pages.filter((p) => p.response.statusCode === 200).length >= pages.length / 2, 'most pages answer 200 to their actors');
    });
  });
}
