// Processes and data of bench/hot-path.ts: the bench database (created and generated once), the
// real server and the bare baseline started as children, demo accounts signed in over HTTP.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { DEMO_PASSWORD, DEMO_TOTP_SECRET } from '../../src/demo/accounts.js';
import { totpCodeAt } from '../../src/modules/identity/second-factor/totp.js';

export const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

/** What `npm run seed:scale` adds to an empty bench database, beside the demo world. */
const SCALE = ['--organisations', '50', '--candidates', '20000', '--months', '6'];

/** Creates the database if missing and fills it once (seed:scale); later runs reuse it. */
export async function prepareDatabase(url: string): Promise<void> {
  const target = new URL(url);
  const name = decodeURIComponent(target.pathname.slice(1));
  const admin = new URL(url);
  admin.pathname = '/postgres';
  const client = new pg.Client({ connectionString: admin.toString() });
  await client.connect();
  try {
    const exists = await client.query('select 1 from pg_database where datname = $1', [name]);
    if (exists.rowCount === 0) await client.query(`create database "${name.replaceAll('"', '""')}"`);
  } finally {
    await client.end();
  }
  const filled = await query<{ n: string }>(url, `select count(*) as n from organisation`).catch(() => [{ n: '0' }]);
  if (Number(filled[0]!.n) > 10) return;
  process.stderr.write(`seed:scale ${SCALE.join(' ')} on ${name}…\n`);
  const result = spawnSync(process.execPath, ['--import', 'tsx', 'bench/scale/cli.ts', ...SCALE], {
    cwd: root,
    env: { ...process.env, DATABASE_URL: url, SEED_DEMO: 'true' },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  if (result.status !== 0) throw new Error(`seed:scale failed (${result.status})`);
}

export async function query<T extends pg.QueryResultRow>(url: string, text: string, values: unknown[] = []): Promise<T[]> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return (await client.query<T>(text, values)).rows;
  } finally {
    await client.end();
  }
}

export { freePort } from '../../test/helpers/processes.js';

export interface Child {
  process: ChildProcess;
  stop(): Promise<void>;
}

/** CPU time (user + system, ms) a child has used so far: what a request costs, whatever the load. */
export function cpuMs(child: Child): number {
  const fields = readFileSync(`/proc/${child.process.pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
  // utime and stime, fields 14 and 15 of proc(5), in clock ticks (100 per second on Linux).
  return (Number(fields[11]) + Number(fields[12])) * 10;
}

/**
 * Spawns node on `script` and resolves once `ready` matches its stdout: a TypeScript file through
 * tsx, a JavaScript one as it is (scripts/start.mjs, with npm start's node flags, is what
 * `npm start` runs: the bundle of dist/).
 */
export function startChild(script: string, env: Record<string, string>, ready: RegExp, nodeArgs: string[] = []): Promise<Child & { output: string }> {
  const loader = /\.tsx?$/.test(script) ? ['--import', 'tsx'] : [];
  const child = spawn(process.execPath, [...nodeArgs, ...loader, script], {
    cwd: root,
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '/tmp', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  let err = '';
  child.stderr!.setEncoding('utf8').on('data', (c: string) => {
    err += c;
    if (err.length > 20_000) err = err.slice(-10_000);
  });
  const stop = () =>
    new Promise<void>((resolve) => {
      if (child.exitCode !== null) return resolve();
      child.once('exit', () => resolve());
      child.kill('SIGTERM');
    });
  return new Promise((resolve, reject) => {
    const onData = (c: string) => {
      out += c;
      if (ready.test(out)) {
        child.stdout!.off('data', onData);
        child.stdout!.resume();
        resolve({ process: child, stop, output: out });
      }
    };
    child.stdout!.setEncoding('utf8').on('data', onData);
    child.once('exit', (code) => reject(new Error(`${script} exited (${code}) before it was ready:\n${out}\n${err}`)));
  });
}

export interface Session {
  cookie: string;
  headers: Record<string, string>;
}

/** Signs a demo account in through POST /api/v1/session, with the TOTP code of the moment. */
export async function signIn(base: string, login: string): Promise<Session> {
  const res = await fetch(`${base}/api/v1/session`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ login, password: DEMO_PASSWORD, otp: totpCodeAt(DEMO_TOTP_SECRET, new Date()) }),
  });
  if (res.status !== 200) throw new Error(`sign-in of ${login}: ${res.status} ${await res.text()}`);
  const cookie = res.headers
    .getSetCookie()
    .map((c) => c.split(';')[0]!)
    .find((c) => c.includes('kairos_session='));
  if (!cookie) throw new Error(`sign-in of ${login}: no session cookie`);
  const { csrfToken } = (await res.json()) as { csrfToken: string };
  return { cookie, headers: { cookie, 'x-csrf-token': csrfToken } };
}
