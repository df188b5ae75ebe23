/**
 * Real Kairos processes for the start-up and fault tests: `npm start` without npm (the same
 * entry point, scripts/start.mjs, hence the bundle of dist/), commands (`audit:verify`, `backup`, `restore`), and sign-in over real HTTP.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import http from 'node:http';
import net, { type AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import { DEMO_PASSWORD, DEMO_TOTP_SECRET } from '../../src/demo/accounts.js';
import { totpCodeAt } from '../../src/modules/identity/second-factor/totp.js';

export const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
// A liveness bound, not a speed check (bench/ measures speed): generous, because CI runs two
// test files at once on two cores, and a start may build the bundle or transpile the sources.
export const START_TIMEOUT_MS = 180_000;

/** A port nobody listens on right now (main.ts prints config.port, so PORT=0 would print :0). */
export async function freePort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

export interface Kairos {
  child: ChildProcess;
  port: number;
  stdout(): string;
  stderr(): string;
  /** Resolves with the exit code (or the signal that killed it). */
  exited: Promise<number | string>;
  /** Whether the process has not exited yet. */
  alive(): boolean;
}

/** A clean environment of our own: nothing of the test runner's leaks in (DATABASE_URL…). */
/**
 * The processes run in development mode, where the demo world is on by default: these tests are
 * about start-up, faults and backups on the accounts-only demo data, so the world stays off unless
 * a test asks for it (test/integration/demo-world.test.ts covers it).
 */
function baseEnv(env: Record<string, string>): NodeJS.ProcessEnv {
  return { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? tmpdir(), SEED_DEMO_WORLD: 'false', ...env };
}

export interface StartOptions {
  /** The project folder to start from (a copy, for the build tests); this project by default. */
  project?: string;
  /**
   * `start`: scripts/start.mjs, what `npm start` runs (the bundle of dist/, built when stale);
   * `sources`: src/main.ts through tsx, what that script falls back to when it cannot build.
   */
  via?: 'start' | 'sources';
}

/**
 * The node flags of `npm start` (package.json's start script, `node <flags> scripts/start.mjs`),
 * so that tests and benches run the server as it is started (decision 0040).
 */
export const NPM_START_NODE_FLAGS: string[] = (() => {
  const start = (JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8')) as { scripts: { start: string } }).scripts.start;
  const match = /^node((?:\s+--\S+)*)\s+scripts\/start\.mjs$/.exec(start.trim());
  if (!match) throw new Error(`npm start is not \`node [flags] scripts/start.mjs\`: ${start}`);
  return match[1]!.trim().split(/\s+/).filter(Boolean);
})();

const ENTRY = { start: [...NPM_START_NODE_FLAGS, 'scripts/start.mjs'], sources: ['--import', 'tsx', 'src/main.ts'] } as const;

export function startKairos(env: Record<string, string>, port = Number(env.PORT), options: StartOptions = {}): Kairos {
  const child = spawn(process.execPath, ENTRY[options.via ?? 'start'], { cwd: options.project ?? root, env: baseEnv(env), stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  let err = '';
  child.stdout!.setEncoding('utf8').on('data', (c: string) => (out += c));
  child.stderr!.setEncoding('utf8').on('data', (c: string) => (err += c));
  let done = false;
  const exited = new Promise<number | string>((resolve) =>
    child.once('exit', (code, signal) => {
      done = true;
      resolve(code ?? signal ?? -1);
    }),
  );
  return { child, port, stdout: () => out, stderr: () => err, exited, alive: () => !done };
}

export const BANNER = /^Kairos est démarré : (.+)$/m;

/** Waits for the start banner (its last line); fails with the output if the process exits first. */
export async function waitForBanner(k: Kairos, timeoutMs = START_TIMEOUT_MS): Promise<string> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    // The banner is written in one piece: its last line is the sign-in URL in demo mode.
    const out = k.stdout();
    if (BANNER.test(out) && /Base de données : [^\n]*\n/.test(out) && (!out.includes('Comptes de démonstration') || /Connexion : \S+\/connexion\n/.test(out))) return out;
    if (!k.alive()) throw new Error(`Kairos exited (${await k.exited}) before starting:\n${k.stdout()}\n${k.stderr()}`);
    await sleep(50);
  }
  throw new Error(`no banner after ${timeoutMs} ms:\n${k.stdout()}\n${k.stderr()}`);
}

/** Starts a server and waits until it serves. */
export async function startServer(env: Record<string, string>, options: StartOptions = {}): Promise<Kairos> {
  const k = startKairos(env, Number(env.PORT), options);
  await waitForBanner(k);
  return k;
}

export async function kill9(k: Kairos): Promise<void> {
  if (k.alive()) k.child.kill('SIGKILL');
  await k.exited;
}

export async function stopServer(k: Kairos, timeoutMs = 20_000): Promise<number | string> {
  if (!k.alive()) return k.exited;
  k.child.kill('SIGTERM');
  return withTimeout(k.exited, timeoutMs, 'exit after SIGTERM');
}

export async function withTimeout<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_resolve, reject) => {
    timer = setTimeout(() => reject(new Error(`${what}: no answer after ${ms} ms`)), ms);
  });
  try {
    return await Promise.race([promise, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

export interface CommandResult {
  code: number | string;
  stdout: string;
  stderr: string;
  ms: number;
}

/** Runs a command of package.json (its TypeScript entry point) with this environment. */
export function runCommand(script: string, args: string[], env: Record<string, string>, timeoutMs = 120_000): Promise<CommandResult> {
  const started = Date.now();
  const child = spawn(process.execPath, ['--import', 'tsx', script, ...args], { cwd: root, env: baseEnv(env), stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout!.setEncoding('utf8').on('data', (c: string) => (stdout += c));
  child.stderr!.setEncoding('utf8').on('data', (c: string) => (stderr += c));
  const done = new Promise<CommandResult>((resolve) =>
    child.once('exit', (code, signal) => resolve({ code: code ?? signal ?? -1, stdout, stderr, ms: Date.now() - started })),
  );
  return withTimeout(done, timeoutMs, script).catch((err) => {
    child.kill('SIGKILL');
    throw err;
  });
}

export const COMMANDS = {
  auditVerify: 'src/modules/audit/verify-cli.ts',
  auditCheckpoint: 'src/modules/audit/checkpoint-cli.ts',
  backup: 'src/backup/backup-cli.ts',
  restore: 'src/backup/restore-cli.ts',
  seedScale: 'bench/scale/cli.ts',
  demoReset: 'src/demo/reset-cli.ts',
} as const;

export interface HttpSession {
  cookie: string;
  csrfToken: string;
  headers: Record<string, string>;
}

/**
 * Signs a demo account in over HTTP with the code of the current 30-second step. A code is
 * single-use per account: sign each account in once per database, or wait for the next step.
 */
export async function signInOverHttp(port: number, login: string): Promise<HttpSession> {
  const res = await fetch(`http://127.0.0.1:${port}/api/v1/session`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ login, password: DEMO_PASSWORD, otp: totpCodeAt(DEMO_TOTP_SECRET, new Date()) }),
  });
  if (res.status !== 200) throw new Error(`sign-in of ${login} failed: ${res.status} ${await res.text()}`);
  const cookie = res.headers.getSetCookie().map((c) => c.split(';')[0]).find((c) => c.includes('kairos_session'))!;
  const { csrfToken } = (await res.json()) as { csrfToken: string };
  return { cookie, csrfToken, headers: { cookie, 'x-csrf-token': csrfToken } };
}

/**
 * Starts a POST whose headers and first half of the body reach the server now; the rest is
 * sent by `finish()`. Until then the request is in flight on the server side.
 */
export function partialPost(port: number, urlPath: string, body: string, headers: Record<string, string> = {}) {
  const bytes = Buffer.from(body);
  const half = Math.floor(bytes.length / 2);
  const req = http.request({
    host: '127.0.0.1',
    port,
    method: 'POST',
    path: urlPath,
    headers: { 'content-type': 'application/json', 'content-length': String(bytes.length), ...headers },
  });
  const response = new Promise<{ status: number; headers: http.IncomingHttpHeaders; body: string }>((resolve, reject) => {
    req.on('response', (res) => {
      let text = '';
      res.setEncoding('utf8').on('data', (c: string) => (text += c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: text }));
      res.on('error', reject);
    });
    req.on('error', reject);
  });
  req.flushHeaders();
  req.write(bytes.subarray(0, half));
  return { response, finish: () => req.end(bytes.subarray(half)) };
}


function incomingCount(k: Kairos, route: string): number {
  return k.stdout().split('\n').filter((l) => l.includes('"msg":"incoming request"') && l.includes(`"route":"${route}"`)).length;
}

/**
 * A sign-in attempt (wrong password) whose first half has reached the server, which logged it
 * (LOG_LEVEL info): a request in flight. Under load a connection can reach the server after a
 * signal sent "200 ms later", so this waits for the server's word instead of a fixed delay.
 */
export async function sendInFlight(k: Kairos) {
  const before = incomingCount(k, '/api/v1/session');
  const inFlight = partialPost(k.port, '/api/v1/session', JSON.stringify({ login: 'rgc.demo', password: 'Mauvais-mot-de-passe-2026', otp: '000000' }));
  const deadline = Date.now() + 30_000;
  while (incomingCount(k, '/api/v1/session') <= before) {
    if (Date.now() > deadline) throw new Error(`the request did not reach the server:\n${k.stdout().slice(-2000)}`);
    await sleep(20);
  }
  return inFlight;
}
