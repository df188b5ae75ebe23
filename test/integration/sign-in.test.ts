import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { DEMO_PASSWORD } from '../../src/demo/accounts.js';
import { ENGINES, startTestRuntime, type TestRuntime } from '../helpers/runtime.js';
import { demoOtp, sessionCookieOf, signInAs } from '../helpers/session.js';

for (const engine of ENGINES) {
  describe(`sign-in (${engine})`, () => {
    let rt: TestRuntime;
    before(async () => {
      rt = await startTestRuntime(engine);
    });
    after(async () => {
      await rt?.stop();
    });

    const attempt = (payload: Record<string, unknown>, ip = '10.1.0.1') =>
      rt.app.inject({ method: 'POST', url: '/api/v1/session', payload, remoteAddress: ip });

    it('signs in with password and TOTP, returns a CSRF token and a session cookie', async () => {
      rt.clock.advance(30_000);
      const res = await attempt({ login: 'devis.demo', password: DEMO_PASSWORD, otp: demoOtp(rt.clock) });
      assert.equal(res.statusCode, 200);
      assert.match(res.json().csrfToken, /^[\w-]{20,}$/);
      const cookie = res.cookies.find((c) => c.name === 'kairos_session');
      assert.ok(cookie);
      assert.equal(cookie.httpOnly, true);
      assert.equal(cookie.sameSite, 'Lax');
      const me = await rt.app.inject({ method: 'GET', url: '/api/v1/me', headers: { cookie: sessionCookieOf(res) } });
      assert.equal(me.statusCode, 200);
      assert.deepEqual(me.json(), {
        login: 'devis.demo',
        displayName: 'Lou Rédacteur',
        organisation: { id: me.json().organisation.id, name: 'Formapro Démo', kind: 'training_provider' },
        habilitations: [
          { application: 'kairos', role: 'quote_editor' },
          { application: 'support', role: 'user' },
        ],
      });
    });

    it('gives one identical answer for wrong password, wrong code, unknown login and missing code', async () => {
      rt.clock.advance(30_000);
      const otp = demoOtp(rt.clock);
      const answers = await Promise.all([
        attempt({ login: 'rgc.demo', password: 'Mauvais-mot-de-passe-2026', otp }, '10.1.1.1'),
        attempt({ login: 'rgc.demo', password: DEMO_PASSWORD, otp: otp === '000000' ? '111111' : '000000' }, '10.1.1.2'),
        attempt({ login: 'personne.inconnue', password: DEMO_PASSWORD, otp }, '10.1.1.3'),
        attempt({ login: 'rgc.demo', password: DEMO_PASSWORD, otp: '' }, '10.1.1.4'),
      ]);
      for (const res of answers) {
        assert.equal(res.statusCode, 401);
        assert.equal(res.headers['content-type'], 'application/problem+json; charset=utf-8');
        assert.equal(res.json().detail, 'Identifiant, mot de passe ou code de vérification incorrect.');
        assert.equal(res.cookies.length, 0);
      }
      const shapes = answers.map((r) => JSON.stringify({ ...r.json(), requestId: undefined }));
      assert.equal(new Set(shapes).size, 1);
    });

    it('refuses a TOTP code that was already used (replay)', async () => {
      rt.clock.advance(30_000);
      const otp = demoOtp(rt.clock);
      const first = await attempt({ login: 'assiduite.demo', password: DEMO_PASSWORD, otp }, '10.1.2.1');
      assert.equal(first.statusCode, 200);
      const replay = await attempt({ login: 'assiduite.demo', password: DEMO_PASSWORD, otp }, '10.1.2.2');
      assert.equal(replay.statusCode, 401);
    });

    it('rotates the session at sign-in: the previous cookie stops working', async () => {
      const first = await signInAs(rt.app, rt.clock, 'conseiller.demo');
      rt.clock.advance(30_000);
      const again = await rt.app.inject({
        method: 'POST',
        url: '/api/v1/session',
        headers: { cookie: first.cookie },
        payload: { login: 'conseiller.demo', password: DEMO_PASSWORD, otp: demoOtp(rt.clock) },
      });
      assert.equal(again.statusCode, 200);
      const second = sessionCookieOf(again);
      assert.notEqual(second, first.cookie);
      assert.equal((await rt.app.inject({ url: '/api/v1/me', headers: { cookie: first.cookie } })).statusCode, 401);
      assert.equal((await rt.app.inject({ url: '/api/v1/me', headers: { cookie: second } })).statusCode, 200);
    });
  });
}
