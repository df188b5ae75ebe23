// Sign-in and portal in a real browser (Chromium): accessibility (axe, keyboard), the strict
// CSP (no refusal in the console), the generic error message, the tiles of each account.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { SIGN_IN_FAILED_TEXT, assertAccessible, assertNoCspViolation, nextOtp, signInThroughForm, submitSignIn, withBrowser, wrongOtp, type BrowserSession } from './helpers.js';

describe('sign-in and portal in Chromium', () => {
  // Every test starts signed out, in a browser context of its own.
  const e2e = withBrowser({ closeSessionsAfterEach: true });

  async function tileNames(s: BrowserSession): Promise<string[]> {
    const list = s.page.getByRole('list', { name: 'Applications disponibles' });
    return (await list.getByRole('heading').allInnerTexts()).map((t) => t.trim());
  }

  it('sign-in page: no serious axe violation, the first Tab reaches the skip link, no CSP refusal', async () => {
    const s = await e2e.open();
    const response = await s.page.goto('/connexion');
    assert.equal(response?.status(), 200);
    assert.equal(await s.page.title(), 'Connexion — Kairos');
    assert.equal(await s.page.locator('html').getAttribute('lang'), 'fr');
    await assertAccessible(s.page, '/connexion');

    await s.page.keyboard.press('Tab');
    const focused = s.page.locator(':focus');
    assert.equal((await focused.innerText()).trim(), 'Aller au contenu');
    assert.equal(await focused.getAttribute('href'), '#contenu');
    assert.ok(await focused.isVisible(), 'the skip link is visible when focused');
    await s.page.keyboard.press('Enter');
    assert.equal(await s.page.evaluate(() => document.activeElement?.id), 'contenu', 'the skip link moves focus to the main content');
    assertNoCspViolation(s.watch);
  });

  it('a wrong code shows the generic French error, announced as an alert, and the page stays accessible', async () => {
    const s = await e2e.open();
    await s.page.goto('/connexion');
    nextOtp(e2e.rt); // a fresh step, so the wrong code cannot collide with a window used earlier
    await submitSignIn(s.page, { login: 'devis.demo', otp: wrongOtp(e2e.rt) });

    assert.equal(new URL(s.page.url()).pathname, '/connexion');
    assert.equal(await s.page.title(), 'Erreur — Connexion — Kairos');
    const alert = s.page.getByRole('alert');
    assert.equal(await alert.count(), 1);
    assert.equal((await alert.innerText()).trim(), SIGN_IN_FAILED_TEXT);
    // The login is kept, the secrets are not.
    assert.equal(await s.page.getByLabel('Identifiant', { exact: true }).inputValue(), 'devis.demo');
    assert.equal(await s.page.getByLabel('Mot de passe', { exact: true }).inputValue(), '');
    assert.equal(await s.page.getByLabel('Code de vérification', { exact: true }).inputValue(), '');
    await assertAccessible(s.page, '/connexion (after a failed sign-in)');
    assertNoCspViolation(s.watch);
  });

  const accounts = [
    { login: 'devis.demo', displayName: 'Lou Rédacteur', tiles: ['Kairos', 'Assistance'], hidden: ['GID Partenaires'] },
    { login: 'rgc.demo', displayName: 'Dominique Responsable', tiles: ['GID Partenaires', 'Assistance'], hidden: ['Kairos'] },
  ];

  for (const account of accounts) {
    it(`${account.login}: signs in, sees exactly ${account.tiles.join(' + ')}, signs out`, async () => {
      const s = await e2e.open();
      await signInThroughForm(s.page, e2e.rt, account.login);

      assert.equal(new URL(s.page.url()).pathname, '/portail');
      assert.equal(await s.page.title(), 'Mes applications — Kairos');
      assert.equal((await s.page.getByRole('heading', { level: 1 }).innerText()).trim(), `Bonjour ${account.displayName}`);
      const names = await tileNames(s);
      assert.deepEqual(names, account.tiles);
      for (const hidden of account.hidden) {
        assert.equal(await s.page.getByRole('link', { name: hidden, exact: true }).count(), 0, `${hidden} must not be offered`);
      }
      await assertAccessible(s.page, `/portail (${account.login})`);
      assertNoCspViolation(s.watch);

      await Promise.all([
        s.page.waitForURL((url) => url.pathname === '/connexion'),
        s.page.getByRole('button', { name: 'Se déconnecter' }).click(),
      ]);
      assert.equal(new URL(s.page.url()).pathname, '/connexion');
      assert.equal(await s.page.getByRole('button', { name: 'Se déconnecter' }).count(), 0);
      // The session is really closed: the portal sends back to the sign-in page.
      await s.page.goto('/portail');
      assert.equal(new URL(s.page.url()).pathname, '/connexion');
      assertNoCspViolation(s.watch);
    });
  }
});
