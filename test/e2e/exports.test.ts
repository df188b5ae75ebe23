// The « Exporter » links in Chromium: a plain link on the quote list downloads the file with the
// session cookie (no script), named as the API names it; the page stays accessible.
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { describe, it } from 'node:test';
import { assertAccessible, assertNoCspViolation, signInThroughForm, withBrowser } from './helpers.js';

describe('exports in Chromium', () => {
  const e2e = withBrowser({ closeSessionsAfterEach: true });

  it('devis.demo: « Exporter (CSV) » on the quote list downloads the filtered CSV', async () => {
    const { page, watch } = await e2e.open();
    await signInThroughForm(page, e2e.rt, 'devis.demo');
    await page.goto('/devis?status=draft');
    const link = page.getByRole('link', { name: /^Exporter \(CSV\)/ });
    assert.equal(await link.getAttribute('href'), '/api/v1/exports/quotes.csv?status=draft');
    const [download] = await Promise.all([page.waitForEvent('download'), link.click()]);
    assert.match(download.suggestedFilename(), /^kairos-quotes-\d{4}-\d{2}-\d{2}\.csv$/);
    const text = await readFile((await download.path())!, 'utf8');
    assert.ok(text.startsWith('\uFEFFRéférence du devis;Type;Statut;'), `downloaded: ${text.slice(0, 80)}`);
    await assertAccessible(page, '/devis (export links)');
    assertNoCspViolation(watch);
  });
});
