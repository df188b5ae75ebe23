// The candidate's answer and the advisor's decision in Chromium: a quote
// submitted by devis.demo; the candidate opens the mail's link while signed out, signs in through
// the form and lands on the quote, goes to their space, opens the quote again and accepts it with
// a comment using the keyboard only; the advisor signs in, opens the queue, the quote, approves it
// and sees the agreement link. axe (no serious or critical finding) on the four pages; the CSP
// refuses nothing.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parisDay } from '../../src/modules/onboarding/rules.js';
import { validQuote } from '../helpers/quotes.js';
import { signInAs } from '../helpers/session.js';
import { assertAccessible, assertNoCspViolation, nextOtp, signInThroughForm, submitSignIn, withBrowser } from './helpers.js';

describe('candidate and advisor quote pages in Chromium', () => {
  const e2e = withBrowser();

  it('the candidate accepts a quote with the keyboard, then the advisor approves it', async () => {
    const rt = e2e.rt;
    const editor = await signInAs(rt.app, rt.clock, 'devis.demo');
    const created = await rt.app.inject({ method: 'POST', url: '/api/v1/quotes', headers: editor.headers, payload: validQuote(parisDay(rt.clock.now())) });
    assert.equal(created.statusCode, 201, created.body);
    const id = created.json().id as string;
    const submitted = await rt.app.inject({ method: 'POST', url: `/api/v1/quotes/${id}/submit`, headers: editor.headers });
    assert.equal(submitted.statusCode, 200, submitted.body);

    // The candidate follows the mail's link while signed out: sign-in first, then the quote.
    const candidate = await e2e.open();
    const page = candidate.page;
    await page.goto(`/mon-espace/devis/${id}`);
    assert.equal(new URL(page.url()).pathname, '/connexion');
    await submitSignIn(page, { login: 'candidat.demo', otp: nextOtp(rt) });
    assert.equal(new URL(page.url()).pathname, `/mon-espace/devis/${id}`);

    await page.goto('/mon-espace');
    assert.equal(await page.title(), 'Mon espace — Kairos');
    assert.match(await page.locator('#mes-devis').innerText(), /en attente de votre réponse/);
    await assertAccessible(page, '/mon-espace');

    await Promise.all([page.waitForURL(`**/mon-espace/devis/${id}`), page.getByRole('link', { name: 'Titre professionnel Développeur web' }).click()]);
    assert.match(await page.locator('#explication-non-finance').innerText(), /restent à votre charge ou à celle de l’organisme/);
    assert.match(await page.locator('#montant-non-finance').innerText(), /50,50/);
    await assertAccessible(page, `/mon-espace/devis/${id}`);

    // Keyboard only: into the comment, type, Tab to "Accepter le devis", Enter.
    await page.getByLabel('Commentaire (facultatif)').focus();
    await page.keyboard.type('Merci, les frais d’inscription seront pris en charge par l’organisme.');
    await page.keyboard.press('Tab');
    assert.equal(await page.evaluate(() => document.activeElement?.id), 'decision-accept');
    await Promise.all([page.waitForNavigation(), page.keyboard.press('Enter')]);
    assert.equal(new URL(page.url()).pathname, `/mon-espace/devis/${id}`);
    assert.match(await page.getByRole('status').innerText(), /Vous avez accepté le devis/);
    assert.match(await page.locator('#statut').innerText(), /accepté par vous, en attente de la décision du conseiller/);
    assert.ok(await page.getByRole('table', { name: /Historique du devis/ }).getByText('Merci, les frais d’inscription').isVisible());
    assert.equal(await page.locator('#formulaire-decision').count(), 0);
    assertNoCspViolation(candidate.watch);

    // The advisor: queue, quote, approval, agreement.
    const advisor = await e2e.open();
    const ap = advisor.page;
    await signInThroughForm(ap, rt, 'conseiller.demo');
    await ap.goto('/conseiller/devis');
    assert.equal(await ap.title(), 'File des devis à décider — Kairos');
    const row = ap.locator(`tr[data-quote="${id}"]`);
    assert.match(await row.innerText(), /Martin Camille \(1234567A\)/);
    await assertAccessible(ap, '/conseiller/devis');

    await Promise.all([ap.waitForURL(`**/conseiller/devis/${id}`), row.getByRole('link', { name: 'Titre professionnel Développeur web' }).click()]);
    assert.match(await ap.locator('#avertissements').innerText(), /Aucun avertissement/);
    await assertAccessible(ap, `/conseiller/devis/${id}`);

    await ap.getByLabel('Valider le devis').check();
    await Promise.all([ap.waitForNavigation(), ap.getByRole('button', { name: 'Enregistrer la décision' }).click()]);
    assert.equal(new URL(ap.url()).pathname, `/conseiller/devis/${id}`);
    assert.match(await ap.getByRole('status').innerText(), /Le devis est validé\. La formation est créée/);
    assert.match(await ap.locator('#statut').innerText(), /validé par le conseiller/);
    const link = ap.getByRole('link', { name: 'Télécharger l’accord de prise en charge (PDF)' });
    assert.ok(await link.isVisible());
    assert.equal(await link.getAttribute('href'), `/api/v1/quotes/${id}/agreement.pdf`);
    const pdf = await ap.request.get(`/api/v1/quotes/${id}/agreement.pdf`);
    assert.equal(pdf.status(), 200);
    assert.equal(pdf.headers()['content-type'], 'application/pdf');
    await assertAccessible(ap, `/conseiller/devis/${id} (approved)`);
    assertNoCspViolation(advisor.watch);
  });
});
