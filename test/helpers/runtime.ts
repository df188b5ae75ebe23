import { randomBytes } from 'node:crypto';
import { Writable } from 'node:stream';
import pg from 'pg';
import { ManualClock } from '../../src/clock.js';
import { loadConfig } from '../../src/config.js';
import type { Engine } from '../../src/db/database.js';
import { createRuntime, type Runtime } from '../../src/runtime.js';
import { loadTemplate } from './template.js';

/** PGlite always; PostgreSQL too when TEST_DATABASE_URL is set (CI sets it). */
export const ENGINES: Engine[] = process.env.TEST_DATABASE_URL ? ['pglite', 'postgres'] : ['pglite'];

export interface TestRuntime extends Runtime {
  clock: ManualClock;
  /** Every log line the app wrote, for checks that nothing sensitive leaks. */
  logs: string[];
  stop(): Promise<void>;
}

/** A database of its own on the test server, dropped at the end. */
export async function createPostgresDatabase(): Promise<{ url: string; drop(): Promise<void> }> {
  const adminUrl = process.env.TEST_DATABASE_URL!;
  const name = `kairos_test_${process.pid}_${randomBytes(4).toString('hex')}`;
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  await admin.query(`create database ${name}`);
  await admin.end();
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    async drop() {
      const c = new pg.Client({ connectionString: adminUrl });
      await c.connect();
      await c.query(`drop database if exists ${name} with (force)`);
      await c.end();
    },
  };
}

export async function startTestRuntime(
  engine: Engine,
  options: {
    env?: Record<string, string>;
    clock?: ManualClock;
    /**
     * PostgreSQL only: run on this (empty) database instead of a throwaway one, and leave it in
     * place at the end, e.g. for CI to run `npm run audit:verify` on what the test wrote.
     */
    databaseUrl?: string;
  } = {},
): Promise<TestRuntime> {
  const clock = options.clock ?? new ManualClock(new Date());
  const kept = engine === 'postgres' && options.databaseUrl ? { url: options.databaseUrl, async drop() {} } : null;
  const pgDb = kept ?? (engine === 'postgres' ? await createPostgresDatabase() : null);
  const config = loadConfig({
    NODE_ENV: 'test',
    SEED_DEMO: 'true',
    LOG_LEVEL: 'info',
    RATE_LIMIT_PER_MINUTE: '100000',
    ...(pgDb ? { DATABASE_URL: pgDb.url } : {}),
    ...options.env,
  });
  const logs: string[] = [];
  const logStream = new Writable({
    write(chunk, _enc, done) {
      logs.push(...String(chunk).split('\n').filter(Boolean));
      done();
    },
  });
  const runtime = await createRuntime(config, {
    clock,
    logStream,
    inMemory: true,
    loadDataDir: engine === 'pglite' ? loadTemplate() : undefined,
  });
  await runtime.app.ready();
  return Object.assign(runtime, {
    clock,
    logs,
    async stop() {
      await runtime.close();
      await pgDb?.drop();
    },
  });
}
