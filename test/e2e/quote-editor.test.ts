// The quote editor in Chromium: an editor opens a draft with errors, tries to submit it, follows
// the error summary's links (focus lands on each field), fixes the fields while the summary
// updates as they type (htmx), submits, and sees the submitted status. axe on the list, the form
// with errors and the read-only record; the CSP refuses nothing.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parisDay } from '../../src/modules/onboarding/rules.js';
import { addDays, isoWeekday } from '../../src/modules/quotes/rules/holidays.js';
import { formatEuros, pedagogicalCostCents } from '../../src/modules/quotes/rules/money.js';
import { minutesToHundredths, plannedMinutes } from '../../src/modules/quotes/rules/schedule.js';
import { FULL_TIME } from '../../src/modules/quotes/rules/test-fixtures.js';
import { signInAs } from '../helpers/session.js';
import { assertAccessible, assertNoCspViolation, signInThroughForm, withBrowser } from './helpers.js';

describe('quote editor in Chromium', () => {
  const e2e = withBrowser();

  /** The demo clock is real time: four weeks from the first Monday at least 14 days ahead. */
  function draftWithErrors() {
    let start = addDays(parisDay(e2e.rt.clock.now()), 21);
    while (isoWeekday(start) !== 1) start = addDays(start, 1);
    const end = addDays(start, 25);
    const hundredths = minutesToHundredths(plannedMinutes(FULL_TIME, start, end));
    const expectedCents = pedagogicalCostCents(hundredths, 1250);
    const quote = {
      type: 'AIF',
      candidate: { identifier: '1234567A', lastName: 'Martin', birthDate: '1990-04-12' },
      training: {
        title: 'Titre professionnel Développeur web',
        carifOrefSession: 'SE_0000123456',
        formacode: '',
        certification: 'RNCP37674',
        startDate: start,
        endDate: end,
        schedule: FULL_TIME,
        centreHours: hundredths / 100,
        companyHours: 0,
        place: '12 rue des Lilas, 75011 Paris',
        distanceLearning: false,
      },
      costs: { hourlyRate: 12.5, pedagogicalCost: 1, otherLines: [{ label: 'Frais d’inscription', amount: 50 }] },
      poei: null,
    };
    return { quote, expectedCents };
  }

  it('devis.demo fixes a draft from the error summary and submits it', async () => {
    const rt = e2e.rt;
    const { quote, expectedCents } = draftWithErrors();
    const api = await signInAs(rt.app, rt.clock, 'devis.demo');
    const created = await rt.app.inject({ method: 'POST', url: '/api/v1/quotes', headers: api.headers, payload: quote });
    assert.equal(created.statusCode, 201, created.body);
    const id = created.json().id as string;

    const { page, watch } = await e2e.open();
    await signInThroughForm(page, rt, 'devis.demo');
    await page.goto('/devis');
    assert.equal(await page.title(), 'Devis — Kairos');
    await assertAccessible(page, '/devis');

    await Promise.all([page.waitForURL(`**/devis/${id}`), page.getByRole('link', { name: 'Titre professionnel Développeur web' }).click()]);
    await Promise.all([page.waitForNavigation(), page.getByRole('button', { name: 'Soumettre au candidat' }).click()]);
    const summary = page.getByRole('alert');
    assert.match(await summary.innerText(), /Formacode : champ obligatoire/);
    assert.match(await summary.innerText(), /Coût pédagogique/);
    assert.match(await page.title(), /^Erreur — /);
    await assertAccessible(page, `/devis/${id} (submission refused)`);

    // Each summary link moves the focus to its field.
    await summary.getByRole('link', { name: /Formacode/ }).click();
    assert.equal(await page.evaluate(() => document.activeElement?.id), 'training-formacode');
    assert.equal(await page.getByLabel('Formacode').getAttribute('aria-invalid'), 'true');
    await page.keyboard.type('31054');

    await summary.getByRole('link', { name: /Coût pédagogique/ }).click();
    assert.equal(await page.evaluate(() => document.activeElement?.id), 'costs-pedagogicalCost');
    const expected = (expectedCents / 100).toFixed(2).replace('.', ',');
    await page.getByLabel('Coût pédagogique (€)').fill(expected);
    // The summary follows the typing (htmx posts the form to the preview fragment).
    await page.waitForFunction((text) => document.querySelector('#recap-cout-saisi')?.textContent?.startsWith(text), formatEuros(expectedCents));
    assert.doesNotMatch(await page.locator('#recap-cout-saisi').innerText(), /Différent du coût attendu/);

    await Promise.all([page.waitForNavigation(), page.getByRole('button', { name: 'Soumettre au candidat' }).click()]);
    assert.equal(new URL(page.url()).pathname, `/devis/${id}`);
    assert.match(await page.getByRole('status').innerText(), /Le devis est soumis au candidat/);
    assert.match(await page.locator('#statut').innerText(), /soumis au candidat/);
    assert.equal(await page.locator('#formulaire-devis').count(), 0, 'a submitted version is read-only');
    assert.ok(await page.getByRole('table', { name: /Historique du devis/ }).getByText('Soumission au candidat').isVisible());
    await assertAccessible(page, `/devis/${id} (submitted)`);

    // Its training becomes a template, listed on its own page.
    await page.getByLabel('Nom du modèle').fill('Développeur web — 4 semaines');
    await Promise.all([page.waitForURL('**/devis/modeles?fait=cree'), page.getByRole('button', { name: 'Enregistrer comme modèle' }).click()]);
    assert.ok(await page.getByRole('rowheader', { name: 'Développeur web — 4 semaines' }).isVisible());
    await assertAccessible(page, '/devis/modeles');

    assertNoCspViolation(watch);
  });
});
