// The public adhesion form in Chromium: errors shown next to fields and in a summary that
// links to them, then a corrected submission; axe on both states; no CSP refusal.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Browser } from 'playwright-core';
import { nextSiret } from '../helpers/onboarding.js';
import { describeFindings, launchBrowser, newSession, seriousA11yViolations, startLiveServer, type BrowserSession, type LiveServer } from './helpers.js';

describe('adhesion form in Chromium', () => {
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

  it('shows every error, links the summary to the fields, then accepts the corrected request', async () => {
    session = await newSession(browser!, server!.baseUrl);
    const { page, watch } = session;
    await page.goto('/adhesion');
    assert.deepEqual(await seriousA11yViolations(page), [], describeFindings(await seriousA11yViolations(page)));

    await page.getByLabel('Raison sociale').fill('Organisme Navigateur');
    await page.getByLabel('SIRET').fill('12345678901234');
    await page.getByLabel('Numéro de déclaration d’activité (NDA)').fill('123');
    await page.getByLabel('Oui').check();
    await page.getByLabel('Date d’expiration de la certification Qualiopi').fill('2099-01-31');
    await page.getByLabel('Adresse').fill('3 place du Test, 69001 Lyon');
    await page.getByLabel(/^Nom\b/).fill('Testeur');
    await page.getByLabel('Prénom').fill('Camille');
    await page.getByLabel('Courriel professionnel').fill('camille.testeur@organisme.example');
    await page.getByLabel('Téléphone').fill('04 72 00 00 00');
    await Promise.all([page.waitForNavigation(), page.getByRole('button', { name: 'Envoyer la demande' }).click()]);

    const summary = page.getByRole('alert');
    await summary.waitFor();
    assert.match(await summary.innerText(), /2 champs sont à corriger/);
    assert.equal(await page.getByLabel('SIRET').getAttribute('aria-invalid'), 'true');
    assert.equal(await page.getByLabel('Raison sociale').inputValue(), 'Organisme Navigateur', 'entered values are kept');
    assert.deepEqual(await seriousA11yViolations(page), [], describeFindings(await seriousA11yViolations(page)));

    await summary.getByRole('link', { name: /SIRET/ }).click();
    assert.equal(await page.evaluate(() => location.hash), '#siret', 'the summary link leads to the field');
    await page.getByLabel('SIRET').fill(nextSiret());
    await page.getByLabel('Numéro de déclaration d’activité (NDA)').fill('11755555575');
    await Promise.all([page.waitForNavigation(), page.getByRole('button', { name: 'Envoyer la demande' }).click()]);
    assert.match(await page.getByRole('status').innerText(), /bien été reçue/);
    const stored = await server!.rt.ctx.db.selectFrom('membership_request').select(['legal_name', 'manager_phone']).where('legal_name', '=', 'Organisme Navigateur').execute();
    assert.deepEqual(stored, [{ legal_name: 'Organisme Navigateur', manager_phone: '0472000000' }]);
    assert.deepEqual(watch.cspViolations(), []);
    assert.deepEqual(watch.pageErrors, []);
  });
});
