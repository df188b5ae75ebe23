// The dashboards of /kairos in Chromium for an organisation account, the advisor, the agency
// administrator and the trainer: axe finds nothing serious, the CSP refuses nothing, and each chart is an image
// with its title beside a table of the same figures.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { assertAccessible, assertNoCspViolation, signInThroughForm, withBrowser } from './helpers.js';

describe('dashboards in Chromium', () => {
  const e2e = withBrowser({ closeSessionsAfterEach: true });

  for (const [login, block] of [['devis.demo', 'tableau-organisme'], ['conseiller.demo', 'tableau-conseiller'], ['admin.agence', 'tableau-agence'], ['formateur.demo', 'tableau-formateur']] as const) {
    it(`${login}: the dashboard is accessible and drawn without script or inline style`, async () => {
      const { page, watch } = await e2e.open();
      await signInThroughForm(page, e2e.rt, login);
      await page.goto('/kairos');
      assert.equal(await page.locator(`#${block}`).count(), 1);
      assert.equal(await page.locator('section[id^="tableau-"]').count(), 1, 'only the block of the role held');
      assert.ok((await page.getByRole('heading', { name: 'À faire' }).count()) === 1);
      const charts = page.locator('svg.chart[role="img"]');
      // Figures without data are a sentence, not an empty chart; the agency's months always have a chart.
      if (login === 'admin.agence') {
        assert.ok((await charts.count()) >= 1);
        assert.ok((await charts.first().locator('title').textContent())?.length);
      } else {
        assert.ok((await page.locator('#liens-application').count()) === 1, 'the application’s links stay below');
      }
      await assertAccessible(page, `/kairos (${login})`);
      assertNoCspViolation(watch);
    });
  }
});
