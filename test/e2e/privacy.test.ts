// The privacy notice in Chromium: reached from the footer link of a page, axe-clean, no CSP refusal.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { assertAccessible, assertNoCspViolation, withBrowser } from './helpers.js';

describe('privacy notice in Chromium', () => {
  const e2e = withBrowser();

  it('is reached from the footer and is axe-clean', async () => {
    const { page, watch } = await e2e.open();
    await page.goto('/aide');
    await page.locator('footer').getByRole('link', { name: 'Confidentialité et données personnelles' }).click();
    await page.waitForURL('**/confidentialite');
    assert.equal(await page.getByRole('heading', { level: 1 }).innerText(), 'Confidentialité et données personnelles');
    await assertAccessible(page, page.url());
    assertNoCspViolation(watch);
  });
});
