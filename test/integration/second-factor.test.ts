import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { DEMO_PASSWORD } from '../../src/demo/accounts.js';
import { totpCodeAt } from '../../src/modules/identity/second-factor/totp.js';
import { ENGINES, startTestRuntime, type TestRuntime } from '../helpers/runtime.js';
import { sessionCookieOf, signInAs } from '../helpers/session.js';

for (const engine of ENGINES) {
  describe(`candidate second factor enrolment (${engine})`, () => {
    let rt: TestRuntime;
    before(async () => {
      rt = await startTestRuntime(engine);
      const demo = await rt.ctx.db.selectFrom('account').select('password_hash').where('login', '=', 'candidat.demo').executeTakeFirstOrThrow();
      await rt.ctx.db
        .insertInto('account')
        .values({
          login: 'candidat.sans2fa',
          display_name: 'Candidat Sans Facteur',
          email: null,
          organisation_id: null,
          kind: 'candidate',
          status: 'active',
          password_hash: demo.password_hash,
          password_changed_at: null,
          totp_secret_sealed: null,
          totp_last_step: null,
        })
        .execute();
    });
    after(async () => {
      await rt?.stop();
    });

    const signIn = (otp: string, ip: string) =>
      rt.app.inject({ method: 'POST', url: '/api/v1/session', remoteAddress: ip, payload: { login: 'candidat.sans2fa', password: DEMO_PASSWORD, otp } });

    it('refuses a body it does not expect, names the missing code, and stores nothing', async () => {
      const first = await signIn('', '10.8.1.1');
      assert.equal(first.statusCode, 200);
      const headers = { cookie: sessionCookieOf(first), 'x-csrf-token': first.json().csrfToken };
      const pending = async () =>
        (await rt.ctx.db.selectFrom('account').select(['totp_pending_sealed', 'totp_secret_sealed']).where('login', '=', 'candidat.sans2fa').executeTakeFirstOrThrow());
      const before = await pending();
      const start = await rt.app.inject({ method: 'POST', url: '/api/v1/me/second-factor', headers, payload: { secret: 'JBSWY3DPEHPK3PXP' } });
      assert.equal(start.statusCode, 422);
      assert.equal(start.json().errors[0].field, 'secret');
      assert.deepEqual(await pending(), before, 'no secret was written');
      const absent = await rt.app.inject({ method: 'POST', url: '/api/v1/me/second-factor/confirm', headers });
      assert.equal(absent.statusCode, 422);
      assert.deepEqual(absent.json().errors, [{ field: 'otp', message: 'Code de vérification (otp) : champ obligatoire.' }]);
      const typed = await rt.app.inject({ method: 'POST', url: '/api/v1/me/second-factor/confirm', headers, payload: { otp: 123456 } });
      assert.equal(typed.statusCode, 422);
      assert.equal(typed.json().errors[0].message, 'Code de vérification (otp) : texte attendu.');
      assert.deepEqual(await pending(), before);
    });

    it('a candidate without a factor signs in with the password, enrols TOTP, then needs the code', async () => {
      const first = await signIn('', '10.8.0.1');
      assert.equal(first.statusCode, 200);
      const headers = { cookie: sessionCookieOf(first), 'x-csrf-token': first.json().csrfToken };
      const start = await rt.app.inject({ method: 'POST', url: '/api/v1/me/second-factor', headers });
      assert.equal(start.statusCode, 200);
      const url = new URL(start.json().otpauthUrl);
      assert.equal(url.protocol, 'otpauth:');
      const secret = url.searchParams.get('secret')!;
      const wrong = await rt.app.inject({ method: 'POST', url: '/api/v1/me/second-factor/confirm', headers, payload: { otp: '000000' === totpCodeAt(secret, rt.clock.now()) ? '111111' : '000000' } });
      assert.equal(wrong.statusCode, 422);
      assert.equal(wrong.json().errors[0].field, 'otp');
      const ok = await rt.app.inject({ method: 'POST', url: '/api/v1/me/second-factor/confirm', headers, payload: { otp: totpCodeAt(secret, rt.clock.now()) } });
      assert.equal(ok.statusCode, 200);
      const codes = ok.json().recoveryCodes as string[];
      assert.equal(codes.length, 10);
      assert.equal(new Set(codes).size, 10);
      const again = await rt.app.inject({ method: 'POST', url: '/api/v1/me/second-factor', headers });
      assert.equal(again.statusCode, 409);
      rt.clock.advance(30_000);
      assert.equal((await signIn('', '10.8.0.2')).statusCode, 401, 'the password alone no longer suffices');
      rt.clock.advance(30_000);
      assert.equal((await signIn(totpCodeAt(secret, rt.clock.now()), '10.8.0.3')).statusCode, 200);
      assert.equal((await signIn(codes[3], '10.8.0.4')).statusCode, 200, 'a recovery code works once');
      const stored = await rt.ctx.db.selectFrom('recovery_code').innerJoin('account', 'account.id', 'recovery_code.account_id').select('code_hash').where('login', '=', 'candidat.sans2fa').execute();
      assert.equal(stored.length, 10);
      assert.ok(stored.every((r) => !codes.includes(r.code_hash)), 'codes are stored hashed');
    });

    it('is refused to staff (403), to anonymous visitors (401) and without the CSRF token (403)', async () => {
      const staff = await signInAs(rt.app, rt.clock, 'devis.demo');
      assert.equal((await rt.app.inject({ method: 'POST', url: '/api/v1/me/second-factor', headers: staff.headers })).statusCode, 403);
      assert.equal((await rt.app.inject({ method: 'POST', url: '/api/v1/me/second-factor' })).statusCode, 401);
      const cand = await signInAs(rt.app, rt.clock, 'candidat.demo');
      assert.equal((await rt.app.inject({ method: 'POST', url: '/api/v1/me/second-factor', headers: { cookie: cand.cookie } })).statusCode, 403);
    });

    it('the second-factor page tells an enrolled candidate it is active', async () => {
      const cand = await signInAs(rt.app, rt.clock, 'candidat.demo');
      const page = await rt.app.inject({ url: '/compte/double-authentification', headers: { cookie: cand.cookie } });
      assert.equal(page.statusCode, 200);
      assert.match(page.body, /déjà activée|est activée/);
    });
  });
}
