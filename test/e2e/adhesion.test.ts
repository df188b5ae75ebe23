// The public adhesion form in Chromium: errors shown next to fields and in a summary that
// links to them, then a corrected submission; axe on both states; no CSP refusal.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { nextSiret } from '../helpers/onboarding.js';
import { assertAccessible, assertNoCspViolation, withBrowser } from './helpers.js';

describe('adhesion form in Chromium', () => {
  const e2e = withBrowser();

  it('shows every error, links the summary to the fields, then accepts the corrected request', async () => {
    const { page, watch } = await e2e.open();
    await page.goto('/adhesion');
    await assertAccessible(page, '/adhesion');

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
    await assertAccessible(page, '/adhesion (with errors)');

    await summary.getByRole('link', { name: /SIRET/ }).click();
    assert.equal(await page.evaluate(() => location.hash), '#siret', 'the summary link leads to the field');
    await page.getByLabel('SIRET').fill(nextSiret());
    await page.getByLabel('Numéro de déclaration d’activité (NDA)').fill('11755555575');
    await Promise.all([page.waitForNavigation(), page.getByRole('button', { name: 'Envoyer la demande' }).click()]);
    assert.match(await page.getByRole('status').innerText(), /bien été reçue/);
    const stored = await e2e.rt.ctx.db.selectFrom('membership_request').select(['legal_name', 'manager_phone']).where('legal_name', '=', 'Organisme Navigateur').execute();
    assert.deepEqual(stored, [{ legal_name: 'Organisme Navigateur', manager_phone: '0472000000' }]);
    assertNoCspViolation(watch);
  });
});
