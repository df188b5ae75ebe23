// Trainees live on their phones: every page of the candidate's space, in the demo world (quotes
// in every status, a training with a month of attendance), fits a 360 px wide screen without
// horizontal scrolling, stays axe-clean there, and the CSP refuses nothing.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { assertAccessible, assertNoCspViolation, signInThroughForm, withBrowser } from './helpers.js';

const PHONE = { width: 360, height: 740 };

describe('the candidate’s space on a 360 px phone', () => {
  const e2e = withBrowser({ env: { SEED_DEMO_WORLD: 'true' } });

  it('no candidate page scrolls sideways', async () => {
    const { page, watch } = await e2e.open();
    await page.setViewportSize(PHONE);
    await signInThroughForm(page, e2e.rt, 'candidat.demo');

    // Every page the candidate can reach from their space, found by following its links.
    await page.goto('/mon-espace');
    const linked = await page.locator('main a[href^="/mon-espace/"]').evaluateAll((as) => as.map((a) => (a as HTMLAnchorElement).getAttribute('href')!));
    const quotes = linked.filter((h) => h.startsWith('/mon-espace/devis/'));
    assert.ok(quotes.length > 0, 'the demo candidate has quotes');
    await page.goto('/mon-espace/formations');
    const trainings = await page.locator('main a[href^="/mon-espace/formations/"]').evaluateAll((as) => as.map((a) => (a as HTMLAnchorElement).getAttribute('href')!));
    assert.ok(trainings.length > 0, 'the demo candidate has a training');

    const pages = [...new Set(['/mon-espace', '/mon-espace/formations', ...quotes, ...trainings, '/compte/mot-de-passe', '/compte/double-authentification', '/compte/incidents'])];
    const overflowing: string[] = [];
    for (const url of pages) {
      const response = await page.goto(url);
      assert.equal(response?.status(), 200, url);
      const width = await page.evaluate(() => document.documentElement.scrollWidth);
      if (width > PHONE.width) overflowing.push(`${url}: ${width} px`);
      await assertAccessible(page, `${url} at ${PHONE.width} px`);
    }
    assert.deepEqual(overflowing, [], `pages wider than ${PHONE.width} px`);
    assertNoCspViolation(watch);
  });
});
