import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { SMTPServer } from 'smtp-server';
import { loadConfig } from '../../src/config.js';
import { STALE_AFTER_MS, enqueueJob, retryDelayMs, type ClaimedJob } from '../../src/jobs/queue.js';
import { JobWorker } from '../../src/jobs/worker.js';
import { MAIL_JOB, queueMail } from '../../src/mail/mailer.js';
import { createRuntime } from '../../src/runtime.js';
import { ENGINES, startTestRuntime, type TestRuntime } from '../helpers/runtime.js';
import { signInAs } from '../helpers/session.js';

const FROM_ADDRESS = 'ne-pas-repondre@kairos.example';
const ACCENTED_SUBJECT = 'Votre accès à Kairos — récapitulatif de la journée';
const ACCENTED_TEXT = 'Bonjour Léa,\n\nVotre compte est prêt. À bientôt !\nÇa commence lundi : 9 h – 12 h.';

/** Decodes RFC 2047 encoded words (adjacent words joined first, so split characters survive). */
function decodeWords(value: string): string {
  const word = /=\?([^?]+)\?([QqBb])\?([^?]*)\?=/g;
  return value
    .replace(/(\?=)[ \t]+(?==\?)/g, '$1')
    .replace(/(?:=\?[^?]+\?[QqBb]\?[^?]*\?=)+/g, (run) => {
      const bytes: Buffer[] = [];
      for (const [, , encoding, data] of run.matchAll(word)) {
        bytes.push(
          encoding.toUpperCase() === 'B'
            ? Buffer.from(data, 'base64')
            : Buffer.from(data.replace(/_/g, ' ').replace(/=([0-9A-F]{2})/gi, (_m, h: string) => String.fromCharCode(parseInt(h, 16))), 'latin1'),
        );
      }
      return Buffer.concat(bytes).toString('utf8');
    });
}

/** A minimal RFC 822 reader for single-part text messages: decoded headers and body. */
function parseMessage(raw: string): { headers: Map<string, string>; body: string } {
  const text = raw.replace(/\r\n/g, '\n');
  const end = text.indexOf('\n\n');
  assert.ok(end > 0, 'message without a header block');
  const headers = new Map<string, string>();
  for (const line of text.slice(0, end).replace(/\n(?=[ \t])/g, '').split('\n')) {
    const colon = line.indexOf(':');
    headers.set(line.slice(0, colon).trim().toLowerCase(), decodeWords(line.slice(colon + 1).trim()));
  }
  let body = text.slice(end + 2);
  const encoding = headers.get('content-transfer-encoding')?.toLowerCase();
  if (encoding === 'quoted-printable') {
    body = Buffer.from(
      body.replace(/=\n/g, '').replace(/=([0-9A-F]{2})/gi, (_m, h: string) => String.fromCharCode(parseInt(h, 16))),
      'latin1',
    ).toString('utf8');
  } else if (encoding === 'base64') {
    body = Buffer.from(body, 'base64').toString('utf8');
  }
  return { headers, body: body.replace(/\n$/, '') };
}

for (const engine of ENGINES) {
  describe(`jobs and outbox mail (${engine})`, () => {
    let rt: TestRuntime;
    before(async () => {
      rt = await startTestRuntime(engine);
      // This file counts what each runDue() runs: jobs the demo data may have queued would blur that.
      await rt.ctx.db.deleteFrom('job').execute();
    });
    after(async () => {
      await rt?.stop();
    });

    const jobRow = (id: number) => rt.ctx.db.selectFrom('job').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
    const jobsOfKind = (kind: string) => rt.ctx.db.selectFrom('job').selectAll().where('kind', '=', kind).orderBy('id').execute();

    it('keeps a job only if the transaction that enqueued it commits', async () => {
      await assert.rejects(
        rt.ctx.db.transaction().execute(async (trx) => {
          await enqueueJob(trx, rt.clock.now(), 'test.tx', { outcome: 'rolled back' });
          throw new Error('échec métier');
        }),
        /échec métier/,
      );
      assert.deepEqual(await jobsOfKind('test.tx'), []);

      const id = await rt.ctx.db.transaction().execute((trx) => enqueueJob(trx, rt.clock.now(), 'test.tx', { outcome: 'committed' }));
      const row = await jobRow(id);
      assert.equal(row.status, 'pending');
      assert.equal(row.attempts, 0);
      assert.equal(row.max_attempts, 8);
      assert.deepEqual(row.payload, { outcome: 'committed' });

      const seen: unknown[] = [];
      rt.worker.register('test.tx', async (payload) => {
        seen.push(payload);
      });
      assert.equal(await rt.worker.runDue(), 1);
      assert.deepEqual(seen, [{ outcome: 'committed' }]);
      const done = await jobRow(id);
      assert.equal(done.status, 'done');
      assert.equal(done.attempts, 1);
      assert.equal(done.finished_at?.getTime(), rt.clock.now().getTime());
      assert.deepEqual(await jobsOfKind('test.tx').then((rows) => rows.map((r) => r.id)), [id]);
    });

    it('backs off exponentially, capped at one hour', () => {
      assert.deepEqual([1, 2, 3, 4, 8, 30].map(retryDelayMs), [30_000, 60_000, 120_000, 240_000, 3_600_000, 3_600_000]);
    });

    it('retries a failing job after the backoff and counts attempts until it succeeds', async () => {
      const calls: number[] = [];
      rt.worker.register('test.flaky', async (_payload, job: ClaimedJob) => {
        calls.push(job.attempts);
        if (calls.length <= 2) throw new Error(`panne n° ${calls.length}`);
      });
      const t0 = rt.clock.now().getTime();
      const id = await enqueueJob(rt.ctx.db, rt.clock.now(), 'test.flaky', { n: 1 });

      assert.equal(await rt.worker.runDue(), 1);
      let row = await jobRow(id);
      assert.equal(row.status, 'pending');
      assert.equal(row.attempts, 1);
      assert.equal(row.last_error, 'Error: panne n° 1');
      assert.equal(row.run_at.getTime(), t0 + 30_000);
      assert.equal(row.locked_at, null);
      assert.equal(row.locked_by, null);
      assert.equal(row.finished_at, null);

      assert.equal(await rt.worker.runDue(), 0, 'not due before the backoff');
      rt.clock.advance(29_999);
      assert.equal(await rt.worker.runDue(), 0, 'not due one millisecond early');
      rt.clock.advance(1);
      assert.equal(await rt.worker.runDue(), 1);
      row = await jobRow(id);
      assert.equal(row.status, 'pending');
      assert.equal(row.attempts, 2);
      assert.equal(row.last_error, 'Error: panne n° 2');
      assert.equal(row.run_at.getTime(), t0 + 30_000 + 60_000);

      rt.clock.advance(59_999);
      assert.equal(await rt.worker.runDue(), 0);
      rt.clock.advance(1);
      assert.equal(await rt.worker.runDue(), 1);
      row = await jobRow(id);
      assert.equal(row.status, 'done');
      assert.equal(row.attempts, 3);
      assert.equal(row.finished_at?.getTime(), t0 + 90_000);
      assert.deepEqual(calls, [1, 2, 3]);

      rt.clock.advanceMinutes(120);
      assert.equal(await rt.worker.runDue(), 0);
      assert.deepEqual(calls, [1, 2, 3]);
    });

    it('marks a job that always fails as failed after max_attempts, and stops running it', async () => {
      let calls = 0;
      rt.worker.register('test.broken', async () => {
        calls++;
        throw new TypeError('toujours en panne');
      });
      const id = await enqueueJob(rt.ctx.db, rt.clock.now(), 'test.broken', {}, { maxAttempts: 3 });
      assert.equal((await jobRow(id)).max_attempts, 3);
      for (let attempt = 1; attempt <= 3; attempt++) {
        assert.equal(await rt.worker.runDue(), 1, `attempt ${attempt}`);
        const row = await jobRow(id);
        assert.equal(row.attempts, attempt);
        assert.equal(row.last_error, 'TypeError: toujours en panne');
        if (attempt < 3) {
          assert.equal(row.status, 'pending');
          assert.equal(row.finished_at, null);
          rt.clock.advance(retryDelayMs(attempt));
        } else {
          assert.equal(row.status, 'failed');
          assert.equal(row.finished_at?.getTime(), rt.clock.now().getTime());
        }
      }
      rt.clock.advanceMinutes(24 * 60);
      assert.equal(await rt.worker.runDue(), 0);
      assert.equal(calls, 3);
      const failedLine = rt.logs.map((l) => JSON.parse(l)).find((l) => l.msg === 'job failed' && l.jobId === id && l.outcome === 'failed');
      assert.ok(failedLine, 'the final failure was not logged');
      assert.equal(failedLine.attempts, 3);
    });

    it('claims again a job left running by a crashed worker once STALE_AFTER_MS has passed', async () => {
      const lockedAt = new Date(rt.clock.now().getTime() - 60_000);
      const { id } = await rt.ctx.db
        .insertInto('job')
        .values({
          kind: 'test.crashed',
          payload: JSON.stringify({ n: 7 }),
          status: 'running',
          attempts: 1,
          run_at: lockedAt,
          locked_at: lockedAt,
          locked_by: 'worker-disparu',
          last_error: null,
          created_at: lockedAt,
          finished_at: null,
        })
        .returning('id')
        .executeTakeFirstOrThrow();
      const calls: Array<{ payload: unknown; attempts: number }> = [];
      rt.worker.register('test.crashed', async (payload, job) => {
        calls.push({ payload, attempts: job.attempts });
      });

      assert.equal(await rt.worker.runDue(), 0, 'a recently locked job belongs to its worker');
      rt.clock.set(new Date(lockedAt.getTime() + STALE_AFTER_MS));
      assert.equal(await rt.worker.runDue(), 0, 'not stale yet at exactly STALE_AFTER_MS');
      assert.equal((await jobRow(id)).locked_by, 'worker-disparu');
      rt.clock.advance(1);
      assert.equal(await rt.worker.runDue(), 1);
      assert.deepEqual(calls, [{ payload: { n: 7 }, attempts: 2 }]);
      const row = await jobRow(id);
      assert.equal(row.status, 'done');
      assert.equal(row.attempts, 2);
      assert.notEqual(row.locked_by, 'worker-disparu');
    });

    it('abandons a job whose worker died during its last allowed attempt instead of running it forever', async () => {
      const lockedAt = new Date(rt.clock.now().getTime() - STALE_AFTER_MS - 1000);
      const { id } = await rt.ctx.db
        .insertInto('job')
        .values({
          kind: 'test.poison',
          payload: JSON.stringify({}),
          status: 'running',
          attempts: 3,
          max_attempts: 3,
          run_at: lockedAt,
          locked_at: lockedAt,
          locked_by: 'worker-mort',
          last_error: null,
          created_at: lockedAt,
          finished_at: null,
        })
        .returning('id')
        .executeTakeFirstOrThrow();
      let calls = 0;
      rt.worker.register('test.poison', async () => {
        calls += 1;
      });
      await rt.worker.runDue();
      assert.equal(calls, 0);
      const row = await jobRow(id);
      assert.equal(row.status, 'failed');
      assert.match(String(row.last_error), /abandoned/);
    });

    it('never runs a job twice when two workers share the table', async () => {
      const calls: Array<{ id: number; worker: string }> = [];
      const workers = ['w1', 'w2'].map((name) => {
        const w = new JobWorker(rt.ctx.db, rt.clock, rt.app.log);
        w.register('test.parallel', async (_payload, job) => {
          calls.push({ id: job.id, worker: name });
          await sleep(2);
        });
        return w;
      });
      const ids: number[] = [];
      for (let n = 0; n < 20; n++) ids.push(await enqueueJob(rt.ctx.db, rt.clock.now(), 'test.parallel', { n }));

      const ran = await Promise.all(workers.map((w) => w.runDue(3)));
      // A claim can come back short while the other worker holds rows; a further pass drains the rest.
      const rest = await workers[0].runDue();
      assert.equal(ran[0] + ran[1] + rest, 20);
      assert.ok(ran[0] > 0 && ran[1] > 0, `both workers should have run jobs: ${ran.join(' + ')}`);
      assert.deepEqual(
        calls.map((c) => c.id).sort((a, b) => a - b),
        ids,
      );
      const rows = await jobsOfKind('test.parallel');
      assert.deepEqual(
        rows.map((r) => [r.status, r.attempts]),
        ids.map(() => ['done', 1]),
      );
    });

    it('keeps mail in the outbox when no SMTP server is configured, as a real RFC 822 message', async () => {
      assert.equal(rt.mailer.transport, 'outbox');
      const ascii = { to: 'lea.martin@example.org', subject: 'Kairos outbox test 42', text: 'Bonjour Léa,\nVotre accès est prêt.' };
      await queueMail(rt.ctx.db, rt.clock.now(), ascii);
      await queueMail(rt.ctx.db, rt.clock.now(), { to: 'sacha@example.org', subject: ACCENTED_SUBJECT, text: ACCENTED_TEXT });
      await assert.rejects(
        rt.ctx.db.transaction().execute(async (trx) => {
          await queueMail(trx, rt.clock.now(), { to: 'personne@example.org', subject: 'Jamais envoyé', text: 'x' });
          throw new Error('annulé');
        }),
      );
      const ours = ['lea.martin@example.org', 'sacha@example.org', 'personne@example.org'];
      const outbox = () => rt.ctx.db.selectFrom('mail_outbox').selectAll().where('to_address', 'in', ours).orderBy('subject').execute();
      assert.deepEqual(await outbox(), [], 'nothing leaves before the worker runs');

      assert.equal(await rt.worker.runDue(), 2);
      const rows = await outbox();
      assert.deepEqual(
        rows.map((r) => [r.to_address, r.subject, r.text_body]),
        [
          ['lea.martin@example.org', 'Kairos outbox test 42', ascii.text],
          ['sacha@example.org', ACCENTED_SUBJECT, ACCENTED_TEXT],
        ],
      );
      assert.match(rows[0].raw_message, /^Subject: Kairos outbox test 42$/m);
      assert.match(rows[0].raw_message, /^To: lea\.martin@example\.org$/m);
      assert.match(rows[0].raw_message, /^From: Kairos <ne-pas-repondre@kairos\.example>$/m);
      assert.match(rows[0].raw_message, /^MIME-Version: 1\.0$/m);
      assert.match(rows[0].raw_message, /^Message-ID: <[^>]+@kairos\.example>$/m);
      const first = parseMessage(rows[0].raw_message);
      assert.equal(first.headers.get('content-type'), 'text/plain; charset=utf-8');
      assert.equal(first.body, ascii.text);
      const second = parseMessage(rows[1].raw_message);
      assert.equal(second.headers.get('subject'), ACCENTED_SUBJECT);
      assert.equal(second.body, ACCENTED_TEXT);
      const mailJobs = await jobsOfKind(MAIL_JOB);
      assert.deepEqual(
        mailJobs.map((j) => j.status),
        ['done', 'done'],
      );
    });

    it('shows the outbox to the agency administrator only', async () => {
      const admin = await signInAs(rt.app, rt.clock, 'admin.agence');
      const api = await rt.app.inject({ url: '/api/v1/outbox', headers: { cookie: admin.cookie } });
      assert.equal(api.statusCode, 200);
      const messages = (api.json() as { messages: Array<Record<string, unknown>> }).messages.filter((m) =>
        ['lea.martin@example.org', 'sacha@example.org'].includes(String(m.to)),
      );
      assert.deepEqual(
        messages.map((m) => [m.to, m.subject, m.text]).sort(),
        [
          ['lea.martin@example.org', 'Kairos outbox test 42', 'Bonjour Léa,\nVotre accès est prêt.'],
          ['sacha@example.org', ACCENTED_SUBJECT, ACCENTED_TEXT],
        ],
      );
      for (const m of messages) assert.match(String(m.createdAt), /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);

      const page = await rt.app.inject({ url: '/admin/courriels', headers: { cookie: admin.cookie } });
      assert.equal(page.statusCode, 200);
      assert.equal(page.headers['content-type'], 'text/html; charset=utf-8');
      assert.ok(page.body.includes('Courriels émis (démonstration)'));
      assert.ok(page.body.includes(`<h2 class="h6 card-title">${ACCENTED_SUBJECT}</h2>`));
      assert.ok(page.body.includes('Kairos outbox test 42'));

      for (const login of ['rgc.demo', 'conseiller.demo']) {
        const other = await signInAs(rt.app, rt.clock, login);
        const refused = await rt.app.inject({ url: '/api/v1/outbox', headers: { cookie: other.cookie } });
        assert.equal(refused.statusCode, 403, login);
        assert.equal(refused.headers['content-type'], 'application/problem+json; charset=utf-8');
        assert.equal(refused.json().title, 'Accès refusé');
        assert.ok(!refused.body.includes('outbox test'));
        const refusedPage = await rt.app.inject({ url: '/admin/courriels', headers: { cookie: other.cookie } });
        assert.equal(refusedPage.statusCode, 403, login);
        assert.ok(!refusedPage.body.includes('outbox test'));
      }

      const anonymous = await rt.app.inject({ url: '/api/v1/outbox' });
      assert.equal(anonymous.statusCode, 401);
      assert.equal(anonymous.json().title, 'Authentification requise');
      const anonymousPage = await rt.app.inject({ url: '/admin/courriels' });
      assert.equal(anonymousPage.statusCode, 303);
      assert.equal(anonymousPage.headers.location, '/connexion?suite=%2Fadmin%2Fcourriels');
    });
  });

  describe(`mail through SMTP (${engine})`, () => {
    let rt: TestRuntime;
    let port = 0;
    let server: SMTPServer;
    const received: Array<{ from: string; to: string[]; raw: string }> = [];

    const startSmtp = async (onPort: number) => {
      server = new SMTPServer({
        authOptional: true,
        disabledCommands: ['STARTTLS'],
        logger: false,
        onData(stream, session, callback) {
          const chunks: Buffer[] = [];
          stream.on('data', (c: Buffer) => chunks.push(c));
          stream.on('end', () => {
            const from = session.envelope.mailFrom;
            received.push({
              from: from ? from.address : '',
              to: session.envelope.rcptTo.map((r) => r.address),
              raw: Buffer.concat(chunks).toString('utf8'),
            });
            callback();
          });
        },
      });
      await new Promise<void>((resolve, reject) => {
        server.once('error', reject);
        server.listen(onPort, '127.0.0.1', () => resolve());
      });
      return (server.server.address() as AddressInfo).port;
    };
    const stopSmtp = () => new Promise<void>((resolve) => server.close(() => resolve()));

    before(async () => {
      port = await startSmtp(0);
      rt = await startTestRuntime(engine, { env: { SMTP_URL: `smtp://127.0.0.1:${port}` } });
      await rt.ctx.db.deleteFrom('job').execute();
    });
    after(async () => {
      await rt?.stop();
      await stopSmtp().catch(() => {});
    });

    it('delivers a queued mail with accents to the SMTP server', async () => {
      assert.equal(rt.mailer.transport, 'smtp');
      await queueMail(rt.ctx.db, rt.clock.now(), { to: 'Léa Martin <lea.martin@example.org>', subject: ACCENTED_SUBJECT, text: ACCENTED_TEXT });
      assert.equal(received.length, 0);
      assert.equal(await rt.worker.runDue(), 1);
      assert.equal(received.length, 1);
      const [mail] = received;
      assert.equal(mail.from, FROM_ADDRESS);
      assert.deepEqual(mail.to, ['lea.martin@example.org']);
      const message = parseMessage(mail.raw);
      assert.equal(message.headers.get('subject'), ACCENTED_SUBJECT);
      assert.equal(message.headers.get('to'), 'Léa Martin <lea.martin@example.org>');
      assert.equal(message.headers.get('from'), `Kairos <${FROM_ADDRESS}>`);
      assert.equal(message.body, ACCENTED_TEXT);
      const [job] = await rt.ctx.db.selectFrom('job').selectAll().where('kind', '=', MAIL_JOB).execute();
      assert.equal(job.status, 'done');
      assert.equal(job.attempts, 1);
      assert.deepEqual(
        await rt.ctx.db.selectFrom('mail_outbox').selectAll().where('subject', '=', ACCENTED_SUBJECT).execute(),
        [],
        'SMTP mail is not kept in the outbox',
      );
    });

    it('retries a mail while the SMTP server is down instead of losing it', async () => {
      await stopSmtp();
      received.length = 0;
      await queueMail(rt.ctx.db, rt.clock.now(), { to: 'noa@example.org', subject: 'Relance : dossier à compléter', text: 'Merci de compléter votre dossier.' });
      assert.equal(await rt.worker.runDue(), 1);
      const pending = await rt.ctx.db
        .selectFrom('job')
        .selectAll()
        .where('kind', '=', MAIL_JOB)
        .where('status', '!=', 'done')
        .executeTakeFirstOrThrow();
      assert.equal(pending.status, 'pending');
      assert.equal(pending.attempts, 1);
      assert.match(pending.last_error ?? '', /ECONNREFUSED/);
      assert.equal(pending.finished_at, null);
      assert.equal(pending.run_at.getTime(), rt.clock.now().getTime() + 30_000);

      // The server comes back: the next attempt, after the backoff, delivers it.
      await startSmtp(port);
      assert.equal(await rt.worker.runDue(), 0);
      rt.clock.advance(30_000);
      assert.equal(await rt.worker.runDue(), 1);
      assert.equal(received.length, 1);
      assert.deepEqual(received[0].to, ['noa@example.org']);
      assert.equal(parseMessage(received[0].raw).headers.get('subject'), 'Relance : dossier à compléter');
      const done = await rt.ctx.db.selectFrom('job').selectAll().where('id', '=', pending.id).executeTakeFirstOrThrow();
      assert.equal(done.status, 'done');
      assert.equal(done.attempts, 2);
    });
  });
}

describe('job durability across restarts (PGlite data folder)', () => {
  let dataDir = '';
  before(() => {
    dataDir = mkdtempSync(path.join(tmpdir(), 'kairos-jobs-'));
  });
  after(() => {
    if (dataDir) rmSync(dataDir, { recursive: true, force: true });
  });

  it('keeps a pending job and a queued mail when the process stops, and runs them after restart', async () => {
    const config = loadConfig({ DATA_DIR: dataDir, SEED_DEMO: 'true', NODE_ENV: 'test', LOG_LEVEL: 'silent' });
    const first = await createRuntime(config);
    let jobId: number;
    try {
      assert.equal(first.seeded, true);
      await first.ctx.db.deleteFrom('job').execute(); // only our two jobs, whatever the demo data queued
      jobId = await enqueueJob(first.ctx.db, first.ctx.clock.now(), 'test.durable', { dossier: 'D-2026-001' });
      await queueMail(first.ctx.db, first.ctx.clock.now(), { to: 'lea@example.org', subject: 'Kairos durable mail', text: 'Toujours là.' });
    } finally {
      await first.close();
    }

    const second = await createRuntime(config);
    try {
      assert.equal(second.seeded, false, 'demo data is already there');
      const row = await second.ctx.db.selectFrom('job').selectAll().where('id', '=', jobId).executeTakeFirstOrThrow();
      assert.equal(row.status, 'pending');
      assert.equal(row.attempts, 0);
      assert.deepEqual(row.payload, { dossier: 'D-2026-001' });
      const seen: unknown[] = [];
      second.worker.register('test.durable', async (payload) => {
        seen.push(payload);
      });
      assert.equal(await second.worker.runDue(), 2);
      assert.deepEqual(seen, [{ dossier: 'D-2026-001' }]);
      const statuses = await second.ctx.db.selectFrom('job').select(['kind', 'status']).orderBy('id').execute();
      assert.deepEqual(statuses, [
        { kind: 'test.durable', status: 'done' },
        { kind: MAIL_JOB, status: 'done' },
      ]);
      const mails = await second.ctx.db
        .selectFrom('mail_outbox')
        .select(['to_address', 'subject'])
        .where('subject', '=', 'Kairos durable mail')
        .execute();
      assert.deepEqual(mails, [{ to_address: 'lea@example.org', subject: 'Kairos durable mail' }]);
    } finally {
      await second.close();
    }
  });
});
