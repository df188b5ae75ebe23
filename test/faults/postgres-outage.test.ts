// PostgreSQL goes away (a proxy between the application and the server cuts every connection
// and refuses new ones), then comes back: answers are quick 503s with a French detail and
// Retry-After, never a hang, a 500 or a crash; /readyz says 503; the job worker pauses and
// resumes; service is back within 10 s without restarting. A runaway statement is a 503 too.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import pg from 'pg';
import { createPostgresDatabase, startTestRuntime, type TestRuntime } from '../helpers/runtime.js';
import { signInAs, type SignedIn } from '../helpers/session.js';
import { startTcpProxy, type TcpProxy } from '../helpers/tcp-proxy.js';

const enabled = !!process.env.TEST_DATABASE_URL;

async function timed<T>(work: () => Promise<T>): Promise<{ value: T; ms: number }> {
  const started = Date.now();
  const value = await work();
  return { value, ms: Date.now() - started };
}

async function until(check: () => boolean | Promise<boolean>, ms: number, what: string): Promise<number> {
  const started = Date.now();
  while (!(await check())) {
    if (Date.now() - started > ms) throw new Error(`${what}: not within ${ms} ms`);
    await sleep(100);
  }
  return Date.now() - started;
}

describe('PostgreSQL outage and recovery', { skip: enabled ? false : 'needs TEST_DATABASE_URL' }, () => {
  let db: Awaited<ReturnType<typeof createPostgresDatabase>>;
  let proxy: TcpProxy;
  let rt: TestRuntime;
  let editor: SignedIn;
  const ran: string[] = [];

  before(async () => {
    db = await createPostgresDatabase();
    const target = new URL(db.url);
    proxy = await startTcpProxy(target.hostname, Number(target.port || 5432));
    rt = await startTestRuntime('postgres', { databaseUrl: proxy.via(db.url), env: { DB_STATEMENT_TIMEOUT_MS: '1500', JOB_POLL_MS: '100' } });
    editor = await signInAs(rt.app, rt.clock, 'devis.demo');
    rt.worker.register('test.after-outage', async (payload) => {
      ran.push(String(payload.name));
    });
  });
  after(async () => {
    await rt?.stop();
    await proxy?.close();
    await db?.drop();
  });

  it('answers 503 quickly while the database is away, and resumes within 10 s once it is back', { timeout: 120_000 }, async () => {
    rt.worker.start();
    await until(() => rt.logs.some((l) => l.includes('recurring jobs scheduled')), 10_000, 'worker polling');
    const due = new Date(rt.clock.now().getTime() + 60_000);
    await rt.ctx.db.insertInto('job').values({ kind: 'test.after-outage', payload: JSON.stringify({ name: 'queued before' }), run_at: due, created_at: rt.clock.now(), locked_at: null, locked_by: null, last_error: null, finished_at: null }).execute();
    assert.equal((await rt.app.inject({ method: 'GET', url: '/readyz' })).statusCode, 200);

    await proxy.cut();
    rt.clock.advance(120_000); // the job is due while the database is away

    const ready = await timed(() => rt.app.inject({ method: 'GET', url: '/readyz' }));
    assert.equal(ready.value.statusCode, 503);
    assert.ok(ready.ms < 5_000, `/readyz took ${ready.ms} ms`);

    const api = await timed(() => rt.app.inject({ method: 'GET', url: '/api/v1/me', headers: editor.headers }));
    assert.equal(api.value.statusCode, 503, api.value.body);
    assert.ok(api.ms < 5_000, `API took ${api.ms} ms`);
    assert.equal(api.value.headers['content-type'], 'application/problem+json; charset=utf-8');
    assert.equal(api.value.headers['retry-after'], '5');
    assert.equal(api.value.json().status, 503);
    assert.match(api.value.json().detail, /momentanément indisponible.*Réessayez/);

    const write = await timed(() =>
      rt.app.inject({ method: 'POST', url: '/api/v1/support-requests', headers: editor.headers, payload: { category: 'devis', subject: 'Pendant la panne', description: 'Écrit pendant que la base est injoignable.' } }),
    );
    assert.equal(write.value.statusCode, 503, write.value.body);
    assert.ok(write.ms < 5_000, `write took ${write.ms} ms`);

    const page = await timed(() => rt.app.inject({ method: 'GET', url: '/portail', headers: { cookie: editor.cookie } }));
    assert.equal(page.value.statusCode, 503);
    assert.ok(page.ms < 5_000, `page took ${page.ms} ms`);
    assert.match(String(page.value.headers['content-type']), /text\/html/);
    assert.match(page.value.body, /Service indisponible/);
    assert.equal(page.value.headers['retry-after'], '5');

    await until(() => rt.logs.some((l) => l.includes('job worker paused: the database is unavailable')), 10_000, 'worker paused');
    assert.equal(ran.length, 0);

    await proxy.restore();
    const back = await until(async () => (await rt.app.inject({ method: 'GET', url: '/api/v1/me', headers: editor.headers })).statusCode === 200, 10_000, 'service back');
    assert.ok(back <= 10_000);
    assert.equal((await rt.app.inject({ method: 'GET', url: '/readyz' })).statusCode, 200);
    await until(() => ran.includes('queued before'), 10_000, 'the worker resumed and ran the due job');
    // The worker says so once the poll that ran the job has finished.
    await until(() => rt.logs.some((l) => l.includes('job worker resumed')), 10_000, 'the worker logged its resumption');

    const stored = await rt.ctx.db.selectFrom('support_request').select('id').where('subject', '=', 'Pendant la panne').execute();
    assert.equal(stored.length, 0, 'nothing stored by the refused write');
    const metrics = (await rt.app.inject({ method: 'GET', url: '/metrics' })).body;
    assert.match(metrics, /^kairos_database_unavailable_total\{source="request"\} [1-9]/m);
    assert.match(metrics, /^kairos_database_unavailable_total\{source="job_worker"\} [1-9]/m);
    assert.ok(!rt.logs.some((l) => l.includes('"level":50') && l.includes('unexpected error')), 'no 500 logged');
    await rt.worker.stop();
  });

  it('handles errors of idle pooled connections without crashing', { timeout: 60_000 }, async () => {
    // Fill the pool with idle connections, then cut them while nobody uses them.
    await Promise.all(Array.from({ length: 4 }, () => rt.app.inject({ method: 'GET', url: '/readyz' })));
    await proxy.cut();
    await until(() => rt.logs.some((l) => l.includes('idle database connection lost')), 5_000, 'idle error handled');
    await proxy.restore();
    await until(async () => (await rt.app.inject({ method: 'GET', url: '/readyz' })).statusCode === 200, 10_000, 'ready again');
    assert.match((await rt.app.inject({ method: 'GET', url: '/metrics' })).body, /^kairos_database_unavailable_total\{source="idle_connection"\} [1-9]/m);
  });

  it('turns a statement that outlives DB_STATEMENT_TIMEOUT_MS into a 503', { timeout: 60_000 }, async () => {
    // Another client holds a lock every signed-in request needs: the session lookup waits.
    const blocker = new pg.Client({ connectionString: db.url });
    await blocker.connect();
    try {
      await blocker.query('begin');
      await blocker.query('lock table session in access exclusive mode');
      const answer = await timed(() => rt.app.inject({ method: 'GET', url: '/api/v1/me', headers: editor.headers }));
      assert.equal(answer.value.statusCode, 503, answer.value.body);
      assert.ok(answer.ms >= 1_400 && answer.ms < 5_000, `answered after ${answer.ms} ms`);
      assert.match(answer.value.json().detail, /a pris trop de temps et a été interrompu/);
      assert.equal(answer.value.headers['retry-after'], '5');
    } finally {
      await blocker.query('rollback');
      await blocker.end();
    }
    assert.equal((await rt.app.inject({ method: 'GET', url: '/api/v1/me', headers: editor.headers })).statusCode, 200);
  });
});
