// The help centre in Chromium, signed out: search without JavaScript-only behaviour (a GET
// form), highlighted results, an article; axe on each page; no CSP refusal.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { assertAccessible, assertNoCspViolation, withBrowser } from './helpers.js';

describe('help centre in Chromium', () => {
  const e2e = withBrowser();

  it('searches from the header link to an article, every page axe-clean', async () => {
    const { page, watch } = await e2e.open();
    const axeClean = () => assertAccessible(page, page.url());
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
    assertNoCspViolation(watch);
  });
});
