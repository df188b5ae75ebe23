// Attendance in Chromium: the monthly grid filled with the keyboard only (Tab and a
// letter per half-day), and the CSV import with its progress bar, a large refused file, then a
// valid one; axe finds nothing serious or critical and the CSP refuses nothing.
import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import { CSV_HEADER } from '../../src/modules/training/index.js';
import { signInAs } from '../helpers/session.js';
import { createCandidate, createTraining } from '../helpers/trainings.js';
import { assertAccessible, assertNoCspViolation, signInThroughForm, withBrowser, type BrowserSession } from './helpers.js';

describe('attendance grid and CSV import in Chromium', () => {
  const e2e = withBrowser();
  let session: BrowserSession | undefined;
  let durand = '';

  before(async () => {
    const rt = e2e.rt;
    rt.clock.set('2026-03-04T08:00:00Z');
    await createCandidate(rt.ctx.db, '9100001E', 'Durand', 'Paul');
    durand = (await createTraining(rt.ctx.db, { organisation: 'Formapro Démo', candidate: '9100001E', startDate: '2026-03-02', endDate: '2026-03-31', session: 'SESS-E2E', at: rt.clock.now() })).id;
    const martin = (await createTraining(rt.ctx.db, { organisation: 'Formapro Démo', candidate: '1234567A', startDate: '2026-03-02', endDate: '2026-03-31', session: 'SESS-E2E', at: rt.clock.now() })).id;
    const officer = await signInAs(rt.app, rt.clock, 'assiduite.demo');
    for (const id of [durand, martin]) {
      const res = await rt.app.inject({ method: 'POST', url: `/api/v1/trainings/${id}/entry`, headers: officer.headers, payload: { startDate: '2026-03-02' } });
      assert.equal(res.statusCode, 200, res.body);
    }
    session = await e2e.open();
    await signInThroughForm(session.page, rt, 'assiduite.demo');
  });

  it('fills the grid with the keyboard only and shows the totals per trainee', async () => {
    const { page, watch } = session!;
    await page.goto('/kairos/assiduite?session=SESS-E2E&mois=2026-03');
    assert.equal(await page.title(), 'Grille d’assiduité — Kairos');
    assert.ok(await page.getByRole('table', { name: /Assiduité de la session SESS-E2E, mars 2026/ }).isVisible());
    await assertAccessible(page, '/kairos/assiduite');

    // Paul Durand's first three half-days: présent, retard (10 min), absent (maladie, justifiée).
    await page.getByLabel('Paul Durand, lundi 2 mars, matin (09:00–12:30)').focus();
    await page.keyboard.press('p');
    await page.keyboard.press('Tab');
    assert.equal(await page.evaluate(() => document.activeElement?.getAttribute('aria-label')), 'Paul Durand, lundi 2 mars, après-midi (13:30–17:00)');
    await page.keyboard.press('r');
    await page.keyboard.press('ArrowDown');
    await page.keyboard.press('Tab');
    await page.keyboard.press('a');
    await page.getByRole('button', { name: 'Enregistrer la grille' }).focus();
    await Promise.all([page.waitForNavigation(), page.keyboard.press('Enter')]);

    assert.match(await page.getByRole('status').first().innerText(), /La grille est enregistrée/);
    assert.equal(await page.getByLabel('Paul Durand, lundi 2 mars, matin (09:00–12:30)').inputValue(), 'present');
    assert.equal(await page.getByLabel('Paul Durand, lundi 2 mars, après-midi (13:30–17:00)').inputValue(), 'late:10');
    assert.equal(await page.getByLabel('Paul Durand, mardi 3 mars, matin (09:00–12:30)').inputValue(), 'absent:sickness:1');
    const row = page.locator(`tr[data-training="${durand}"]`);
    assert.equal(await row.locator('[data-total="retards"]').innerText(), '1');
    assert.equal(await row.locator('[data-total="absences"]').innerText(), '1 (0)');
    assert.match(await row.locator('[data-total="heures"]').innerText(), /^6,83\sh \/ 154\sh$/);
    await assertAccessible(page, '/kairos/assiduite (saved)');

    // A half-day in the future is refused; the summary links to the cell.
    await page.getByLabel('Paul Durand, jeudi 5 mars, matin (09:00–12:30)').focus();
    await page.keyboard.press('p');
    await page.getByRole('button', { name: 'Enregistrer la grille' }).focus();
    await Promise.all([page.waitForNavigation(), page.keyboard.press('Enter')]);
    const summary = page.locator('#resume-erreurs');
    assert.match(await summary.innerText(), /Paul Durand, 05\/03\/2026 matin : le 05\/03\/2026 est dans le futur/);
    await summary.getByRole('link').first().click();
    assert.equal(await page.evaluate(() => document.activeElement?.getAttribute('aria-label')), 'Paul Durand, jeudi 5 mars, matin (09:00–12:30)');
    await assertAccessible(page, '/kairos/assiduite (refused)');
    assertNoCspViolation(watch);
  });

  it('imports a CSV file with a progress bar: a large refused file, then a valid one', async () => {
    const { page, watch } = session!;
    await page.goto('/kairos/assiduite/import');
    await assertAccessible(page, '/kairos/assiduite/import');

    // 3 000 lines, all dated in the future: refused, every line listed (the first 500 shown).
    const future = Array.from({ length: 3000 }, (_, i) => `9100001E;SESS-E2E;${String(10 + (i % 20)).padStart(2, '0')}/03/2026;${i % 2 ? 'matin' : 'apres-midi'};present;;;`);
    await page.setInputFiles('#fichier', { name: 'mars.csv', mimeType: 'text/csv', buffer: Buffer.from([CSV_HEADER, ...future].join('\n')) });
    await page.getByRole('button', { name: 'Importer le fichier' }).click();
    await page.waitForFunction(() => (document.getElementById('progression-import') as HTMLProgressElement | null)?.value === 100);
    assert.ok(await page.locator('#suivi-import').isVisible());
    assert.match(await page.locator('#etat-import').innerText(), /Import refusé : rien n’a été enregistré/);
    const refused = page.getByRole('table', { name: /Lignes refusées/ });
    assert.match(await refused.locator('caption').innerText(), /Lignes refusées \(\d{4}\)/);
    assert.equal(await refused.locator('tbody tr').count(), 500);
    assert.match(await page.locator('#resultat-import').innerText(), /et \d+ autre\(s\) erreur\(s\)/);
    assert.equal(await page.evaluate(() => document.activeElement?.id), 'resultat-titre', 'focus moves to the result');
    await assertAccessible(page, '/kairos/assiduite/import (refused)');

    const valid = [CSV_HEADER, '1234567A;SESS-E2E;02/03/2026;matin;present;;;', '1234567A;SESS-E2E;02/03/2026;apres-midi;retard;20;;', '1234567A;SESS-E2E;03/03/2026;matin;absent;;rdv_agence;oui'];
    await page.setInputFiles('#fichier', { name: 'mars-bis.csv', mimeType: 'text/csv', buffer: Buffer.from(`\uFEFF${valid.join('\r\n')}`) });
    await page.getByRole('button', { name: 'Importer le fichier' }).click();
    await page.getByText('Import terminé : 3 demi-journée(s) enregistrée(s).').waitFor();
    assert.equal(await page.locator('#progression-import').evaluate((el) => (el as HTMLProgressElement).value), 100);
    await assertAccessible(page, '/kairos/assiduite/import (imported)');
    assertNoCspViolation(watch);
  });
});
