// The passkeys page (/compte/cles-d-acces), the identity confirmation it asks for once the
// sign-in is a few minutes old, removal from the page, the sign-in page's passkey control, and
// the browser module served from node_modules.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { DEMO_PASSWORD } from '../../src/demo/accounts.js';
import { apiCall, expectJson } from '../helpers/fixtures.js';
import { SoftwareAuthenticator } from '../helpers/passkey-authenticator.js';
import { ENGINES, startTestRuntime, type TestRuntime } from '../helpers/runtime.js';
import { csrfFromHtml, demoOtp, signInAs, type SignedIn } from '../helpers/session.js';

for (const engine of ENGINES) {
  describe(`passkey pages (${engine})`, () => {
    let rt: TestRuntime;
    before(async () => {
      rt = await startTestRuntime(engine);
    });
    after(async () => {
      await rt?.stop();
    });

    const page = (who: SignedIn, url = '/compte/cles-d-acces') => rt.app.inject({ method: 'GET', url, headers: { cookie: who.cookie } });
    const form = (who: SignedIn, url: string, fields: Record<string, string>) =>
      rt.app.inject({
        method: 'POST',
        url,
        headers: { cookie: who.cookie, 'content-type': 'application/x-www-form-urlencoded' },
        payload: new URLSearchParams({ _csrf: who.csrfToken, ...fields }).toString(),
      });

    it('offers the passkey sign-in on the sign-in page, and serves the browser module from node_modules', async () => {
      const signIn = await rt.app.inject({ method: 'GET', url: '/connexion?suite=/gid' });
      assert.match(signIn.body, /data-passkey-signin="true" data-suite="\/gid" hidden>/);
      assert.match(signIn.body, /Se connecter avec une clé d’accès/);
      assert.match(signIn.body, /<script type="module" src="\/assets\/passkeys.js"><\/script>/);
      const script = await rt.app.inject({ method: 'GET', url: '/assets/passkeys.js' });
      assert.equal(script.statusCode, 200);
      assert.match(script.body, /from '\/assets\/simplewebauthn\/index.js'/);
      const lib = await rt.app.inject({ method: 'GET', url: '/assets/simplewebauthn/index.js' });
      assert.equal(lib.statusCode, 200);
      assert.match(String(lib.headers['content-type']), /javascript/);
      assert.match(lib.body, /startAuthentication/);
      const nested = await rt.app.inject({ method: 'GET', url: '/assets/simplewebauthn/methods/startRegistration.js' });
      assert.equal(nested.statusCode, 200);
      for (const url of ['/assets/simplewebauthn/../package.json', '/assets/simplewebauthn/index.d.ts', '/assets/simplewebauthn/package.json']) {
        assert.equal((await rt.app.inject({ method: 'GET', url })).statusCode, 404, url);
      }
    });

    it('lists passkeys; a fresh sign-in may add or remove, an older one confirms identity first', async () => {
      const lou = await signInAs(rt.app, rt.clock, 'devis.demo');
      const options = await expectJson<{ challenge: string; user: { id: string } }>(await apiCall(rt.app, lou, 'POST', '/api/v1/me/passkeys/options'), 200, 'options');
      const created = await expectJson<{ id: string }>(
        await apiCall(rt.app, lou, 'POST', '/api/v1/me/passkeys', { name: 'Portable <b>perso</b>', response: new SoftwareAuthenticator('http://localhost:3000', 'localhost').register(options) }),
        201,
        'enrolment',
      );
      const fresh = await page(lou);
      assert.equal(fresh.statusCode, 200);
      assert.match(fresh.body, /<title>Clés d’accès — Kairos<\/title>/);
      assert.match(fresh.body, /Portable &lt;b>perso&lt;\/b>/, 'the name is escaped');
      assert.match(fresh.body, /Jamais/);
      assert.match(fresh.body, /id="ajout-cle" hidden novalidate/);
      assert.match(fresh.body, /aria-label="Retirer la clé « Portable &lt;b>perso&lt;\/b> »"/);
      assert.doesNotMatch(fresh.body, /Confirmez votre identité/);

      rt.clock.advance(6 * 60_000);
      const stale = await page(lou);
      assert.match(stale.body, /Confirmez votre identité/);
      assert.doesNotMatch(stale.body, /id="ajout-cle"/);
      assert.doesNotMatch(stale.body, /Retirer la clé/);
      const tooLate = await form(lou, `/compte/cles-d-acces/${created.id}/suppression`, {});
      assert.equal(tooLate.statusCode, 403);

      const wrong = await form(lou, '/compte/confirmation-identite', { password: 'Pas-le-bon-mot-de-passe', otp: demoOtp(rt.clock), suite: '/compte/cles-d-acces' });
      assert.equal(wrong.statusCode, 401);
      assert.match(wrong.body, /<title>Erreur — Confirmer votre identité — Kairos<\/title>/);
      assert.match(wrong.body, /role="alert" id="erreur-confirmation">Mot de passe ou code de vérification incorrect./);
      rt.clock.advance(30_000);
      const ok = await form(lou, '/compte/confirmation-identite', { password: DEMO_PASSWORD, otp: demoOtp(rt.clock), suite: '/compte/cles-d-acces' });
      assert.equal(ok.statusCode, 303);
      assert.equal(ok.headers.location, '/compte/cles-d-acces');
      const audit = await rt.ctx.db.selectFrom('audit_log').select('action').where('action', 'like', 'reauthentication.%').orderBy('id').execute();
      assert.deepEqual(audit.map((a) => a.action), ['reauthentication.failed', 'reauthentication.succeeded']);

      const confirmed = await page(lou);
      assert.match(confirmed.body, /id="ajout-cle"/);
      const removed = await form(lou, `/compte/cles-d-acces/${created.id}/suppression`, { _csrf: csrfFromHtml(confirmed.body) });
      assert.equal(removed.statusCode, 303);
      assert.equal(removed.headers.location, '/compte/cles-d-acces?retiree=1');
      const after = await page(lou, '/compte/cles-d-acces?retiree=1');
      assert.match(after.body, /La clé d’accès a été retirée./);
      assert.match(after.body, /Vous n’avez encore aucune clé d’accès./);
    });

    it('sends the confirmation only to local addresses, and another account’s passkey is not found', async () => {
      const cam = await signInAs(rt.app, rt.clock, 'conseiller.demo');
      rt.clock.advance(30_000);
      const res = await form(cam, '/compte/confirmation-identite', { password: DEMO_PASSWORD, otp: demoOtp(rt.clock), suite: '//phishing.example/compte' });
      assert.equal(res.statusCode, 303);
      assert.equal(res.headers.location, '/portail');
      const candidate = await signInAs(rt.app, rt.clock, 'candidat.demo');
      const options = await expectJson<{ challenge: string; user: { id: string } }>(await apiCall(rt.app, candidate, 'POST', '/api/v1/me/passkeys/options'), 200, 'options');
      const theirs = await expectJson<{ id: string }>(
        await apiCall(rt.app, candidate, 'POST', '/api/v1/me/passkeys', { name: 'Téléphone', response: new SoftwareAuthenticator('http://localhost:3000', 'localhost').register(options) }),
        201,
        'enrolment',
      );
      const refused = await form(cam, `/compte/cles-d-acces/${theirs.id}/suppression`, {});
      assert.equal(refused.statusCode, 404);
      const row = await rt.ctx.db.selectFrom('passkey').select('id').where('id', '=', theirs.id).executeTakeFirst();
      assert.ok(row, 'still there');
    });
  });
}
