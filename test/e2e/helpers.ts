// Browser tests: the app listening for real on 127.0.0.1, driven by Chromium through
// playwright-core. `scripts/test.mjs` only runs test/e2e/ when Chromium is found. Every test
// file takes its browser and live server from `withBrowser()`, which starts both once for the
// file and closes them (and every page it opened) at the end.
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, afterEach, before } from 'node:test';
import AxeBuilder from '@axe-core/playwright';
import { chromium, type Browser, type BrowserContext, type ConsoleMessage, type Page } from 'playwright-core';
import { DEMO_PASSWORD, DEMO_TOTP_SECRET } from '../../src/demo/accounts.js';
import { totpCodeAt } from '../../src/modules/identity/second-factor/totp.js';
import { freePort } from '../helpers/processes.js';
import { startTestRuntime, type TestRuntime } from '../helpers/runtime.js';

export const SIGN_IN_FAILED_TEXT = 'Identifiant, mot de passe ou code de vérification incorrect.';

function launchBrowser(): Promise<Browser> {
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

interface LiveServer {
  rt: TestRuntime;
  /** e.g. http://127.0.0.1:41234 */
  baseUrl: string;
}

/**
 * The runtime of the tests (manual clock, seeded demo data, PGlite), listening on a random port.
 * `localhost`: served as http://localhost:<port>, which is also its PUBLIC_URL — WebAuthn wants a
 * secure context and a domain for the relying party, and both are the public URL's.
 */
async function startLiveServer(env: Record<string, string>, localhost = false): Promise<LiveServer> {
  const port = localhost ? await freePort() : 0;
  const rt = await startTestRuntime('pglite', { env: localhost ? { ...env, PUBLIC_URL: `http://localhost:${port}` } : env });
  try {
    await rt.app.listen({ port, host: '127.0.0.1' });
  } catch (err) {
    await rt.stop().catch(() => {});
    throw err;
  }
  const address = rt.app.server.address() as AddressInfo;
  return { rt, baseUrl: `http://${localhost ? 'localhost' : '127.0.0.1'}:${address.port}` };
}

export interface WithBrowserOptions {
  /** Keep support screenshots (ATTACHMENTS_DIR) in a temporary folder of this file, removed at the end. */
  attachmentsDir?: boolean;
  /** Close the pages a test opened once it ends, so that every test starts signed out. */
  closeSessionsAfterEach?: boolean;
  /** Serve on http://localhost:<port> (the public URL too) rather than 127.0.0.1: passkeys need a domain. */
  localhost?: boolean;
  /** More settings of the live server, e.g. `{ SEED_DEMO_WORLD: 'true' }` for the whole demo world. */
  env?: Record<string, string>;
}

export interface BrowserFixture {
  /** The live server's runtime: manual clock, database, `app.inject` for set-up through the API. */
  readonly rt: TestRuntime;
  /** The live server's address, e.g. http://127.0.0.1:41234; pages resolve relative URLs against it. */
  readonly baseUrl: string;
  /** The screenshots folder, with `withBrowser({ attachmentsDir: true })`. */
  readonly attachmentsDir: string;
  /** A new browser context (French locale) and its page, watched for console and script errors. */
  open(): Promise<BrowserSession>;
}

/**
 * The browser and the live server of one test file. Call it at the top of a `describe`: it
 * registers the `before` hook that starts both (hooks the file registers afterwards run after
 * it, with the server up) and the `after` hook that closes every page, the browser and the
 * server — each step even when an earlier one, or `before`, failed.
 */
export function withBrowser(options: WithBrowserOptions = {}): BrowserFixture {
  let server: LiveServer | undefined;
  let browser: Browser | undefined;
  let dir: string | undefined;
  const sessions: BrowserSession[] = [];
  const closeSessions = async () => {
    for (const s of sessions.splice(0)) await s.context.close().catch(() => {});
  };
  const ready = <T>(value: T | undefined, what: string): T => {
    if (value === undefined) throw new Error(`withBrowser(): ${what} is not there (used outside a test or hook, or before() failed)`);
    return value;
  };

  before(async () => {
    if (options.attachmentsDir) dir = await mkdtemp(path.join(tmpdir(), 'kairos-e2e-attachments-'));
    server = await startLiveServer({ ...options.env, ...(dir ? { ATTACHMENTS_DIR: dir } : {}) }, options.localhost);
    browser = await launchBrowser();
  });
  if (options.closeSessionsAfterEach) afterEach(closeSessions);
  after(async () => {
    await closeSessions();
    await browser?.close().catch(() => {});
    try {
      await server?.rt.stop();
    } finally {
      if (dir) await rm(dir, { recursive: true, force: true });
    }
  });

  return {
    get rt() {
      return ready(server, 'the live server').rt;
    },
    get baseUrl() {
      return ready(server, 'the live server').baseUrl;
    },
    get attachmentsDir() {
      return ready(dir, 'the attachments folder (withBrowser({ attachmentsDir: true }))');
    },
    async open() {
      const context = await ready(browser, 'the browser').newContext({ baseURL: ready(server, 'the live server').baseUrl, locale: 'fr-FR' });
      const page = await context.newPage();
      const session = { context, page, watch: watchPage(page) };
      sessions.push(session);
      return session;
    },
  };
}

/** Console and script errors of a page; CSP refusals are reported by Chromium as console errors. */
export interface PageWatch {
  consoleErrors: string[];
  pageErrors: string[];
  cspViolations(): string[];
}

function watchPage(page: Page): PageWatch {
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

/** Fails when Chromium refused something under the CSP or a script of the page threw. */
export function assertNoCspViolation(watch: PageWatch): void {
  assert.deepEqual(watch.cspViolations(), [], `CSP violations:\n${watch.cspViolations().join('\n')}`);
  assert.deepEqual(watch.pageErrors, [], `script errors:\n${watch.pageErrors.join('\n')}`);
}

export interface BrowserSession {
  context: BrowserContext;
  page: Page;
  watch: PageWatch;
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
    page.getByRole('button', { name: 'Se connecter', exact: true }).click(),
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
