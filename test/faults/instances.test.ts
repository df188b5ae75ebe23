// Two real processes on one PostgreSQL database, started together on an empty one: both start
// (migrations and demo data serialised), 200 mail jobs leave exactly once each, recurring jobs
// run once per period, and two decisions on one quote through the two instances: one wins.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import pg from 'pg';
import { freePort, kill9, signInOverHttp, startKairos, stopServer, waitForBanner, type HttpSession, type Kairos } from '../helpers/processes.js';
import { validQuote } from '../helpers/quotes.js';
import { collectingSmtp, until } from '../helpers/fault-support.js';
import { createPostgresDatabase } from '../helpers/runtime.js';

const enabled = !!process.env.TEST_DATABASE_URL;
const MAILS = 200;

describe('several instances on one PostgreSQL database', { skip: enabled ? false : 'needs TEST_DATABASE_URL' }, () => {
  let db: Awaited<ReturnType<typeof createPostgresDatabase>>;
  let sql: pg.Client;
  let smtp: Awaited<ReturnType<typeof collectingSmtp>>;
  let attachments = '';
  const instances: Kairos[] = [];

  before(async () => {
    db = await createPostgresDatabase();
    sql = new pg.Client({ connectionString: db.url });
    await sql.connect();
    smtp = await collectingSmtp();
    attachments = mkdtempSync(path.join(tmpdir(), 'kairos-instances-'));
  });
  after(async () => {
    for (const k of instances) await kill9(k);
    await sql?.end();
    await smtp?.close();
    await db?.drop();
    rmSync(attachments, { recursive: true, force: true });
  });

  const count = async (query: string) => Number((await sql.query(query)).rows[0].n);

  it('both start on an empty database at the same moment: migrations and demo data happen once', { timeout: 300_000 }, async () => {
    const env = { DATABASE_URL: db.url, ATTACHMENTS_DIR: attachments, SEED_DEMO: 'true', SMTP_URL: `smtp://127.0.0.1:${smtp.port}`, JOB_POLL_MS: '100', LOG_LEVEL: 'warn', RATE_LIMIT_PER_MINUTE: '100000' };
    const ports = [await freePort(), await freePort()];
    instances.push(...ports.map((port) => startKairos({ ...env, PORT: String(port) })));
    const banners = await Promise.all(instances.map((k) => waitForBanner(k)));
    assert.equal(banners.filter((b) => b.includes('Données de démonstration créées.')).length, 1, banners.join('\n'));
    assert.equal(banners.filter((b) => b.includes('Données de démonstration déjà présentes (conservées).')).length, 1);
    assert.equal(await count('select count(*) as n from kysely_migration'), await count('select count(distinct name) as n from kysely_migration'));
    assert.equal(await count("select count(*) as n from account where login = 'devis.demo'"), 1);
    for (const k of instances) assert.equal((await fetch(`http://127.0.0.1:${k.port}/readyz`)).status, 200);
  });

  it(`delivers ${MAILS} mail jobs exactly once each between the two workers`, { timeout: 180_000 }, async () => {
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
    assert.equal(await count("select count(*) as n from job where kind = 'mail.send' and payload->>'subject' like 'Lot %' and status = 'done'"), MAILS);
  });

  it('keeps one run per period of each recurring job', { timeout: 120_000 }, async () => {
    const live = "status in ('pending', 'running') and payload ? 'slot'";
    const kinds = (await sql.query(`select kind, count(*)::int as n from job where ${live} group by kind`)).rows as Array<{ kind: string; n: number }>;
    assert.ok(kinds.length >= 5, JSON.stringify(kinds));
    for (const k of kinds) assert.equal(k.n, 1, `${k.kind}: one pending run, not one per instance`);
    // Every chain's slot comes now: each runs once, and schedules exactly one next run.
    await sql.query(`update job set run_at = now() where ${live}`);
    await until(async () => (await count(`select count(*) as n from job where payload ? 'slot' and status = 'done'`)) >= kinds.length, 60_000, 'the due runs ran');
    await sleep(1_000);
    for (const { kind } of kinds) {
      const rows = (await sql.query('select status, count(*)::int as n from job where kind = $1 group by status', [kind])).rows as Array<{ status: string; n: number }>;
      const by = Object.fromEntries(rows.map((r) => [r.status, r.n]));
      assert.deepEqual(by, { done: 1, pending: 1 }, `${kind}: ${JSON.stringify(by)}`);
    }
  });

  it('lets exactly one of two decisions on one quote win, each sent to another instance', { timeout: 120_000 }, async () => {
    const [a, b] = instances as [Kairos, Kairos];
    const editor = await signInOverHttp(a.port, 'devis.demo');
    const candidate = await signInOverHttp(b.port, 'candidat.demo');
    const advisor = await signInOverHttp(a.port, 'conseiller.demo');
    const call = async (k: Kairos, who: HttpSession, method: string, url: string, body?: unknown) => {
      const res = await fetch(`http://127.0.0.1:${k.port}${url}`, { method, headers: { ...who.headers, 'content-type': 'application/json' }, ...(body === undefined ? {} : { body: JSON.stringify(body) }) });
      return { status: res.status, body: (await res.json()) as Record<string, unknown> };
    };
    const today = new Date().toISOString().slice(0, 10);
    const draft = await call(a, editor, 'POST', '/api/v1/quotes', validQuote(today));
    assert.equal(draft.status, 201, JSON.stringify(draft.body));
    const id = String(draft.body.id);
    assert.equal((await call(b, editor, 'POST', `/api/v1/quotes/${id}/submit`, {})).status, 200);
    assert.equal((await call(b, candidate, 'POST', `/api/v1/quotes/${id}/candidate-decision`, { decision: 'accept' })).status, 200);
    const [approve, refuse] = await Promise.all([
      call(a, advisor, 'POST', `/api/v1/quotes/${id}/decision`, { decision: 'approve' }),
      call(b, advisor, 'POST', `/api/v1/quotes/${id}/decision`, { decision: 'refuse', reason: 'Financement déjà accordé ailleurs.' }),
    ]);
    assert.deepEqual([approve.status, refuse.status].sort(), [200, 409], JSON.stringify([approve, refuse]));
    const status = (await sql.query('select status from quote where id = $1', [id])).rows[0].status;
    assert.equal(status, approve.status === 200 ? 'approved' : 'refused');
    assert.equal(await count(`select count(*) as n from training where quote_id = '${id}'`), status === 'approved' ? 1 : 0);
  });

  it('both stop cleanly', { timeout: 60_000 }, async () => {
    for (const k of instances.splice(0)) assert.equal(await stopServer(k), 0, k.stderr());
  });
});
