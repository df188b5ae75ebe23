// The API reference in Chromium: Swagger UI, served from node_modules and started by an
// external script, renders the generated OpenAPI document under the site's CSP (no refusal,
// no script error), lists the partner routes and expands one; without JavaScript the page
// still lists every operation.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { assertNoCspViolation, withBrowser } from './helpers.js';

describe('/api/docs in Chromium', () => {
  const e2e = withBrowser({ closeSessionsAfterEach: true });

  it('renders the OpenAPI document with Swagger UI, under the CSP', async () => {
    const { page, watch } = await e2e.open();
    const response = await page.goto('/api/docs');
    assert.equal(response?.status(), 200);
    assert.match(response?.headers()['content-security-policy'] ?? '', /script-src 'self'/);

    // Swagger UI fetched /api/openapi.json and drew one block per operation.
    await page.locator('.swagger-ui .opblock').first().waitFor({ timeout: 20_000 });
    const document = (await (await page.request.get('/api/openapi.json')).json()) as { paths: Record<string, object> };
    const operationCount = Object.values(document.paths).reduce((n, item) => n + Object.keys(item).length, 0);
    assert.equal(await page.locator('.swagger-ui .opblock').count(), operationCount, 'one block per operation');
    assert.ok(await page.locator('.swagger-ui .opblock-summary-path', { hasText: '/api/v1/organisations/{orgId}/api-tokens' }).count() > 0);

    // Expanding an operation shows its parameters and its declared responses.
    const quoteRead = page.locator('.swagger-ui .opblock-get').filter({ has: page.locator('[data-path="/api/v1/quotes/{id}"]') }).first();
    await quoteRead.locator('.opblock-summary-control').click();
    await quoteRead.locator('.responses-wrapper').waitFor();
    const responsesText = await quoteRead.locator('.responses-wrapper').innerText();
    assert.match(responsesText, /200/);
    assert.match(responsesText, /404/);

    assertNoCspViolation(watch);
  });

  it('lists every operation without JavaScript', async () => {
    // A context of the same browser with scripts turned off.
    const browser = (await e2e.open()).context.browser();
    assert.ok(browser, 'the browser of the fixture');
    const noScript = await browser.newContext({ baseURL: e2e.baseUrl, javaScriptEnabled: false, locale: 'fr-FR' });
    try {
      const page = await noScript.newPage();
      await page.goto('/api/docs');
      const items = page.locator('main li code');
      assert.ok((await items.count()) > 20, 'the operations are listed');
      assert.equal(await page.locator('main li code', { hasText: /^GET \/api\/v1\/quotes\/\{id\}$/ }).count(), 1);
      assert.equal(await page.getByRole('link', { name: '/api/openapi.json' }).getAttribute('href'), '/api/openapi.json');
    } finally {
      await noScript.close();
    }
  });
});
