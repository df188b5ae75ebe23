// GID in Chromium: an account manager creates a colleague and grants them a role, with the
// keyboard; the pages pass axe (no serious or critical finding) and the CSP refuses nothing.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Page } from 'playwright-core';
import { assertAccessible, assertNoCspViolation, signInThroughForm, withBrowser } from './helpers.js';

describe('GID (account manager) in Chromium', () => {
  const e2e = withBrowser();
  const submit = (page: Page, name: string) => Promise.all([page.waitForNavigation(), page.getByRole('button', { name, exact: true }).click()]);

  it('rgc.demo creates a colleague, opens their page and grants “Rédaction des devis” with the keyboard', async () => {
    const { page, watch } = await e2e.open();
    await signInThroughForm(page, e2e.rt, 'rgc.demo');
    await Promise.all([page.waitForNavigation(), page.getByRole('link', { name: 'GID Partenaires', exact: true }).click()]);
    assert.equal(new URL(page.url()).pathname, '/gid');
    assert.equal(await page.title(), 'Gestion des comptes — Kairos');
    assert.ok(await page.getByRole('table', { name: /Utilisateurs de Formapro Démo/ }).isVisible());
    await assertAccessible(page, '/gid');

    // A first attempt with a mistake: the summary and the field both say what to fix.
    await page.getByLabel('Nom', { exact: true }).fill('Navigateur');
    await page.getByLabel('Prénom', { exact: true }).fill('Camille');
    await page.getByLabel('Adresse électronique professionnelle').fill('camille@');
    await submit(page, 'Créer le compte');
    assert.match(await page.getByRole('alert').innerText(), /L’adresse électronique n’est pas valide/);
    assert.equal(await page.getByLabel('Adresse électronique professionnelle').getAttribute('aria-invalid'), 'true');
    assert.equal(await page.getByLabel('Nom', { exact: true }).inputValue(), 'Navigateur', 'entered values are kept');
    await assertAccessible(page, '/gid (creation refused)');

    await page.getByLabel('Adresse électronique professionnelle').fill('camille.navigateur@formapro.example');
    await submit(page, 'Créer le compte');
    assert.match(new URL(page.url()).pathname, /^\/gid\/utilisateurs\/[0-9a-f-]{36}$/);
    assert.equal((await page.getByRole('heading', { level: 1 }).innerText()).trim(), 'Camille Navigateur');
    const login = (await page.locator('#identifiant').innerText()).trim();
    assert.match(login, /^cnavigateur\.\d{4}$/);
    const confirmation = await page.getByRole('status').innerText();
    assert.ok(confirmation.includes(`Identifiant : ${login}`) && /Deux courriels séparés ont été envoyés/.test(confirmation), confirmation);
    await assertAccessible(page, '/gid/utilisateurs/… (new account)');

    // Keyboard only: focus the list, pick the role, then Tab to the button and press Enter.
    const select = page.getByLabel('Habilitation à accorder');
    await select.focus();
    await select.selectOption({ label: 'Rédaction des devis' });
    await page.keyboard.press('Tab');
    assert.equal((await page.locator(':focus').innerText()).trim(), 'Accorder');
    await Promise.all([page.waitForNavigation(), page.keyboard.press('Enter')]);
    assert.match(await page.getByRole('status').innerText(), /L’habilitation a été accordée/);
    const table = page.getByRole('table', { name: 'Habilitations de Camille Navigateur' });
    assert.ok(await table.getByRole('rowheader', { name: 'Rédaction des devis' }).isVisible());
    assert.ok(await table.getByRole('button', { name: 'Retirer l’habilitation Rédaction des devis' }).isVisible());
    await assertAccessible(page, '/gid/utilisateurs/… (after grant)');

    await Promise.all([page.waitForNavigation(), page.getByRole('link', { name: 'Retour à la liste des utilisateurs' }).click()]);
    const row = page.getByRole('row').filter({ hasText: login });
    assert.match(await row.innerText(), /En attente d’activation[\s\S]*Kairos — Rédaction des devis/);

    assertNoCspViolation(watch);
  });
});
