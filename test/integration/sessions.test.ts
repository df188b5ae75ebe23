import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { DEMO_PASSWORD } from '../../src/demo/accounts.js';
import { generateRecoveryCodes, hashRecoveryCode } from '../../src/modules/identity/second-factor/recovery-codes.js';
import { ENGINES, startTestRuntime, type TestRuntime } from '../helpers/runtime.js';
import { demoOtp, sessionCookieOf, signInAs } from '../helpers/session.js';

for (const engine of ENGINES) {
  describe(`sessions and lockout (${engine})`, () => {
    let rt: TestRuntime;
    before(async () => {
      rt = await startTestRuntime(engine);
    });
    after(async () => {
      await rt?.stop();
    });

    const me = (cookie: string) => rt.app.inject({ url: '/api/v1/me', headers: { cookie } });
    const attempt = (login: string, password: string, ip: string) =>
      rt.app.inject({ method: 'POST', url: '/api/v1/session', remoteAddress: ip, payload: { login, password, otp: demoOtp(rt.clock) } });

    it('ends a session after 30 minutes without activity', async () => {
      const s = await signInAs(rt.app, rt.clock, 'devis.demo');
      rt.clock.advanceMinutes(29);
      assert.equal((await me(s.cookie)).statusCode, 200, 'activity at 29 min keeps it alive');
      rt.clock.advanceMinutes(29);
      assert.equal((await me(s.cookie)).statusCode, 200, 'idle time counts from the last request');
      rt.clock.advanceMinutes(30);
      assert.equal((await me(s.cookie)).statusCode, 401);
      const row = await rt.ctx.db.selectFrom('session').select('end_reason').orderBy('created_at', 'desc').where('end_reason', '=', 'idle').executeTakeFirst();
      assert.equal(row?.end_reason, 'idle');
    });

    it('ends a session 12 hours after sign-in even when active', async () => {
      const s = await signInAs(rt.app, rt.clock, 'devis.demo2');
      for (let i = 0; i < 24; i++) {
        rt.clock.advanceMinutes(29);
        assert.equal((await me(s.cookie)).statusCode, 200, `alive after ${(i + 1) * 29} min`);
      }
      rt.clock.advanceMinutes(25); // 24 × 29 + 25 = 721 min > 12 h
      assert.equal((await me(s.cookie)).statusCode, 401);
    });

    it('locks an account after 10 failures with growing delays, then releases it', async () => {
      const login = 'rgc.demo2';
      const retryAfters: number[] = [];
      for (let i = 1; i <= 10; i++) {
        let res = await attempt(login, 'Mauvais-mot-de-passe-2026', `10.2.0.${i}`);
        if (res.statusCode === 429) {
          retryAfters.push(Number(res.headers['retry-after']));
          rt.clock.advance(Number(res.headers['retry-after']) * 1000);
          res = await attempt(login, 'Mauvais-mot-de-passe-2026', `10.2.0.${i}`);
        }
        assert.equal(res.statusCode, 401, `failure ${i}`);
      }
      assert.deepEqual(retryAfters, [1, 2, 4, 8, 16, 32], 'delays double after the third failure');
      rt.clock.advance(30_000);
      const locked = await attempt(login, DEMO_PASSWORD, '10.2.1.1');
      assert.equal(locked.statusCode, 429, 'the right password is refused while locked');
      assert.ok(Number(locked.headers['retry-after']) > 800);
      assert.equal(locked.json().status, 429);
      rt.clock.advanceMinutes(15);
      const released = await attempt(login, DEMO_PASSWORD, '10.2.1.2');
      assert.equal(released.statusCode, 200);
      const audit = await rt.ctx.db.selectFrom('audit_log').select(['action']).where('actor_login', '=', login).execute();
      assert.equal(audit.filter((a) => a.action === 'sign_in.failed').length, 10);
      assert.equal(audit.filter((a) => a.action === 'sign_in.succeeded').length, 1);
    });

    it('throttles an unknown login exactly like a real one (nothing revealed)', async () => {
      const statuses: number[] = [];
      for (let i = 0; i < 5; i++) statuses.push((await attempt('inconnu.total', 'Mauvais-mot-de-passe-2026', `10.3.0.${i}`)).statusCode);
      assert.deepEqual(statuses, [401, 401, 401, 401, 429]);
    });

    it('ends every session of the account when the password changes', async () => {
      const a = await signInAs(rt.app, rt.clock, 'support.demo');
      const b = await signInAs(rt.app, rt.clock, 'support.demo');
      const weak = await rt.app.inject({
        method: 'POST',
        url: '/api/v1/me/password',
        headers: a.headers,
        payload: { currentPassword: DEMO_PASSWORD, newPassword: 'court' },
      });
      assert.equal(weak.statusCode, 422);
      assert.equal(weak.json().errors[0].field, 'newPassword');
      assert.equal((await me(a.cookie)).statusCode, 200, 'a refused change ends nothing');
      const newPassword = 'Une-phrase-de-passe-toute-neuve-2026';
      const ok = await rt.app.inject({ method: 'POST', url: '/api/v1/me/password', headers: a.headers, payload: { currentPassword: DEMO_PASSWORD, newPassword } });
      assert.equal(ok.statusCode, 204);
      assert.equal((await me(a.cookie)).statusCode, 401);
      assert.equal((await me(b.cookie)).statusCode, 401);
      rt.clock.advance(30_000);
      assert.equal((await attempt('support.demo', DEMO_PASSWORD, '10.4.0.1')).statusCode, 401);
      rt.clock.advance(30_000);
      assert.equal((await attempt('support.demo', newPassword, '10.4.0.2')).statusCode, 200);
    });

    it('accepts a recovery code once, in place of the TOTP code', async () => {
      const account = await rt.ctx.db.selectFrom('account').select('id').where('login', '=', 'candidat.demo2').executeTakeFirstOrThrow();
      const [code] = generateRecoveryCodes();
      await rt.ctx.db.insertInto('recovery_code').values({ account_id: account.id, code_hash: hashRecoveryCode(code), used_at: null }).execute();
      const withCode = (otp: string, ip: string) =>
        rt.app.inject({ method: 'POST', url: '/api/v1/session', remoteAddress: ip, payload: { login: 'candidat.demo2', password: DEMO_PASSWORD, otp } });
      const first = await withCode(code.toLowerCase().replaceAll('-', ' '), '10.5.0.1');
      assert.equal(first.statusCode, 200);
      assert.ok(sessionCookieOf(first));
      assert.equal((await withCode(code, '10.5.0.2')).statusCode, 401, 'a used code is refused');
    });

    it('lists the user’s sessions and ends another one', async () => {
      const a = await signInAs(rt.app, rt.clock, 'conseiller.demo', { ip: '10.6.0.1' });
      const b = await signInAs(rt.app, rt.clock, 'conseiller.demo', { ip: '10.6.0.2' });
      const list = await rt.app.inject({ url: '/api/v1/me/sessions', headers: { cookie: b.cookie } });
      assert.equal(list.statusCode, 200);
      const sessions = list.json().sessions as Array<{ id: string; ip: string; current: boolean }>;
      const other = sessions.find((s) => s.ip === '10.6.0.1');
      assert.ok(other);
      assert.equal(sessions.find((s) => s.current)?.ip, '10.6.0.2');
      assert.equal(list.json().previousSignIn.ip, '10.6.0.1');
      const end = await rt.app.inject({ method: 'DELETE', url: `/api/v1/me/sessions/${other.id}`, headers: b.headers });
      assert.equal(end.statusCode, 204);
      assert.equal((await me(a.cookie)).statusCode, 401);
      assert.equal((await me(b.cookie)).statusCode, 200);
      // Someone else's session id is simply not found.
      const c = await signInAs(rt.app, rt.clock, 'admin.agence');
      const foreign = await rt.app.inject({ method: 'DELETE', url: `/api/v1/me/sessions/${sessions.find((s) => s.current)!.id}`, headers: c.headers });
      assert.equal(foreign.statusCode, 404);
      assert.equal((await me(b.cookie)).statusCode, 200);
    });

    it('answers a malformed session id like an unknown one, and refuses unknown query parameters by name, ending nothing', async () => {
      const s = await signInAs(rt.app, rt.clock, 'conseiller.demo', { ip: '10.6.1.1' });
      const end = (id: string) => rt.app.inject({ method: 'DELETE', url: `/api/v1/me/sessions/${id}`, headers: s.headers });
      const malformed = await end('pas-une-session');
      const unknown = await end('0'.repeat(64));
      for (const res of [malformed, unknown]) {
        assert.equal(res.statusCode, 404);
        assert.equal(res.json().detail, 'Cette session est introuvable ou déjà terminée.');
      }
      assert.equal((await rt.app.inject({ method: 'DELETE', url: '/api/v1/me/sessions/pas-une-session' })).statusCode, 401, 'access is decided first');
      for (const url of ['/api/v1/me?login=admin.agence', '/api/v1/me/sessions?toutes=1']) {
        const res = await rt.app.inject({ url, headers: { cookie: s.cookie } });
        assert.equal(res.statusCode, 422, url);
        assert.equal(res.json().errors.length, 1, url);
      }
      assert.equal((await me(s.cookie)).statusCode, 200, 'the session is still open');
    });

    it('signs out and the cookie no longer works', async () => {
      const s = await signInAs(rt.app, rt.clock, 'rgc.demo');
      const out = await rt.app.inject({ method: 'DELETE', url: '/api/v1/session', headers: s.headers });
      assert.equal(out.statusCode, 204);
      assert.equal((await me(s.cookie)).statusCode, 401);
    });

    it('changes the password through the page: field error, then every session ends and the sign-in page says why', async () => {
      const s = await signInAs(rt.app, rt.clock, 'rgc.demo');
      const page = await rt.app.inject({ url: '/compte/mot-de-passe', headers: { cookie: s.cookie } });
      assert.equal(page.statusCode, 200);
      const post = (fields: Record<string, string>) =>
        rt.app.inject({
          method: 'POST',
          url: '/compte/mot-de-passe',
          headers: { cookie: s.cookie, 'content-type': 'application/x-www-form-urlencoded' },
          payload: new URLSearchParams({ _csrf: s.csrfToken, ...fields }).toString(),
        });
      const wrong = await post({ currentPassword: 'pas-le-bon-mot-de-passe', newPassword: 'Une-phrase-nouvelle-et-longue-2026' });
      assert.equal(wrong.statusCode, 422);
      assert.match(wrong.body, /Le mot de passe actuel est incorrect/);
      const short = await post({ currentPassword: DEMO_PASSWORD, newPassword: 'Court-2026-ab' });
      assert.equal(short.statusCode, 422, 'an account manager needs 15 characters');
      assert.match(short.body, /15 caractères/);
      const ok = await post({ currentPassword: DEMO_PASSWORD, newPassword: 'Une-phrase-nouvelle-et-longue-2026' });
      assert.equal(ok.statusCode, 303);
      assert.equal(ok.headers.location, '/connexion?motdepasse=change');
      assert.equal((await me(s.cookie)).statusCode, 401);
      const signInPage = await rt.app.inject({ url: '/connexion?motdepasse=change' });
      assert.match(signInPage.body, /role="status">Votre mot de passe a été changé/);
    });

    it('refuses a suspended account and ends its sessions at once', async () => {
      const s = await signInAs(rt.app, rt.clock, 'assiduite.demo');
      await rt.ctx.db.updateTable('account').set({ status: 'suspended' }).where('login', '=', 'assiduite.demo').execute();
      assert.equal((await me(s.cookie)).statusCode, 401);
      rt.clock.advance(30_000);
      assert.equal((await attempt('assiduite.demo', DEMO_PASSWORD, '10.7.0.1')).statusCode, 401);
      await rt.ctx.db.updateTable('account').set({ status: 'active' }).where('login', '=', 'assiduite.demo').execute();
    });
  });
}
