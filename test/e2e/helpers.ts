// Browser tests: the app listening for real on 127.0.0.1, driven by Chromium through
// playwright-core. `scripts/test.mjs` only runs test/e2e/ when Chromium is found.
import assert from 'node:assert/strict';
import type { AddressInfo } from 'node:net';
import AxeBuilder from '@axe-core/playwright';
import { chromium, type Browser, type BrowserContext, type ConsoleMessage, type Page } from 'playwright-core';
import type { Engine } from '../../src/db/database.js';
import { DEMO_PASSWORD, DEMO_TOTP_SECRET } from '../../src/demo/accounts.js';
import { totpCodeAt } from '../../src/modules/identity/totp.js';
import { startTestRuntime, type TestRuntime } from '../helpers/runtime.js';

export const SIGN_IN_FAILED_TEXT = 'Identifiant, mot de passe ou code de vérification incorrect.';

export async function launchBrowser(): Promise<Browser> {
  return chromium.launch({
    executablePath: process.env.CHROMIUM_PATH || '/usr/bin/chromium',
    headless: true,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--disable-quic',
      '--no-first-run',
    ],
  });
}

export interface LiveServer {
  rt: TestRuntime;
  /** e.g. http://127.0.0.1:41234 */
  baseUrl: string;
}

/** The runtime of the tests (manual clock, seeded demo data), listening on a random port. */
export async function startLiveServer(engine: Engine = 'pglite'): Promise<LiveServer> {
  const rt = await startTestRuntime(engine);
  try {
    await rt.app.listen({ port: 0, host: '127.0.0.1' });
  } catch (err) {
    await rt.stop().catch(() => {});
    throw err;
  }
  const { port } = rt.app.server.address() as AddressInfo;
  return { rt, baseUrl: `http://127.0.0.1:${port}` };
}

/** Console and script errors of a page; CSP refusals are reported by Chromium as console errors. */
export interface PageWatch {
  consoleErrors: string[];
  pageErrors: string[];
  cspViolations(): string[];
}

export function watchPage(page: Page): PageWatch {
  const consoleErrors: string[] = [];
  const pageErrors: string[] = [];
  page.on('console', (msg: ConsoleMessage) => {
    if (msg.type() === 'error' || msg.type() === 'warning') consoleErrors.push(`${msg.type()}: ${msg.text()} (${msg.location().url})`);
  });
  page.on('pageerror', (err) => pageErrors.push(String(err)));
  return {
    consoleErrors,
    pageErrors,
    cspViolations: () => consoleErrors.filter((t) => /Content[- ]Security[- ]Policy|Refused to (apply|execute|load|connect|frame)/i.test(t)),
  };
}

export interface BrowserSession {
  context: BrowserContext;
  page: Page;
  watch: PageWatch;
}

export async function newSession(browser: Browser, baseUrl: string): Promise<BrowserSession> {
  const context = await browser.newContext({ baseURL: baseUrl, locale: 'fr-FR' });
  const page = await context.newPage();
  return { context, page, watch: watchPage(page) };
}

/** The TOTP code of the runtime's clock, after one step forward (a used code is refused). */
export function nextOtp(rt: TestRuntime): string {
  rt.clock.advance(30_000);
  return totpCodeAt(DEMO_TOTP_SECRET, rt.clock.now());
}

/** A 6-digit code that is valid at none of the steps the server accepts (current ±1). */
export function wrongOtp(rt: TestRuntime): string {
  const step = 30_000;
  const now = rt.clock.now().getTime();
  const valid = new Set([-1, 0, 1].map((d) => totpCodeAt(DEMO_TOTP_SECRET, new Date(now + d * step))));
  for (const candidate of ['000000', '111111', '222222', '333333']) if (!valid.has(candidate)) return candidate;
  throw new Error('unreachable');
}

/** Fills the sign-in form by its French labels and submits it; waits for the next page. */
export async function submitSignIn(page: Page, fields: { login: string; password?: string; otp: string }): Promise<void> {
  await page.getByLabel('Identifiant', { exact: true }).fill(fields.login);
  await page.getByLabel('Mot de passe', { exact: true }).fill(fields.password ?? DEMO_PASSWORD);
  await page.getByLabel('Code de vérification', { exact: true }).fill(fields.otp);
  await Promise.all([
    page.waitForNavigation({ waitUntil: 'load' }),
    page.getByRole('button', { name: 'Se connecter' }).click(),
  ]);
}

export async function signInThroughForm(page: Page, rt: TestRuntime, login: string): Promise<void> {
  await page.goto('/connexion');
  await submitSignIn(page, { login, otp: nextOtp(rt) });
}

export interface AxeFinding {
  id: string;
  impact: string | null | undefined;
  help: string;
  nodes: string[];
}

/** axe-core violations of impact serious or critical on the page as it is now. */
export async function seriousA11yViolations(page: Page): Promise<AxeFinding[]> {
  const results = await new AxeBuilder({ page }).analyze();
  return results.violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => ({
      id: v.id,
      impact: v.impact,
      help: v.help,
      nodes: v.nodes.map((n) => `${n.target.join(' ')} — ${n.failureSummary ?? ''}`.trim()),
    }));
}

export function describeFindings(findings: AxeFinding[]): string {
  return findings
    .map((f) => `[${f.impact}] ${f.id}: ${f.help}\n${f.nodes.map((n) => `    ${n}`).join('\n')}`)
    .join('\n');
}

/** Fails with the list of findings when axe sees a serious or critical violation on the page. */
export async function assertAccessible(page: Page, where: string): Promise<void> {
  const findings = await seriousA11yViolations(page);
  assert.equal(findings.length, 0, `axe: serious or critical violations on ${where}:\n${describeFindings(findings)}`);
}
