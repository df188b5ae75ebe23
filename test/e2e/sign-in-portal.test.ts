// Sign-in and portal in a real browser (Chromium): accessibility (axe, keyboard), the strict
// CSP (no refusal in the console), the generic error message, the tiles of each account.
import assert from 'node:assert/strict';
import { after, afterEach, before, describe, it } from 'node:test';
import type { Browser } from 'playwright-core';
import {
  SIGN_IN_FAILED_TEXT,
  describeFindings,
  launchBrowser,
  newSession,
  nextOtp,
  seriousA11yViolations,
  signInThroughForm,
  startLiveServer,
  submitSignIn,
  wrongOtp,
  type BrowserSession,
  type LiveServer,
} from './helpers.js';

describe('sign-in and portal in Chromium', () => {
  let server: LiveServer | undefined;
  let browser: Browser | undefined;
  const sessions: BrowserSession[] = [];

  before(async () => {
    server = await startLiveServer('pglite');
    browser = await launchBrowser();
  });

  afterEach(async () => {
    for (const s of sessions.splice(0)) await s.context.close().catch(() => {});
  });

  after(async () => {
    // Each step runs even when an earlier one (or `before`) failed.
    for (const s of sessions.splice(0)) await s.context.close().catch(() => {});
    await browser?.close().catch(() => {});
    await server?.rt.stop();
  });

  async function open(): Promise<BrowserSession> {
    const s = await newSession(browser!, server!.baseUrl);
    sessions.push(s);
    return s;
  }

  async function assertAccessible(s: BrowserSession, where: string) {
    const findings = await seriousA11yViolations(s.page);
    assert.equal(findings.length, 0, `axe: serious or critical violations on ${where}:\n${describeFindings(findings)}`);
  }

  function assertNoCspViolation(s: BrowserSession) {
    assert.deepEqual(s.watch.cspViolations(), [], `CSP violations:\n${s.watch.cspViolations().join('\n')}`);
    assert.deepEqual(s.watch.pageErrors, [], `script errors:\n${s.watch.pageErrors.join('\n')}`);
  }

  async function tileNames(s: BrowserSession): Promise<string[]> {
    const list = s.page.getByRole('list', { name: 'Applications disponibles' });
    return (await list.getByRole('heading').allInnerTexts()).map((t) => t.trim());
  }

  it('sign-in page: no serious axe violation, the first Tab reaches the skip link, no CSP refusal', async () => {
    const s = await open();
    const response = await s.page.goto('/connexion');
    assert.equal(response?.status(), 200);
    assert.equal(await s.page.title(), 'Connexion — Kairos');
    assert.equal(await s.page.locator('html').getAttribute('lang'), 'fr');
    await assertAccessible(s, '/connexion');

    await s.page.keyboard.press('Tab');
    const focused = s.page.locator(':focus');
    assert.equal((await focused.innerText()).trim(), 'Aller au contenu');
    assert.equal(await focused.getAttribute('href'), '#contenu');
    assert.ok(await focused.isVisible(), 'the skip link is visible when focused');
    await s.page.keyboard.press('Enter');
    assert.equal(await s.page.evaluate(() => document.activeElement?.id), 'contenu', 'the skip link moves focus to the main content');
    assertNoCspViolation(s);
  });

  it('a wrong code shows the generic French error, announced as an alert, and the page stays accessible', async () => {
    const s = await open();
    await s.page.goto('/connexion');
    nextOtp(server!.rt); // a fresh step, so the wrong code cannot collide with a window used earlier
    await submitSignIn(s.page, { login: 'devis.demo', otp: wrongOtp(server!.rt) });

    assert.equal(new URL(s.page.url()).pathname, '/connexion');
    assert.equal(await s.page.title(), 'Erreur — Connexion — Kairos');
    const alert = s.page.getByRole('alert');
    assert.equal(await alert.count(), 1);
    assert.equal((await alert.innerText()).trim(), SIGN_IN_FAILED_TEXT);
    // The login is kept, the secrets are not.
    assert.equal(await s.page.getByLabel('Identifiant', { exact: true }).inputValue(), 'devis.demo');
    assert.equal(await s.page.getByLabel('Mot de passe', { exact: true }).inputValue(), '');
    assert.equal(await s.page.getByLabel('Code de vérification', { exact: true }).inputValue(), '');
    await assertAccessible(s, '/connexion (after a failed sign-in)');
    assertNoCspViolation(s);
  });

  const accounts = [
    { login: 'devis.demo', displayName: 'Lou Rédacteur', tiles: ['Kairos', 'Assistance'], hidden: ['GID Partenaires'] },
    { login: 'rgc.demo', displayName: 'Dominique Responsable', tiles: ['GID Partenaires', 'Assistance'], hidden: ['Kairos'] },
  ];

  for (const account of accounts) {
    it(`${account.login}: signs in, sees exactly ${account.tiles.join(' + ')}, signs out`, async () => {
      const s = await open();
      await signInThroughForm(s.page, server!.rt, account.login);

      assert.equal(new URL(s.page.url()).pathname, '/portail');
      assert.equal(await s.page.title(), 'Mes applications — Kairos');
      assert.equal((await s.page.getByRole('heading', { level: 1 }).innerText()).trim(), `Bonjour ${account.displayName}`);
      const names = await tileNames(s);
      assert.deepEqual(names, account.tiles);
      for (const hidden of account.hidden) {
        assert.equal(await s.page.getByRole('link', { name: hidden, exact: true }).count(), 0, `${hidden} must not be offered`);
      }
      await assertAccessible(s, `/portail (${account.login})`);
      assertNoCspViolation(s);

      await Promise.all([
        s.page.waitForURL((url) => url.pathname === '/connexion'),
        s.page.getByRole('button', { name: 'Se déconnecter' }).click(),
      ]);
      assert.equal(new URL(s.page.url()).pathname, '/connexion');
      assert.equal(await s.page.getByRole('button', { name: 'Se déconnecter' }).count(), 0);
      // The session is really closed: the portal sends back to the sign-in page.
      await s.page.goto('/portail');
      assert.equal(new URL(s.page.url()).pathname, '/connexion');
      assertNoCspViolation(s);
    });
  }
});
