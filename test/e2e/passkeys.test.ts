// Passkeys in Chromium, with its virtual authenticator (DevTools protocol, WebAuthn domain):
// enrol one from /compte/cles-d-acces after signing in with password and code, sign out, then
// sign in with the passkey alone — the real browser module, the page script, the strict CSP.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { assertAccessible, assertNoCspViolation, signInThroughForm, withBrowser } from './helpers.js';

describe('passkeys in Chromium', () => {
  const e2e = withBrowser({ localhost: true });

  it('enrols a passkey from the account page, then signs in with it alone', async () => {
    const s = await e2e.open();
    const cdp = await s.context.newCDPSession(s.page);
    await cdp.send('WebAuthn.enable');
    const { authenticatorId } = await cdp.send('WebAuthn.addVirtualAuthenticator', {
      options: { protocol: 'ctap2', transport: 'internal', hasResidentKey: true, hasUserVerification: true, isUserVerified: true, automaticPresenceSimulation: true },
    });

    await signInThroughForm(s.page, e2e.rt, 'rgc.demo');
    assert.equal(new URL(s.page.url()).pathname, '/portail');
    await s.page.getByRole('link', { name: 'Clés d’accès' }).click();
    await s.page.waitForURL((url) => url.pathname === '/compte/cles-d-acces');
    assert.equal(await s.page.title(), 'Clés d’accès — Kairos');
    await assertAccessible(s.page, '/compte/cles-d-acces');

    await s.page.getByLabel('Nom de la clé').fill('Ordinateur de test');
    await Promise.all([
      s.page.waitForURL((url) => url.search === '?ajoutee=1'),
      s.page.getByRole('button', { name: 'Ajouter une clé d’accès' }).click(),
    ]);
    assert.equal((await s.page.getByRole('status').filter({ hasText: 'ajoutée' }).innerText()).trim(), 'La clé d’accès a été ajoutée.');
    const row = s.page.getByRole('row', { name: /Ordinateur de test/ });
    assert.match(await row.innerText(), /Jamais/);
    const { credentials } = await cdp.send('WebAuthn.getCredentials', { authenticatorId });
    assert.equal(credentials.length, 1);
    assert.equal(credentials[0]!.isResidentCredential, true, 'a discoverable credential: sign-in needs no login');
    assert.equal(credentials[0]!.rpId, 'localhost');
    await assertAccessible(s.page, '/compte/cles-d-acces (with a passkey)');
    assertNoCspViolation(s.watch);

    await Promise.all([
      s.page.waitForURL((url) => url.pathname === '/connexion'),
      s.page.getByRole('button', { name: 'Se déconnecter' }).click(),
    ]);
    const button = s.page.getByRole('button', { name: 'Se connecter avec une clé d’accès' });
    await button.waitFor({ state: 'visible' });
    await assertAccessible(s.page, '/connexion (with the passkey button)');
    await Promise.all([s.page.waitForURL((url) => url.pathname === '/portail'), button.click()]);
    assert.equal((await s.page.getByRole('heading', { level: 1 }).innerText()).trim(), 'Bonjour Dominique Responsable');
    const signIns = await e2e.rt.ctx.db.selectFrom('audit_log').select('details').where('action', '=', 'sign_in.succeeded').where('actor_login', '=', 'rgc.demo').orderBy('id').execute();
    assert.equal((signIns.at(-1)?.details as { method?: string }).method, 'passkey');

    await s.page.goto('/compte/cles-d-acces');
    assert.doesNotMatch(await s.page.getByRole('row', { name: /Ordinateur de test/ }).innerText(), /Jamais/);
    assertNoCspViolation(s.watch);
  });
});
