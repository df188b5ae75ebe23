// The help centre in Chromium, signed out: search without JavaScript-only behaviour (a GET
// form), highlighted results, an article; axe on each page; no CSP refusal.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Browser } from 'playwright-core';
import { describeFindings, launchBrowser, newSession, seriousA11yViolations, startLiveServer, type BrowserSession, type LiveServer } from './helpers.js';

describe('help centre in Chromium', () => {
  let server: LiveServer | undefined;
  let browser: Browser | undefined;
  let session: BrowserSession | undefined;

  before(async () => {
    server = await startLiveServer('pglite');
    browser = await launchBrowser();
  });

  after(async () => {
    await session?.context.close().catch(() => {});
    await browser?.close().catch(() => {});
    await server?.rt.stop();
  });

  it('searches from the header link to an article, every page axe-clean', async () => {
    session = await newSession(browser!, server!.baseUrl);
    const { page, watch } = session;
    const axeClean = async () => {
      const findings = await seriousA11yViolations(page);
      assert.deepEqual(findings, [], `${page.url()}: ${describeFindings(findings)}`);
    };
    await page.goto('/');
    await page.getByRole('link', { name: 'Aide', exact: true }).click();
    await page.waitForURL('**/aide');
    await axeClean();

    await page.getByLabel('Rechercher dans l’aide').fill('assiduite csv');
    await page.getByRole('button', { name: 'Rechercher' }).click();
    await page.waitForURL('**/aide/recherche?q=*');
    assert.ok((await page.locator('mark').count()) > 0, 'highlighted terms');
    await axeClean();

    await page.getByRole('link', { name: 'Déclarer l’assiduité et importer un fichier CSV' }).click();
    await page.waitForURL('**/aide/declarer-assiduite');
    assert.match(await page.locator('pre').first().innerText(), /^identifiant_candidat;session_carif_oref;date;/);
    await axeClean();

    await page.goto('/aide/recherche?q=');
    await axeClean();
    assert.deepEqual(watch.cspViolations(), []);
    assert.deepEqual(watch.pageErrors, []);
  });
});
