// From an error page to a sent support request with a screenshot, in Chromium, without any
// script of ours: the form is a plain multipart POST. axe on the help centre, the error page,
// the form (empty and with errors) and the sent request; no CSP refusal.
import assert from 'node:assert/strict';
import { readdir } from 'node:fs/promises';
import { describe, it } from 'node:test';
import { tinyPng } from '../../src/modules/support/requests/test-images.js';
import { assertAccessible, assertNoCspViolation, signInThroughForm, withBrowser } from './helpers.js';

describe('support request from an error page, in Chromium', () => {
  // The screenshots go to a folder of this file, so that the test can count them.
  const e2e = withBrowser({ attachmentsDir: true });

  it('goes from the error page’s reference to a sent request with its screenshot, every page axe-clean', async () => {
    const { page, context, watch } = await e2e.open();
    const axeClean = () => assertAccessible(page, page.url());

    await page.goto('/aide');
    await axeClean();
    await page.goto('/aide/contacter-assistance');
    await axeClean();

    await signInThroughForm(page, e2e.rt, 'devis.demo');
    const error = await page.goto('/page-introuvable');
    assert.equal(error?.status(), 404);
    const reference = (await page.locator('strong.font-monospace').innerText()).trim();
    assert.match(reference, /^[0-9a-f-]{36}$/);
    await axeClean();

    await page.getByRole('link', { name: 'Contacter l’assistance' }).click();
    await page.waitForURL('**/support/demandes/nouvelle?reference=*');
    assert.equal(await page.getByLabel('Référence de l’erreur (facultatif)').inputValue(), reference);
    await axeClean();

    // Sent empty first: the summary names each missing field and links to it.
    await Promise.all([page.waitForURL('**/support/demandes/nouvelle'), page.getByRole('button', { name: 'Envoyer la demande' }).click()]);
    const summary = page.getByRole('alert');
    assert.match(await summary.innerText(), /Objet \(subject\)/);
    assert.match(await summary.innerText(), /Description \(description\)/);
    assert.equal(await page.getByLabel('Référence de l’erreur (facultatif)').inputValue(), reference, 'kept after the error');
    await axeClean();

    await page.getByLabel('Catégorie').selectOption('devis');
    await page.getByLabel('Objet').fill('Le devis ne s’enregistre pas');
    await page.getByLabel('Description').fill('En cliquant sur Enregistrer, une page d’erreur s’affiche.');
    await page.getByLabel('Étapes suivies (facultatif)').fill('1. Devis\n2. Nouveau devis\n3. Enregistrer');
    await page.getByLabel('Captures d’écran (facultatif)').setInputFiles({ name: 'capture.png', mimeType: 'image/png', buffer: tinyPng() });
    await Promise.all([page.waitForURL('**/support/demandes/*?fait=envoyee'), page.getByRole('button', { name: 'Envoyer la demande' }).click()]);
    assert.match(await page.getByRole('status').innerText(), /Votre demande est envoyée/);
    assert.match(await page.locator('main').innerText(), new RegExp(reference));
    await axeClean();

    const link = page.getByRole('link', { name: 'capture.png' });
    const download = await context.request.get(new URL(String(await link.getAttribute('href')), e2e.baseUrl).toString());
    assert.equal(download.status(), 200);
    assert.equal(download.headers()['content-type'], 'image/png');
    assert.match(download.headers()['content-disposition'] ?? '', /^attachment; filename="capture\.png"/);
    assert.equal(download.headers()['x-content-type-options'], 'nosniff');
    assert.deepEqual(Buffer.from(await download.body()), tinyPng());
    assert.equal((await readdir(e2e.attachmentsDir)).length, 1);

    await page.goto('/support/demandes');
    assert.equal(await page.getByRole('link', { name: 'Le devis ne s’enregistre pas' }).count(), 1);
    await axeClean();
    assertNoCspViolation(watch);
  });
});
