// WORKERS=N with a real process: one port served by N server processes (node:cluster), mail jobs
// and recurring jobs run once whatever process polls, SIGTERM stops them all; with the embedded
// database, or a bad value, the start is refused before anything opens.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import pg from 'pg';
import { freePort, kill9, startKairos, stopServer, waitForBanner, withTimeout, type Kairos } from '../helpers/processes.js';
import { collectingSmtp, until } from '../helpers/fault-support.js';
import { createPostgresDatabase } from '../helpers/runtime.js';

const enabled = !!process.env.TEST_DATABASE_URL;
const MAILS = 60;

/** The pids of a process's children (the cluster's server processes). */
function childPids(pid: number): number[] {
  try {
    return execFileSync('ps', ['-o', 'pid=', '--ppid', String(pid)], { encoding: 'utf8' }).split('\n').map((l) => Number(l.trim())).filter((n) => n > 0);
  } catch {
    return []; // ps exits 1 when there is none
  }
}

/** The pids named by the request logs (pino writes each process's pid on its lines). */
function answeringPids(stdout: string): Set<number> {
  const pids = new Set<number>();
  for (const line of stdout.split('\n')) {
    if (!line.startsWith('{')) continue;
    const entry = JSON.parse(line) as { pid?: number; msg?: string };
    if (entry.msg === 'request completed' && entry.pid) pids.add(entry.pid);
  }
  return pids;
}

describe('WORKERS=2 on PostgreSQL', { skip: enabled ? false : 'needs TEST_DATABASE_URL' }, () => {
  let db: Awaited<ReturnType<typeof createPostgresDatabase>>;
  let sql: pg.Client;
  let smtp: Awaited<ReturnType<typeof collectingSmtp>>;
  let attachments = '';
  let server: Kairos | null = null;

  before(async () => {
    db = await createPostgresDatabase();
    sql = new pg.Client({ connectionString: db.url });
    await sql.connect();
    smtp = await collectingSmtp();
    attachments = mkdtempSync(path.join(tmpdir(), 'kairos-workers-'));
  });
  after(async () => {
    if (server) await kill9(server);
    for (const pid of server ? childPids(server.child.pid!) : []) process.kill(pid, 'SIGKILL');
    await sql?.end();
    await smtp?.close();
    await db?.drop();
    rmSync(attachments, { recursive: true, force: true });
  });

  const count = async (query: string) => Number((await sql.query(query)).rows[0].n);

  it('starts two server processes on one port, prints one banner, and both answer', { timeout: 300_000 }, async () => {
    const port = await freePort();
    server = startKairos({
      DATABASE_URL: db.url,
      ATTACHMENTS_DIR: attachments,
      SEED_DEMO: 'true',
      SMTP_URL: `smtp://127.0.0.1:${smtp.port}`,
      JOB_POLL_MS: '100',
      LOG_LEVEL: 'info',
      RATE_LIMIT_PER_MINUTE: '100000',
      WORKERS: '2',
      PORT: String(port),
    });
    const banner = await waitForBanner(server);
    assert.match(banner, /Processus serveur : 2 \(WORKERS\)/);
    assert.equal(banner.match(/Kairos est démarré/g)?.length, 1, 'one banner, from the primary');
    assert.equal(banner.match(/Données de démonstration créées\./g)?.length, 1, 'demo data seeded once');
    const workers = childPids(server.child.pid!);
    assert.equal(workers.length, 2, `two server processes: ${workers.join(', ')}`);
    // A new connection each time: the primary hands them round-robin.
    for (let i = 0; i < 20; i++) {
      const res = await fetch(`http://127.0.0.1:${port}/connexion`, { headers: { connection: 'close' } });
      assert.equal(res.status, 200);
      await res.arrayBuffer();
    }
    await until(() => answeringPids(server!.stdout()).size >= 2, 10_000, 'request logs of both processes');
    assert.deepEqual([...answeringPids(server.stdout())].sort(), [...workers].sort(), 'each answering pid is one of the two server processes');
    assert.equal(await count("select count(*) as n from account where login = 'devis.demo'"), 1);
  });

  it(`delivers ${MAILS} mail jobs exactly once each, and keeps one run per period of each recurring job`, { timeout: 180_000 }, async () => {
    await sql.query(
      `insert into job (kind, payload, run_at, created_at)
       select 'mail.send', jsonb_build_object('to', 'lot' || g || '@exemple.fr', 'subject', 'Lot ' || g, 'text', 'Bonjour.'), now(), now()
       from generate_series(1, ${MAILS}) g`,
    );
    await until(() => smtp.subjects.filter((s) => s.startsWith('Lot ')).length >= MAILS, 120_000, 'all mails delivered');
    await sleep(1_000); // a duplicate would arrive now
    const lots = smtp.subjects.filter((s) => s.startsWith('Lot '));
    assert.equal(lots.length, MAILS, 'no mail twice');
    assert.equal(new Set(lots).size, MAILS);
    const live = "status in ('pending', 'running') and payload ? 'slot'";
    const kinds = (await sql.query(`select kind, count(*)::int as n from job where ${live} group by kind`)).rows as Array<{ kind: string; n: number }>;
    assert.ok(kinds.length >= 5, JSON.stringify(kinds));
    for (const k of kinds) assert.equal(k.n, 1, `${k.kind}: one pending run, not one per process`);
  });

  it('SIGTERM to the primary stops every server process, exit 0', { timeout: 60_000 }, async () => {
    const workers = childPids(server!.child.pid!);
    assert.equal(await stopServer(server!), 0, server!.stderr());
    for (const pid of workers) assert.throws(() => process.kill(pid, 0), { code: 'ESRCH' }, `server process ${pid} stopped`);
    server = null;
  });
});

describe('WORKERS refused before anything opens', () => {
  it('in embedded mode (PGlite): exit 1, a French message naming WORKERS and DATABASE_URL, no data folder', { timeout: 60_000 }, async () => {
    const folder = mkdtempSync(path.join(tmpdir(), 'kairos-workers-pglite-'));
    try {
      const k = startKairos({ DATA_DIR: path.join(folder, 'data'), WORKERS: '2', PORT: String(await freePort()) });
      assert.equal(await withTimeout(k.exited, 30_000, 'exit'), 1);
      assert.match(k.stderr(), /WORKERS=2 : plusieurs processus serveur demandent PostgreSQL \(DATABASE_URL\)/);
      assert.match(k.stderr(), /mettez WORKERS=1/);
      assert.deepEqual(readdirSync(folder), [], 'the data folder was not created');
    } finally {
      rmSync(folder, { recursive: true, force: true });
    }
  });

  it('a value that is not an integer from 1 to 64: exit 1 naming WORKERS', { timeout: 60_000 }, async () => {
    for (const value of ['0', 'deux', '65']) {
      const k = startKairos({ DATABASE_URL: 'postgres://postgres@127.0.0.1:1/nulle', WORKERS: value, PORT: String(await freePort()) });
      assert.equal(await withTimeout(k.exited, 30_000, 'exit'), 1, `WORKERS=${value}`);
      assert.match(k.stderr(), /WORKERS: /, `WORKERS=${value}: ${k.stderr()}`);
    }
  });
});
