import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import cookie from '@fastify/cookie';
import Fastify, { type LightMyRequestResponse } from 'fastify';
import { sql } from 'kysely';
import { DEMO_PASSWORD } from '../../src/demo/accounts.js';
import { registerAuth } from '../../src/http/auth.js';
import { registerErrorHandling } from '../../src/http/errors.js';
import { publicAccess, signedIn } from '../../src/modules/habilitations/policy.js';
import { ENGINES, startTestRuntime, type TestRuntime } from '../helpers/runtime.js';
import { csrfFromHtml, demoOtp, sessionCookieOf, signInAs, type SignedIn } from '../helpers/session.js';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const PROBLEM_JSON = 'application/problem+json; charset=utf-8';
const HTML = 'text/html; charset=utf-8';

const MALFORMED = 'Le contenu JSON est mal formé. Vérifiez sa syntaxe puis réessayez.';
const NOT_UTF8 = "Le contenu envoyé n'est pas encodé en UTF-8. Enregistrez-le en UTF-8 puis réessayez.";
const TOO_DEEP = 'Le contenu JSON est trop imbriqué.';
const TOO_LARGE = 'Le contenu envoyé est trop volumineux.';
const UNSUPPORTED = "Ce format de contenu n'est pas accepté ici. Pour l'API, envoyez du JSON (application/json) ; pour un formulaire, utilisez la page du site.";
const INVALID = 'Certaines données sont invalides : corrigez les champs indiqués puis réessayez.';
const CSRF_REFUSED = 'Jeton de sécurité (CSRF) absent ou invalide. Rechargez la page puis réessayez.';
const NEW_PASSWORD = 'Une phrase de passe toute neuve pour Atelier 2026 !';

const NON_UTF8 = Buffer.from([0x7b, 0x22, 0x6c, 0xff, 0xfe, 0x22, 0x7d]);
const DEEP_ARRAY = '['.repeat(10_000) + ']'.repeat(10_000);
const DEEP_OBJECT = '{"a":'.repeat(10_000) + '1' + '}'.repeat(10_000);
/** A syntactically valid JSON document just over the 1 MiB body limit. */
const OVERSIZED = JSON.stringify({ login: 'x'.repeat(1024 * 1024), password: 'p' });

function requestIdOf(res: LightMyRequestResponse): string {
  const id = res.headers['x-request-id'];
  assert.equal(typeof id, 'string', 'x-request-id header missing');
  assert.match(id as string, UUID);
  return id as string;
}

/** A problem+json answer with its exact status and French detail; returns the body. */
function assertProblem(res: LightMyRequestResponse, status: number, detail: string, url: string) {
  assert.equal(res.statusCode, status, `${url}: ${res.body.slice(0, 300)}`);
  assert.equal(res.headers['content-type'], PROBLEM_JSON);
  const body = res.json();
  assert.equal(body.status, status);
  assert.equal(body.detail, detail);
  assert.equal(body.type, 'about:blank');
  assert.equal(body.instance, url);
  assert.equal(body.requestId, requestIdOf(res));
  return body as { errors?: Array<{ field: string; message: string }> };
}

/** A French HTML error page showing the request id as the support reference. */
function assertErrorPage(res: LightMyRequestResponse, status: number, detail: string) {
  assert.equal(res.statusCode, status, res.body.slice(0, 300));
  assert.equal(res.headers['content-type'], HTML);
  assert.match(res.body, /^<!doctype html>\n<html lang="fr">/);
  assert.ok(res.body.includes(`<p>${detail}</p>`), `detail « ${detail} » not in page`);
  const ref = /Référence à communiquer à l’assistance : <strong class="font-monospace">([^<]+)<\/strong>/.exec(res.body);
  assert.ok(ref, 'no Référence on the error page');
  assert.equal(ref[1], requestIdOf(res));
}

const fieldsOf = (body: { errors?: Array<{ field: string }> }) => (body.errors ?? []).map((e) => e.field).sort();

for (const engine of ENGINES) {
  describe(`HTTP platform (${engine})`, () => {
    let rt: TestRuntime;
    /** Every credential the app saw in this file; none may reach a log line. */
    const secrets = new Set<string>([DEMO_PASSWORD, NEW_PASSWORD]);
    const otps = new Set<string>();
    let lastSessionToken = '';

    before(async () => {
      rt = await startTestRuntime(engine);
    });
    after(async () => {
      await rt?.stop();
    });

    async function signIn(login: string): Promise<SignedIn> {
      const s = await signInAs(rt.app, rt.clock, login);
      otps.add(demoOtp(rt.clock)); // the helper's code: the clock has not moved since
      lastSessionToken = s.cookie.slice(s.cookie.indexOf('=') + 1);
      secrets.add(lastSessionToken);
      secrets.add(s.csrfToken);
      return s;
    }

    async function counts() {
      const { rows } = await sql<{ sessions: number; live: number; audit: number; throttle: number }>`
        select (select count(*) from session) as sessions,
               (select count(*) from session where ended_at is null) as live,
               (select count(*) from audit_log) as audit,
               (select count(*) from sign_in_throttle) as throttle`.execute(rt.ctx.db);
      return rows[0];
    }

    async function sessionRow(s: SignedIn) {
      const { rows } = await sql<{ ended_at: Date | null; end_reason: string | null }>`
        select ended_at, end_reason from session where csrf_token = ${s.csrfToken}`.execute(rt.ctx.db);
      assert.equal(rows.length, 1);
      return rows[0];
    }

    const passwordHashOf = async (login: string) =>
      (await rt.ctx.db.selectFrom('account').select('password_hash').where('login', '=', login).executeTakeFirstOrThrow()).password_hash;

    const me = (s: SignedIn) => rt.app.inject({ url: '/api/v1/me', headers: { cookie: s.cookie } });

    it('answers /healthz and /readyz with the engine in use', async () => {
      const health = await rt.app.inject({ url: '/healthz' });
      assert.equal(health.statusCode, 200);
      assert.equal(health.headers['content-type'], 'application/json; charset=utf-8');
      assert.deepEqual(health.json(), { status: 'ok', database: engine });
      requestIdOf(health);
      const ready = await rt.app.inject({ url: '/readyz' });
      assert.equal(ready.statusCode, 200);
      assert.deepEqual(ready.json(), { status: 'ready', database: engine });
    });

    it('gives every response its own server-chosen X-Request-Id, echoed in problem bodies', async () => {
      const headers = { 'x-request-id': 'choisi-par-le-client' };
      const responses = await Promise.all([
        rt.app.inject({ url: '/healthz', headers }),
        rt.app.inject({ url: '/connexion', headers }),
        rt.app.inject({ url: '/assets/kairos.css', headers }),
        rt.app.inject({ url: '/api/v1/inconnu', headers }),
        rt.app.inject({ url: '/api/v1/me', headers }),
        rt.app.inject({ method: 'POST', url: '/api/v1/session', headers: { ...headers, 'content-type': 'application/json' }, payload: '{' }),
      ]);
      assert.deepEqual(
        responses.map((r) => r.statusCode),
        [200, 200, 200, 404, 401, 400],
      );
      const ids = responses.map(requestIdOf);
      assert.equal(new Set(ids).size, ids.length, 'request ids must be unique');
      for (const res of responses) {
        if (res.headers['content-type'] === PROBLEM_JSON) assert.equal(res.json().requestId, res.headers['x-request-id']);
      }
    });

    it('links every page to its icon, served as SVG (browsers otherwise ask for a missing /favicon.ico)', async () => {
      const page = await rt.app.inject({ url: '/connexion' });
      const href = /<link rel="icon" href="([^"]+)" type="image\/svg\+xml"/.exec(page.body)?.[1];
      assert.equal(href, '/assets/favicon.svg');
      const icon = await rt.app.inject({ url: href });
      assert.equal(icon.statusCode, 200);
      assert.match(String(icon.headers['content-type']), /^image\/svg\+xml/);
      assert.match(icon.body, /^<svg /);
    });

    it('answers an unknown API path with a French problem+json 404', async () => {
      const res = await rt.app.inject({ url: '/api/v1/inconnu?x=1' });
      assert.equal(res.statusCode, 404);
      assert.equal(res.headers['content-type'], PROBLEM_JSON);
      assert.deepEqual(res.json(), {
        type: 'about:blank',
        title: 'Ressource introuvable',
        status: 404,
        detail: "Cette ressource n'existe pas.",
        instance: '/api/v1/inconnu',
        requestId: requestIdOf(res),
      });
    });

    it('answers an unknown page with a French HTML 404 giving the request id as reference', async () => {
      const res = await rt.app.inject({ url: '/nexiste-pas' });
      assertErrorPage(res, 404, "Cette page n'existe pas.");
      assert.match(res.body, /<title>Ressource introuvable — Kairos<\/title>/);
      assert.equal(res.headers['cache-control'], 'no-store');
    });

    it('sends the security headers with an HTML page', async () => {
      const res = await rt.app.inject({ url: '/connexion' });
      assert.equal(res.statusCode, 200);
      assert.equal(res.headers['content-type'], HTML);
      const csp = String(res.headers['content-security-policy']);
      const directives = new Map(
        csp.split(';').map((d) => {
          const [name, ...values] = d.trim().split(/\s+/);
          return [name, values.join(' ')] as const;
        }),
      );
      assert.ok(!csp.includes('unsafe-inline'), csp);
      assert.ok(!csp.includes('unsafe-eval'), csp);
      assert.equal(directives.get('frame-ancestors'), "'none'");
      assert.equal(directives.get('default-src'), "'self'");
      assert.equal(directives.get('script-src'), "'self'");
      assert.equal(directives.get('object-src'), "'none'");
      assert.equal(res.headers['x-content-type-options'], 'nosniff');
      assert.equal(res.headers['x-frame-options'], 'DENY');
      assert.equal(res.headers['referrer-policy'], 'same-origin');
      const permissions = String(res.headers['permissions-policy']);
      for (const feature of ['camera', 'microphone', 'geolocation']) assert.ok(permissions.includes(`${feature}=()`), permissions);
    });

    it('refuses bad input to POST /api/v1/session with exact problems, storing nothing', async () => {
      const url = '/api/v1/session';
      const before = await counts();
      const send = (payload: string | Buffer, contentType = 'application/json') =>
        rt.app.inject({ method: 'POST', url, payload, headers: { 'content-type': contentType } });
      const json = (value: unknown) => send(JSON.stringify(value));

      assertProblem(await send('{"login":"admin.agence",'), 400, MALFORMED, url);
      assertProblem(await send(OVERSIZED), 413, TOO_LARGE, url);

      const unknown = assertProblem(
        await json({ login: 'admin.agence', password: DEMO_PASSWORD, otp: '123456', role: 'admin' }),
        422,
        INVALID,
        url,
      );
      assert.deepEqual(unknown.errors, [{ field: 'role', message: "Le champ « role » n’est pas attendu : retirez-le." }]);

      const types = assertProblem(await json({ login: 123, password: null }), 422, INVALID, url);
      assert.deepEqual(fieldsOf(types), ['login', 'password']);
      for (const e of types.errors!) assert.match(e.message, new RegExp(`\\(${e.field}\\) : texte attendu\\.$`), "French messages naming the field");

      const long = assertProblem(await json({ login: 'a'.repeat(100_000), password: DEMO_PASSWORD, otp: '' }), 422, INVALID, url);
      assert.deepEqual(fieldsOf(long), ['login']);

      assertProblem(await send(NON_UTF8), 400, NOT_UTF8, url);
      assertProblem(await send(DEEP_ARRAY), 400, TOO_DEEP, url);
      assertProblem(await send(DEEP_OBJECT), 400, TOO_DEEP, url);
      assertProblem(await send(`{"__proto__":{"admin":true},"login":"admin.agence","password":"x"}`), 400, MALFORMED, url);
      assertProblem(await send(`{"constructor":{"prototype":{"admin":true}},"login":"a","password":"x"}`), 400, MALFORMED, url);
      assertProblem(await send(`login=admin.agence&password=x`, 'text/plain'), 415, UNSUPPORTED, url);
      // A cross-site HTML form can post urlencoded bodies without a preflight: the API refuses them.
      const form = await send(`login=admin.agence&password=${encodeURIComponent(DEMO_PASSWORD)}&otp=123456`, 'application/x-www-form-urlencoded');
      assert.equal(form.statusCode, 415);
      assert.match(form.json().detail, /n'accepte que du JSON/);

      assert.deepEqual(await counts(), before);
      assert.equal(({} as Record<string, unknown>).admin, undefined);
    });

    it('refuses bad input to POST /api/v1/me/password (signed in, with CSRF token), changing nothing', async () => {
      const s = await signIn('devis.demo');
      const url = '/api/v1/me/password';
      const hash = await passwordHashOf('devis.demo');
      const before = await counts();
      const send = (payload: string | Buffer, contentType = 'application/json') =>
        rt.app.inject({ method: 'POST', url, payload, headers: { ...s.headers, 'content-type': contentType } });
      const json = (value: unknown) => send(JSON.stringify(value));

      assertProblem(await send('{"currentPassword":'), 400, MALFORMED, url);
      assertProblem(await send(OVERSIZED), 413, TOO_LARGE, url);

      const unknown = assertProblem(
        await json({ currentPassword: DEMO_PASSWORD, newPassword: NEW_PASSWORD, login: 'admin.agence' }),
        422,
        INVALID,
        url,
      );
      assert.deepEqual(unknown.errors, [{ field: 'login', message: "Le champ « login » n’est pas attendu : retirez-le." }]);

      const types = assertProblem(await json({ currentPassword: 123, newPassword: null }), 422, INVALID, url);
      assert.deepEqual(fieldsOf(types), ['currentPassword', 'newPassword']);

      const long = assertProblem(await json({ currentPassword: DEMO_PASSWORD, newPassword: 'b'.repeat(100_000) }), 422, INVALID, url);
      assert.deepEqual(fieldsOf(long), ['newPassword']);

      assertProblem(await send(NON_UTF8), 400, NOT_UTF8, url);
      assertProblem(await send(DEEP_ARRAY), 400, TOO_DEEP, url);
      assertProblem(await send(`{"__proto__":{"x":1},"currentPassword":"a","newPassword":"b"}`), 400, MALFORMED, url);
      assertProblem(await send('currentPassword=a&newPassword=b', 'text/plain'), 415, UNSUPPORTED, url);

      assert.deepEqual(await counts(), before);
      assert.equal(await passwordHashOf('devis.demo'), hash);
      assert.deepEqual(await sessionRow(s), { ended_at: null, end_reason: null });
      assert.equal((await me(s)).statusCode, 200);
    });

    it('answers bad sign-in form posts with a French 4xx page, never a 5xx, storing nothing', async () => {
      const page = await rt.app.inject({ url: '/connexion' });
      const csrf = csrfFromHtml(page.body);
      const csrfCookie = page.cookies.find((c) => c.name === 'kairos_csrf');
      assert.ok(csrfCookie);
      assert.equal(csrfCookie.value, csrf);
      secrets.add(csrf);
      const form = (payload: string | Buffer, cookieHeader?: string) =>
        rt.app.inject({
          method: 'POST',
          url: '/connexion',
          payload,
          headers: { 'content-type': 'application/x-www-form-urlencoded', ...(cookieHeader ? { cookie: cookieHeader } : {}) },
        });
      rt.clock.advance(30_000);
      const otp = demoOtp(rt.clock);
      otps.add(otp);
      const fields = (extra: Record<string, string>) =>
        new URLSearchParams({ login: 'rgc.demo', password: DEMO_PASSWORD, otp, ...extra }).toString();
      const before = await counts();

      assertErrorPage(await form(Buffer.concat([Buffer.from(`_csrf=${csrf}&login=`), Buffer.from([0xff, 0xfe])]), `kairos_csrf=${csrf}`), 400, NOT_UTF8);
      // Right credentials, but no CSRF token at all, or one that does not match the cookie.
      for (const res of [
        await form(fields({})),
        await form(fields({}), `kairos_csrf=${csrf}`),
        await form(fields({ _csrf: csrf })),
        await form(fields({ _csrf: `${csrf.slice(0, -1)}${csrf.endsWith("x") ? "y" : "x"}` }), `kairos_csrf=${csrf}`),
      ]) {
        assertErrorPage(res, 403, CSRF_REFUSED);
        assert.equal(res.cookies.find((c) => c.name === 'kairos_session'), undefined);
      }
      assertErrorPage(await form(`_csrf=${csrf}&login=${'x'.repeat(1024 * 1024)}`, `kairos_csrf=${csrf}`), 413, TOO_LARGE);
      assert.deepEqual(await counts(), before);

      // The same form with the token goes through: the refusals above were the token's doing.
      const ok = await form(fields({ _csrf: csrf }), `kairos_csrf=${csrf}`);
      assert.equal(ok.statusCode, 303, ok.body.slice(0, 300));
      assert.equal(ok.headers.location, '/portail');
      secrets.add(sessionCookieOf(ok).split('=')[1]);
      const after = await counts();
      assert.equal(after.sessions, before.sessions + 1);
    });

    it('refuses session-authenticated API changes without the right X-CSRF-Token', async () => {
      const s = await signIn('conseiller.demo');
      const other = await signIn('support.demo');
      const hash = await passwordHashOf('conseiller.demo');
      const before = await counts();
      const wrongTokens: Array<Record<string, string>> = [
        {},
        { 'x-csrf-token': '' },
        { 'x-csrf-token': other.csrfToken },
        { 'x-csrf-token': `${s.csrfToken.slice(0, -1)}${s.csrfToken.endsWith('A') ? 'B' : 'A'}` },
        { 'x-csrf-token': `${s.csrfToken}x` },
      ];
      for (const extra of wrongTokens) {
        const del = await rt.app.inject({ method: 'DELETE', url: '/api/v1/session', headers: { cookie: s.cookie, ...extra } });
        assertProblem(del, 403, CSRF_REFUSED, '/api/v1/session');
        const pw = await rt.app.inject({
          method: 'POST',
          url: '/api/v1/me/password',
          headers: { cookie: s.cookie, ...extra },
          payload: { currentPassword: DEMO_PASSWORD, newPassword: NEW_PASSWORD },
        });
        assertProblem(pw, 403, CSRF_REFUSED, '/api/v1/me/password');
      }
      // A cross-site request is refused even with the right token.
      const crossSite = await rt.app.inject({
        method: 'DELETE',
        url: '/api/v1/session',
        headers: { ...s.headers, 'sec-fetch-site': 'cross-site' },
      });
      assertProblem(crossSite, 403, CSRF_REFUSED, '/api/v1/session');

      assert.deepEqual(await counts(), before);
      assert.equal(await passwordHashOf('conseiller.demo'), hash);
      assert.deepEqual(await sessionRow(s), { ended_at: null, end_reason: null });
      assert.equal((await me(s)).statusCode, 200);

      const signOut = await rt.app.inject({ method: 'DELETE', url: '/api/v1/session', headers: s.headers });
      assert.equal(signOut.statusCode, 204);
      const ended = await sessionRow(s);
      assert.equal(ended.end_reason, 'sign_out');
      assert.equal(ended.ended_at?.getTime(), rt.clock.now().getTime());
      assert.equal((await me(s)).statusCode, 401);
      const audit = await rt.ctx.db
        .selectFrom('audit_log')
        .select(['action', 'actor_login'])
        .where('request_id', '=', requestIdOf(signOut))
        .execute();
      assert.deepEqual(audit, [{ action: 'sign_out', actor_login: 'conseiller.demo' }]);
      // The other user's session is untouched.
      assert.equal((await me(other)).statusCode, 200);
    });

    it('changes the password through the API with the right CSRF token', async () => {
      const s = await signIn('devis.demo2');
      const second = await signIn('devis.demo2');
      const res = await rt.app.inject({
        method: 'POST',
        url: '/api/v1/me/password',
        headers: s.headers,
        payload: { currentPassword: DEMO_PASSWORD, newPassword: NEW_PASSWORD },
      });
      assert.equal(res.statusCode, 204, res.body);
      assert.equal((await sessionRow(s)).end_reason, 'password_change');
      assert.equal((await sessionRow(second)).end_reason, 'password_change');
      assert.equal((await me(second)).statusCode, 401);
      const again = await signInAs(rt.app, rt.clock, 'devis.demo2', { password: NEW_PASSWORD });
      otps.add(demoOtp(rt.clock));
      secrets.add(again.cookie.split('=')[1]);
      secrets.add(again.csrfToken);
      assert.equal((await me(again)).statusCode, 200);
    });

    it('refuses a form POST /deconnexion without the _csrf field', async () => {
      const s = await signIn('assiduite.demo');
      const form = (payload: string) =>
        rt.app.inject({
          method: 'POST',
          url: '/deconnexion',
          payload,
          headers: { cookie: s.cookie, 'content-type': 'application/x-www-form-urlencoded' },
        });
      assertErrorPage(await form(''), 403, CSRF_REFUSED);
      assertErrorPage(await form('_csrf=faux-jeton-de-securite-1234'), 403, CSRF_REFUSED);
      // The CSRF header is for the API; a form must carry the field.
      const headerOnly = await rt.app.inject({ method: 'POST', url: '/deconnexion', headers: s.headers, payload: '' });
      assert.equal(headerOnly.statusCode, 403);
      assert.deepEqual(await sessionRow(s), { ended_at: null, end_reason: null });

      const portal = await rt.app.inject({ url: '/portail', headers: { cookie: s.cookie } });
      assert.equal(portal.statusCode, 200);
      const csrf = csrfFromHtml(portal.body);
      assert.equal(csrf, s.csrfToken);
      const ok = await form(`_csrf=${encodeURIComponent(csrf)}`);
      assert.equal(ok.statusCode, 303);
      assert.equal(ok.headers.location, '/connexion');
      assert.equal((await sessionRow(s)).end_reason, 'sign_out');
    });

    it('refuses to register a route without an access rule (deny by default)', async () => {
      const app = Fastify();
      app.decorate('ctx', rt.ctx);
      await app.register(cookie);
      registerAuth(app);
      registerErrorHandling(app);
      assert.throws(() => app.get('/sans-regle', async () => 'ouvert'), /Route GET \/sans-regle declares no access rule/);
      assert.throws(
        () => app.post('/sans-regle-vide', { config: {} }, async () => 'ouvert'),
        /Route POST \/sans-regle-vide declares no access rule/,
      );
      app.get('/public', { config: { access: publicAccess } }, async () => ({ ok: true }));
      app.get('/api/prive', { config: { access: signedIn } }, async () => ({ ok: true }));
      await app.ready();
      assert.equal((await app.inject({ url: '/public' })).statusCode, 200);
      assert.equal((await app.inject({ url: '/api/prive' })).statusCode, 401);
      await app.close();

      // Inside a plugin, the error surfaces when the app is made ready.
      const late = Fastify();
      late.decorate('ctx', rt.ctx);
      registerAuth(late);
      late.register(async (scope) => {
        scope.delete('/api/v1/tout-effacer', async () => 'effacé');
      });
      await assert.rejects(async () => late.ready(), /Route DELETE \/api\/v1\/tout-effacer declares no access rule/);
      await late.close().catch(() => {});
    });

    it('keeps credentials, cookies, CSRF tokens and TOTP codes out of the logs; every line has a reqId', async () => {
      // Credentials in places a careless logger would pick up: path, query string, body.
      await rt.app.inject({ url: `/nexiste-pas/${DEMO_PASSWORD}?password=${DEMO_PASSWORD}` });
      await rt.app.inject({ url: `/api/v1/inconnu?token=${lastSessionToken}`, headers: { cookie: `kairos_session=${lastSessionToken}` } });
      assert.ok(secrets.size >= 8, `only ${secrets.size} secrets collected`);
      assert.ok(otps.size >= 4);

      const lines = rt.logs.map((line) => JSON.parse(line) as Record<string, unknown>);
      assert.ok(lines.some((l) => (l.req as { route?: string } | undefined)?.route === '/api/v1/session'), 'sign-in requests were not logged');
      assert.ok(lines.some((l) => l.msg === 'request refused'), 'refusals were not logged');
      for (const line of lines) {
        assert.match(String(line.reqId), UUID, `log line without reqId: ${JSON.stringify(line)}`);
        // Numbers the logger adds itself (time, durations, pid) could contain any 6 digits.
        const { time: _t, responseTime: _r, pid: _p, reqId: _id, hostname: _h, ...rest } = line;
        const text = JSON.stringify(rest);
        for (const secret of secrets) assert.ok(!text.includes(secret), `secret ${secret.slice(0, 4)}… leaked in log: ${text}`);
        for (const otp of otps) assert.doesNotMatch(text, new RegExp(`(?<!\\d)${otp}(?!\\d)`), `TOTP code leaked in log: ${text}`);
      }
    });
  });
}
