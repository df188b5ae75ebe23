// The session and sign-in rules (docs/product/security.md) that sessions.test.ts, sign-in.test.ts,
// second-factor.test.ts, http-platform.test.ts and gid.test.ts leave uncovered: rotation through
// the sign-in page, every session ended at once by a suspension (and not revived by reactivation),
// the lockout of an IP address and its release, one generic answer for suspended and unactivated
// accounts too (API and page), recovery codes that guessing cannot burn, and the `__Host-` cookies
// over HTTPS.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { LightMyRequestResponse } from 'fastify';
import { DEMO_PASSWORD } from '../../src/demo/accounts.js';
import { generateRecoveryCodes, hashRecoveryCode } from '../../src/modules/identity/second-factor/recovery-codes.js';
import { SIGN_IN_FAILED } from '../../src/modules/identity/sign-in/schemas.js';
import { accountIdByLogin, organisationIdByName, staffUser } from '../helpers/fixtures.js';
import { ENGINES, startTestRuntime, type TestRuntime } from '../helpers/runtime.js';
import { csrfFromHtml, demoOtp, sessionCookieOf, signInAs } from '../helpers/session.js';

const MINUTE = 60_000;

for (const engine of ENGINES) {
  describe(`session and sign-in rules (${engine})`, () => {
    let rt: TestRuntime;
    before(async () => {
      // The lowest IP threshold the configuration allows, so that one address locks in ten tries.
      rt = await startTestRuntime(engine, { env: { IP_LOCKOUT_THRESHOLD: '10', LOG_LEVEL: 'warn' } });
    });
    after(async () => {
      await rt?.stop();
    });

    const me = async (cookie: string) => (await rt.app.inject({ url: '/api/v1/me', headers: { cookie } })).statusCode;
    const apiSignIn = (login: string, password: string, otp: string, ip: string, cookie?: string) =>
      rt.app.inject({ method: 'POST', url: '/api/v1/session', remoteAddress: ip, payload: { login, password, otp }, headers: cookie ? { cookie } : {} });
    /** The sign-in form posted as a browser does: the anonymous CSRF pair, or the session's token. */
    async function pageSignIn(fields: Record<string, string>, ip: string, session?: { cookie: string; csrfToken: string }): Promise<LightMyRequestResponse> {
      let cookie = session?.cookie;
      let token = session?.csrfToken;
      if (!session) {
        const page = await rt.app.inject({ url: '/connexion', remoteAddress: ip });
        const set = page.cookies.find((c) => c.name.endsWith('kairos_csrf'))!;
        cookie = `${set.name}=${set.value}`;
        token = csrfFromHtml(page.body);
      }
      return rt.app.inject({
        method: 'POST',
        url: '/connexion',
        remoteAddress: ip,
        headers: { cookie: cookie!, 'content-type': 'application/x-www-form-urlencoded' },
        payload: new URLSearchParams({ _csrf: token!, ...fields }).toString(),
      });
    }
    const sessionRows = async (login: string) =>
      rt.ctx.db.selectFrom('session').select(['id', 'ended_at', 'end_reason']).where('account_id', '=', await accountIdByLogin(rt, login)).execute();

    it('rotates the session at sign-in through the page: the previous cookie and its CSRF token stop working', async () => {
      const first = await signInAs(rt.app, rt.clock, 'conseiller.demo');
      rt.clock.advance(30_000);
      const again = await pageSignIn({ login: 'conseiller.demo', password: DEMO_PASSWORD, otp: demoOtp(rt.clock) }, '10.30.0.1', first);
      assert.equal(again.statusCode, 303, again.body.slice(0, 300));
      const second = sessionCookieOf(again);
      assert.notEqual(second, first.cookie);
      assert.equal(await me(first.cookie), 401, 'the previous session is ended');
      assert.equal(await me(second), 200);
      const rotated = (await sessionRows('conseiller.demo')).filter((s) => s.end_reason === 'rotated');
      assert.equal(rotated.length, 1, 'ended as rotated, not left to expire');
      // The old token is dead with its session: the new session's forms need the new one.
      const portal = await rt.app.inject({ url: '/portail', headers: { cookie: second } });
      const token = csrfFromHtml(portal.body);
      assert.notEqual(token, first.csrfToken);
      const forged = await rt.app.inject({ method: 'POST', url: '/deconnexion', headers: { cookie: second, 'content-type': 'application/x-www-form-urlencoded' }, payload: `_csrf=${first.csrfToken}` });
      assert.equal(forged.statusCode, 403);
      assert.equal(await me(second), 200);
    });

    it('ends every session of an account the moment it is suspended; reactivation revives none of them', async () => {
      const login = 'devis.demo2';
      const a = await signInAs(rt.app, rt.clock, login, { ip: '10.31.0.1' });
      const b = await signInAs(rt.app, rt.clock, login, { ip: '10.31.0.2' });
      const admin = await signInAs(rt.app, rt.clock, 'admin.agence');
      const id = await accountIdByLogin(rt, login);
      const form = (url: string) => rt.app.inject({ method: 'POST', url, headers: { cookie: admin.cookie, 'content-type': 'application/x-www-form-urlencoded' }, payload: `_csrf=${admin.csrfToken}` });
      // By the agency administrator, through the GID page of another organisation's user.
      assert.equal((await form(`/gid/utilisateurs/${id}/suspension`)).statusCode, 303);
      // Before either session makes a request, both rows are already ended (not only refused later).
      const rows = await sessionRows(login);
      assert.equal(rows.length, 2);
      for (const s of rows) assert.deepEqual([s.end_reason, s.ended_at?.getTime()], ['suspended', rt.clock.now().getTime()]);
      assert.deepEqual([await me(a.cookie), await me(b.cookie)], [401, 401]);
      rt.clock.advance(30_000);
      assert.equal((await apiSignIn(login, DEMO_PASSWORD, demoOtp(rt.clock), '10.31.0.3')).statusCode, 401, 'a suspended account cannot sign in');

      assert.equal((await form(`/gid/utilisateurs/${id}/reactivation`)).statusCode, 303);
      assert.deepEqual([await me(a.cookie), await me(b.cookie)], [401, 401], 'the old sessions stay ended');
      const c = await signInAs(rt.app, rt.clock, login, { ip: '10.31.0.4' });
      assert.equal(await me(c.cookie), 200, 'a new sign-in works');
    });

    it('locks an IP address after IP_LOCKOUT_THRESHOLD failures whatever the identifiers, on the API and the page, then releases it', async () => {
      const ip = '10.32.0.1';
      // Ten different identifiers, real and unknown: no single account reaches its own threshold.
      const logins = ['devis.demo', 'rgc.demo', 'support.demo', 'inconnu.un', 'inconnu.deux', 'assiduite.demo', 'inconnu.trois', 'candidat.demo', 'inconnu.quatre', 'conseiller.demo'];
      for (const [i, login] of logins.entries()) {
        const res = await apiSignIn(login, 'Mauvais-mot-de-passe-2026', '000000', ip);
        assert.equal(res.statusCode, 401, `failure ${i + 1}`);
      }
      rt.clock.advance(30_000);
      const locked = await apiSignIn('rgc.demo2', DEMO_PASSWORD, demoOtp(rt.clock), ip);
      assert.equal(locked.statusCode, 429, 'right credentials of another account, from the locked address');
      assert.ok(Number(locked.headers['retry-after']) > 60, `retry-after ${locked.headers['retry-after']}`);
      const page = await pageSignIn({ login: 'rgc.demo2', password: DEMO_PASSWORD, otp: demoOtp(rt.clock) }, ip);
      assert.equal(page.statusCode, 429);
      assert.match(page.body, /Trop de tentatives\. Réessayez dans \d+ minute\(s\)\./);
      assert.equal(page.cookies.find((c) => c.name.endsWith('kairos_session')), undefined);
      // Another address is not concerned; the locked one is released after LOCKOUT_MINUTES.
      assert.equal((await apiSignIn('rgc.demo2', DEMO_PASSWORD, demoOtp(rt.clock), '10.32.0.2')).statusCode, 200);
      rt.clock.advance(15 * MINUTE);
      assert.equal((await apiSignIn('rgc.demo2', DEMO_PASSWORD, demoOtp(rt.clock), ip)).statusCode, 200, 'released');
    });

    it('answers a suspended or not yet activated account, given its right credentials, exactly like a wrong password (API and page)', async () => {
      // A suspended demo account, and a pending one whose password and factor are set but not activated.
      await rt.ctx.db.updateTable('account').set({ status: 'suspended' }).where('login', '=', 'assiduite.demo').execute();
      const rgc = await signInAs(rt.app, rt.clock, 'rgc.demo');
      const pending = await staffUser(rt, rgc, await organisationIdByName(rt, 'Formapro Démo'));
      const model = await rt.ctx.db.selectFrom('account').select(['password_hash', 'totp_secret_sealed']).where('login', '=', 'rgc.demo').executeTakeFirstOrThrow();
      await rt.ctx.db.updateTable('account').set(model).where('id', '=', pending.id).execute();

      rt.clock.advance(30_000);
      const otp = demoOtp(rt.clock);
      const cases: Array<[string, string, string]> = [
        ['suspended', 'assiduite.demo', DEMO_PASSWORD],
        ['pending', pending.login, DEMO_PASSWORD],
        ['wrong password', 'support.demo', 'Mauvais-mot-de-passe-2026'],
        ['unknown login', 'personne.inexistante', DEMO_PASSWORD],
      ];
      const apiAnswers: string[] = [];
      const pageAnswers: string[] = [];
      for (const [i, [what, login, password]] of cases.entries()) {
        const api = await apiSignIn(login, password, otp, `10.33.0.${i + 1}`);
        assert.equal(api.statusCode, 401, what);
        assert.equal(api.cookies.length, 0, what);
        apiAnswers.push(JSON.stringify({ ...api.json(), requestId: undefined }));
        const page = await pageSignIn({ login, password, otp }, `10.33.1.${i + 1}`);
        assert.equal(page.statusCode, 401, what);
        assert.equal(page.cookies.find((c) => c.name.endsWith('kairos_session')), undefined, what);
        assert.ok(page.body.includes(SIGN_IN_FAILED), what);
        // The page echoes the identifier typed and carries its own token and reference: the rest is one.
        const id = String(page.headers['x-request-id']);
        pageAnswers.push(page.body.replaceAll(login, '«login»').replaceAll(id, '«ref»').replace(/name="_csrf" value="[^"]+"/, ''));
      }
      assert.equal(new Set(apiAnswers).size, 1, apiAnswers.join('\n'));
      assert.equal(new Set(pageAnswers).size, 1, 'the sign-in page differs between the cases');
      await rt.ctx.db.updateTable('account').set({ status: 'active' }).where('login', '=', 'assiduite.demo').execute();
    });

    it('uses a recovery code only after the password is right, and only once, and only for its own account', async () => {
      const login = 'candidat.demo';
      const [code] = generateRecoveryCodes();
      const accountId = await accountIdByLogin(rt, login);
      await rt.ctx.db.insertInto('recovery_code').values({ account_id: accountId, code_hash: hashRecoveryCode(code!), used_at: null }).execute();
      const usedAt = async () => (await rt.ctx.db.selectFrom('recovery_code').select('used_at').where('code_hash', '=', hashRecoveryCode(code!)).executeTakeFirstOrThrow()).used_at;

      assert.equal((await apiSignIn(login, 'Mauvais-mot-de-passe-2026', code!, '10.34.0.1')).statusCode, 401);
      assert.equal(await usedAt(), null, 'a guess with a wrong password does not burn the code');
      assert.equal((await apiSignIn('candidat.demo2', DEMO_PASSWORD, code!, '10.34.0.2')).statusCode, 401, 'another account’s code');
      assert.equal(await usedAt(), null);
      const ok = await apiSignIn(login, DEMO_PASSWORD, code!, '10.34.0.3');
      assert.equal(ok.statusCode, 200);
      assert.equal((await usedAt())?.getTime(), rt.clock.now().getTime());
      assert.equal((await apiSignIn(login, DEMO_PASSWORD, code!, '10.34.0.4')).statusCode, 401, 'spent');
      const page = await pageSignIn({ login, password: DEMO_PASSWORD, otp: code! }, '10.34.0.5');
      assert.equal(page.statusCode, 401, 'spent, through the page too');
    });
  });

  describe(`session cookies over HTTPS (${engine})`, () => {
    let rt: TestRuntime;
    before(async () => {
      rt = await startTestRuntime(engine, { env: { PUBLIC_URL: 'https://kairos.example', LOG_LEVEL: 'warn' } });
    });
    after(async () => {
      await rt?.stop();
    });

    it('sets __Host- cookies: Secure, HttpOnly, Path=/, no Domain, no expiry; SameSite=Lax for the session, Strict for the form token', async () => {
      const page = await rt.app.inject({ url: '/connexion' });
      const csrf = page.cookies.find((c) => c.name === '__Host-kairos_csrf');
      assert.ok(csrf, `cookies: ${page.cookies.map((c) => c.name).join(', ')}`);
      assert.deepEqual([csrf.secure, csrf.httpOnly, csrf.path, csrf.domain, csrf.sameSite, csrf.expires, csrf.maxAge], [true, true, '/', undefined, 'Strict', undefined, undefined]);

      const s = await signInAs(rt.app, rt.clock, 'devis.demo');
      assert.match(s.cookie, /^__Host-kairos_session=/);
      rt.clock.advance(30_000);
      const res = await rt.app.inject({ method: 'POST', url: '/api/v1/session', payload: { login: 'devis.demo', password: DEMO_PASSWORD, otp: demoOtp(rt.clock) } });
      const session = res.cookies.find((c) => c.name === '__Host-kairos_session');
      assert.ok(session);
      assert.deepEqual([session.secure, session.httpOnly, session.path, session.domain, session.sameSite, session.expires, session.maxAge], [true, true, '/', undefined, 'Lax', undefined, undefined]);
      assert.equal(res.cookies.find((c) => c.name === 'kairos_session'), undefined, 'no unprefixed twin');
    });

    it('ignores an unprefixed session cookie (one a sibling site could have planted)', async () => {
      const s = await signInAs(rt.app, rt.clock, 'devis.demo');
      const token = s.cookie.slice(s.cookie.indexOf('=') + 1);
      assert.equal((await rt.app.inject({ url: '/api/v1/me', headers: { cookie: `kairos_session=${token}` } })).statusCode, 401);
      assert.equal((await rt.app.inject({ url: '/api/v1/me', headers: { cookie: s.cookie } })).statusCode, 200);
    });
  });
}
