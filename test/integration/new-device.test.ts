// New-device alert: a sign-in from a browser/IP pair not seen for the account
// in 90 days mails its owner (time, IP, browser, where to end sessions); known devices do not.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { sql } from 'kysely';
import { DEMO_PASSWORD, DEMO_TOTP_SECRET } from '../../src/demo/accounts.js';
import { totpCodeAt } from '../../src/modules/identity/second-factor/totp.js';
import { changePassword } from '../../src/modules/identity/passwords/service.js';
import { ENGINES, startTestRuntime, type TestRuntime } from '../helpers/runtime.js';

const FIREFOX = 'Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0';
const CHROME = 'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36';

for (const engine of ENGINES) {
  describe(`new-device alert (${engine})`, () => {
    let rt: TestRuntime;
    before(async () => {
      rt = await startTestRuntime(engine);
    });
    after(() => rt?.stop());

    async function signIn(ip: string, userAgent: string) {
      rt.clock.advance(30_000);
      const res = await rt.app.inject({
        method: 'POST',
        url: '/api/v1/session',
        remoteAddress: ip,
        headers: { 'user-agent': userAgent },
        payload: { login: 'devis.demo', password: DEMO_PASSWORD, otp: totpCodeAt(DEMO_TOTP_SECRET, rt.clock.now()) },
      });
      assert.equal(res.statusCode, 200, res.body);
    }
    const alerts = async () =>
      (await rt.ctx.db.selectFrom('job').select('payload').where('kind', '=', 'mail.send').execute())
        .map((j) => j.payload as { to: string; subject: string; text: string })
        .filter((m) => m.to === 'devis.demo@demo.kairos.example' && /nouvel appareil/.test(m.subject));
    const audits = async () => Number((await rt.ctx.db.selectFrom('audit_log').select(sql<number>`count(*)`.as('n')).where('action', '=', 'sign_in.new_device').executeTakeFirstOrThrow()).n);

    it('is silent on the first sign-in and on a known device; mails on a new IP or browser, then again after 90 days', async () => {
      await signIn('192.0.2.10', FIREFOX);
      await signIn('192.0.2.10', FIREFOX);
      assert.equal((await alerts()).length, 0);

      await signIn('198.51.100.7', FIREFOX);
      let mails = await alerts();
      assert.equal(mails.length, 1);
      assert.match(mails[0].text, /198\.51\.100\.7/);
      assert.match(mails[0].text, /Firefox/);
      assert.match(mails[0].text, /\/portail/);
      assert.match(mails[0].text, /heure de Paris/);

      await signIn('192.0.2.10', CHROME);
      mails = await alerts();
      assert.equal(mails.length, 2);
      assert.match(mails[1].text, /Chrome/);
      assert.equal(await audits(), 2);

      await signIn('198.51.100.7', FIREFOX);
      assert.equal((await alerts()).length, 2, 'seen a moment ago');
      rt.clock.advance(91 * 86_400_000);
      await signIn('198.51.100.7', FIREFOX);
      assert.equal((await alerts()).length, 3, 'not seen for 90 days');
    });

    it('mails the owner when the password changes', async () => {
      const account = await rt.ctx.db.selectFrom('account').select(['id', 'login', 'display_name', 'organisation_id']).where('login', '=', 'devis.demo').executeTakeFirstOrThrow();
      const actor = { accountId: account.id, sessionId: 'x', login: account.login, displayName: account.display_name, kind: 'staff' as const, organisation: null, habilitations: [] };
      const changed = await changePassword(rt.ctx, actor, { currentPassword: DEMO_PASSWORD, newPassword: 'Un-tout-nouveau-mot-de-passe-2026' }, { ip: '203.0.113.9', userAgent: null, requestId: 'r' });
      assert.deepEqual(changed, { ok: true });
      const mails = (await rt.ctx.db.selectFrom('job').select('payload').where('kind', '=', 'mail.send').execute())
        .map((j) => j.payload as { to: string; subject: string; text: string })
        .filter((m) => m.to === 'devis.demo@demo.kairos.example' && /mot de passe a été changé/.test(m.subject));
      assert.equal(mails.length, 1);
      assert.match(mails[0].text, /203\.0\.113\.9/);
    });
  });
}
