// Émargement numérique in Chromium: the attendance officer opens the sheet of this morning's
// half-day from its page and sees the QR code; the trainee, on a 360 px phone, opens the code's
// link, draws a signature with the pointer and signs; the trainer's screen shows the signature;
// the officer signs and closes the sheet. axe on every page, the CSP refuses nothing.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parisDay } from '../../src/modules/onboarding/rules.js';
import { parisInstant } from '../../src/modules/training/sheets/rules.js';
import { signInAs } from '../helpers/session.js';
import { createTraining, EVERY_DAY } from '../helpers/trainings.js';
import { assertAccessible, assertNoCspViolation, signInThroughForm, withBrowser } from './helpers.js';

describe('émargement numérique in Chromium', () => {
  const e2e = withBrowser();

  it('a trainee signs this morning’s sheet on a phone, and the officer closes it', async () => {
    const rt = e2e.rt;
    const today = parisDay(rt.clock.now());
    rt.clock.set(parisInstant(today, '08:40').toISOString());
    const training = await createTraining(rt.ctx.db, { organisation: 'Formapro Démo', candidate: '1234567A', startDate: today, endDate: today, session: 'SE_E2E_EMARG', schedule: EVERY_DAY, at: rt.clock.now() });
    const officerApi = await signInAs(rt.app, rt.clock, 'assiduite.demo');
    const entered = await rt.app.inject({ method: 'POST', url: `/api/v1/trainings/${training.id}/entry`, headers: officerApi.headers, payload: { startDate: today } });
    assert.equal(entered.statusCode, 200, entered.body);

    const officer = await e2e.open();
    await signInThroughForm(officer.page, rt, 'assiduite.demo');
    await officer.page.goto('/kairos/emargement');
    await assertAccessible(officer.page, '/kairos/emargement');
    await officer.page.getByLabel('Session Carif-Oref').fill('SE_E2E_EMARG');
    await officer.page.getByLabel('Demi-journée').selectOption('am');
    await Promise.all([officer.page.waitForURL(/\/kairos\/emargement\/[0-9a-f-]{36}$/), officer.page.getByRole('button', { name: 'Ouvrir la feuille' }).click()]);
    const qr = officer.page.getByRole('img', { name: /Code QR d’émargement/ });
    assert.ok(await qr.isVisible());
    await assertAccessible(officer.page, 'the trainer’s sheet');
    const sheetId = officer.page.url().split('/').pop()!;

    // The phone follows the link the QR code holds (the code of the current 30-second step).
    const sheet = (await rt.app.inject({ method: 'GET', url: `/api/v1/attendance-sheets/${sheetId}`, headers: officerApi.headers })).json();
    const trainee = await e2e.open();
    await trainee.page.setViewportSize({ width: 360, height: 740 });
    await signInThroughForm(trainee.page, rt, 'candidat.demo');
    await trainee.page.goto(`/emarger?jeton=${encodeURIComponent(sheet.token)}`);
    assert.match(await trainee.page.locator('main').innerText(), /SE_E2E|matin/);
    assert.ok((await trainee.page.evaluate(() => document.documentElement.scrollWidth)) <= 360, 'fits the phone');
    await assertAccessible(trainee.page, '/emarger');
    const canvas = trainee.page.locator('canvas.signature-canvas');
    const box = (await canvas.boundingBox())!;
    await trainee.page.mouse.move(box.x + 20, box.y + 30);
    await trainee.page.mouse.down();
    for (const [dx, dy] of [[60, 50], [120, 20], [180, 60], [240, 30]] as const) await trainee.page.mouse.move(box.x + dx, box.y + dy, { steps: 4 });
    await trainee.page.mouse.up();
    await Promise.all([trainee.page.waitForLoadState('load'), trainee.page.getByRole('button', { name: 'Signer', exact: true }).click()]);
    await trainee.page.getByRole('heading', { name: 'Présence enregistrée' }).waitFor();
    await assertAccessible(trainee.page, 'the signing receipt');
    const stored = await rt.ctx.db.selectFrom('attendance_signature').select('signature').where('sheet_id', '=', sheetId).executeTakeFirstOrThrow();
    assert.equal((stored.signature as { kind: string }).kind, 'drawn');

    await officer.page.reload();
    assert.match(await officer.page.locator('table').innerText(), /signé à/);
    await Promise.all([officer.page.waitForURL(/fait=cloture/), officer.page.getByRole('button', { name: 'Signer et clore la feuille' }).click()]);
    assert.match(await officer.page.locator('main').innerText(), /Empreinte SHA-256/);
    await assertAccessible(officer.page, 'the closed sheet');
    assertNoCspViolation(officer.watch);
    assertNoCspViolation(trainee.watch);
  });
});
