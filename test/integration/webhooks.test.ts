// Signed webhooks: routes and pages of the account manager, delivery to a real HTTP server with
// the signature checked by an independent implementation (standardwebhooks), retries, replay,
// disabling after three days of failures, the events emitted by the services, the example receiver.
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { after, before, beforeEach, describe, it } from 'node:test';
import { Webhook } from 'standardwebhooks';
import { ManualClock } from '../../src/clock.js';
import { parisDay } from '../../src/modules/onboarding/rules.js';
import { validQuote } from '../helpers/quotes.js';
import { ENGINES, startTestRuntime, type TestRuntime } from '../helpers/runtime.js';
import { csrfFromHtml, signInAs, type SignedIn } from '../helpers/session.js';
import { createTraining, organisationId } from '../helpers/trainings.js';

interface Received {
  headers: IncomingHttpHeaders;
  body: string;
}

/** A real receiver: records each request and answers with `status` (changeable). */
async function startReceiver() {
  const received: Received[] = [];
  const state = { status: 204 };
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      received.push({ headers: req.headers, body: Buffer.concat(chunks).toString('utf8') });
      res.writeHead(state.status).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/kairos`;
  return { received, state, url, close: () => new Promise<void>((resolve) => server.close(() => resolve())) };
}

for (const engine of ENGINES) {
  describe(`webhooks (${engine})`, () => {
    let rt: TestRuntime;
    let receiver: Awaited<ReturnType<typeof startReceiver>>;
    const as: Record<string, SignedIn> = {};
    let formapro = '';
    let atelier = '';
    const base = (org: string) => `/api/v1/organisations/${org}/webhooks`;
    before(async () => {
      rt = await startTestRuntime(engine, { clock: new ManualClock('2026-03-02T08:00:00Z') });
      receiver = await startReceiver();
      formapro = await organisationId(rt.ctx.db, 'Formapro Démo');
      atelier = await organisationId(rt.ctx.db, 'Atelier Compétences Démo');
    });
    // Each test starts without webhooks, whatever the previous one left behind.
    beforeEach(async () => {
      await rt.ctx.db.deleteFrom('webhook_endpoint').execute();
    });
    after(async () => {
      await rt?.stop();
      await receiver?.close();
    });

    // The tests move the clock by hours and days: a session idle too long is opened again.
    const signedAt: Record<string, number> = {};
    async function session(who: string): Promise<SignedIn> {
      if (!as[who] || rt.clock.now().getTime() - (signedAt[who] ?? 0) > 10 * 60_000) {
        as[who] = await signInAs(rt.app, rt.clock, who);
        signedAt[who] = rt.clock.now().getTime();
      }
      return as[who];
    }
    const call = async (who: string | null, method: 'GET' | 'POST' | 'PATCH' | 'DELETE', url: string, payload?: object) =>
      rt.app.inject({ method, url, headers: who ? (await session(who)).headers : {}, ...(payload ? { payload } : {}) });
    const endpoints = () => rt.ctx.db.selectFrom('webhook_endpoint').selectAll().orderBy('created_at').execute();
    const deliveries = (endpointId: string) => rt.ctx.db.selectFrom('webhook_delivery').selectAll().where('endpoint_id', '=', endpointId).orderBy('created_at').execute();
    const runJobs = async () => {
      while ((await rt.worker.runDue()) > 0);
    };
    async function create(events: string[], url = receiver.url, who = 'rgc.demo', org = formapro) {
      const res = await call(who, 'POST', base(org), { url, events });
      assert.equal(res.statusCode, 201, res.body);
      return res.json() as { id: string; secret: string; url: string; events: string[]; enabled: boolean };
    }
    const remove = async (id: string) => assert.equal((await call('rgc.demo', 'DELETE', `${base(formapro)}/${id}`)).statusCode, 204);
    /** The requests received since `from`, each verified by the standardwebhooks package with `secret`. */
    function verifiedSince(from: number, secret: string) {
      const wh = new Webhook(secret);
      // The package checks the timestamp against the receiver's clock (5 min): here, the test's clock.
      const realNow = Date.now;
      Date.now = () => rt.clock.now().getTime();
      try {
        return receiver.received.slice(from).map((r) => ({ ...r, event: wh.verify(r.body, r.headers as Record<string, string>) as Record<string, any> }));
      } finally {
        Date.now = realNow;
      }
    }

    it('creates a webhook (201, secret shown once, sealed at rest), lists, updates and deletes it; audited', async () => {
      const created = await create(['quote.status_changed', 'quote.status_changed', 'training.entered']);
      assert.match(created.secret, /^whsec_[A-Za-z0-9+/]+=*$/);
      assert.ok(Buffer.from(created.secret.slice(6), 'base64').length >= 24);
      assert.deepEqual([created.url, created.events, created.enabled], [receiver.url, ['quote.status_changed', 'training.entered'], true]);
      const row = (await endpoints()).find((e) => e.id === created.id)!;
      assert.ok(!row.secret_sealed.includes(created.secret.slice(6)));
      assert.equal(rt.ctx.secretBox.open(row.secret_sealed), created.secret);
      const list = await call('rgc.demo', 'GET', base(formapro));
      assert.equal(list.statusCode, 200);
      assert.deepEqual(list.json().webhooks.map((w: { id: string }) => w.id), [created.id]);
      assert.ok(!list.body.includes('whsec_'), 'the secret is never shown again');
      const patched = await call('rgc.demo', 'PATCH', `${base(formapro)}/${created.id}`, { enabled: false, events: ['training.entered'] });
      assert.equal(patched.statusCode, 200, patched.body);
      assert.deepEqual([patched.json().enabled, patched.json().events], [false, ['training.entered']]);
      await remove(created.id);
      assert.equal((await endpoints()).length, 0);
      const actions = await rt.ctx.db.selectFrom('audit_log').select(['action', 'organisation_id', 'details']).where('action', 'like', 'webhook.%').orderBy('id').execute();
      assert.deepEqual(actions.map((a) => a.action), ['webhook.created', 'webhook.updated', 'webhook.deleted']);
      assert.ok(actions.every((a) => a.organisation_id === formapro));
      assert.ok(!JSON.stringify(actions).includes('whsec_'));
    });

    it('refuses invalid input with 422 naming the field, storing nothing; unsafe destinations too', async () => {
      const cases: Array<[unknown, string]> = [
        [{}, 'url'],
        [{ url: receiver.url }, 'events'],
        [{ url: receiver.url, events: [] }, 'events'],
        [{ url: receiver.url, events: ['quote.deleted'] }, 'events.0'],
        [{ url: receiver.url, events: 'quote.status_changed' }, 'events'],
        [{ url: 42, events: ['training.entered'] }, 'url'],
        [{ url: receiver.url, events: ['training.entered'], intrus: 1 }, 'intrus'],
        [{ url: 'pas une url', events: ['training.entered'] }, 'url'],
        [{ url: 'http://hooks.example.fr/x', events: ['training.entered'] }, 'url'],
        [{ url: 'https://10.0.0.1/x', events: ['training.entered'] }, 'url'],
        [{ url: 'https://169.254.169.254/latest/meta-data', events: ['training.entered'] }, 'url'],
        [{ url: 'https://[::ffff:127.0.0.1]/x', events: ['training.entered'] }, 'url'],
        [{ url: 'http://192.168.1.1/x', events: ['training.entered'] }, 'url'],
      ];
      for (const [payload, field] of cases) {
        const res = await call('rgc.demo', 'POST', base(formapro), payload as object);
        assert.equal(res.statusCode, 422, JSON.stringify(payload));
        assert.ok(res.json().errors.some((e: { field: string; message: string }) => e.field === field && e.message.length > 15), `${JSON.stringify(payload)}: ${res.body}`);
      }
      assert.equal((await endpoints()).length, 0);
      const created = await create(['training.entered']);
      for (const payload of [{}, { enabled: 'oui' }, { url: 'https://10.0.0.1/x' }, { events: [] }]) {
        const res = await call('rgc.demo', 'PATCH', `${base(formapro)}/${created.id}`, payload);
        assert.equal(res.statusCode, 422, JSON.stringify(payload));
      }
      assert.equal((await endpoints())[0].url, receiver.url);
      await remove(created.id);
    });

    it('answers 401 signed out, 403 without the account manager role, 404 for another organisation (nothing leaked or changed)', async () => {
      const theirs = await create(['training.entered'], receiver.url, 'rgc.demo2', atelier);
      assert.equal((await call(null, 'GET', base(formapro))).statusCode, 401);
      assert.equal((await call(null, 'POST', base(formapro), { url: receiver.url, events: ['training.entered'] })).statusCode, 401);
      assert.equal((await call('devis.demo', 'GET', base(formapro))).statusCode, 403);
      assert.equal((await call('devis.demo', 'POST', base(formapro), { url: receiver.url, events: ['training.entered'] })).statusCode, 403);
      const foreign = [
        call('rgc.demo', 'GET', base(atelier)),
        call('rgc.demo', 'POST', base(atelier), { url: receiver.url, events: ['training.entered'] }),
        call('rgc.demo', 'POST', base(atelier), {}),
        call('rgc.demo', 'PATCH', `${base(atelier)}/${theirs.id}`, { enabled: false }),
        call('rgc.demo', 'PATCH', `${base(formapro)}/${theirs.id}`, { enabled: false }),
        call('rgc.demo', 'DELETE', `${base(formapro)}/${theirs.id}`),
        call('rgc.demo', 'GET', `${base(formapro)}/${theirs.id}/deliveries`),
        call('rgc.demo', 'POST', `${base(formapro)}/${theirs.id}/deliveries/${randomUUID()}/replay`),
        call('rgc.demo', 'GET', `${base(formapro)}/not-a-uuid/deliveries`),
      ];
      for (const res of await Promise.all(foreign)) {
        assert.equal(res.statusCode, 404, res.body);
        assert.ok(!res.body.includes(receiver.url));
      }
      const row = (await endpoints()).find((e) => e.id === theirs.id)!;
      assert.equal(row.enabled, true);
      assert.equal((await rt.ctx.db.selectFrom('webhook_endpoint').select('id').where('organisation_id', '=', formapro).execute()).length, 0);
      assert.equal((await call('rgc.demo2', 'DELETE', `${base(atelier)}/${theirs.id}`)).statusCode, 204);
    });

    it('delivers quote.status_changed and training events to a real server, signed (checked by standardwebhooks), ids and statuses only', async () => {
      const hook = await create(['quote.status_changed', 'training.entered', 'training.withdrawn', 'attendance.alert', 'statement.submitted']);
      const other = await create(['quote.status_changed'], receiver.url, 'rgc.demo2', atelier); // another organisation hears nothing
      const from = receiver.received.length;
      const quote = await call('devis.demo', 'POST', '/api/v1/quotes', validQuote(parisDay(rt.clock.now())));
      assert.equal(quote.statusCode, 201, quote.body);
      const quoteId = quote.json().id;
      assert.equal((await call('devis.demo', 'POST', `/api/v1/quotes/${quoteId}/submit`)).statusCode, 200);
      const training = await createTraining(rt.ctx.db, { at: rt.clock.now(), organisation: 'Formapro Démo', candidate: '7654321B', startDate: '2026-03-02', endDate: '2026-03-13', session: 'SESS-WH' });
      assert.equal((await call('assiduite.demo', 'POST', `/api/v1/trainings/${training.id}/entry`, { startDate: '2026-03-02' })).statusCode, 200);
      rt.clock.set('2026-03-04T10:00:00Z');
      const withdrawn = await call('assiduite.demo', 'POST', `/api/v1/trainings/${training.id}/withdrawal`, { date: '2026-03-03', reason: 'found_job', comment: '' });
      assert.equal(withdrawn.statusCode, 200, withdrawn.body);
      await runJobs();
      // Deliveries are independent: their order of arrival is not promised.
      const got = verifiedSince(from, hook.secret).sort((x, y) => x.event.occurredAt.localeCompare(y.event.occurredAt) || x.event.type.localeCompare(y.event.type) || x.event.data.status.localeCompare(y.event.data.status));
      assert.deepEqual(got.map((g) => [g.event.type, g.event.data.status]), [
        ['quote.status_changed', 'draft'],
        ['quote.status_changed', 'submitted'],
        ['training.entered', 'in_progress'],
        ['attendance.alert', 'withdrawal'], // raised by the withdrawal, in its transaction
        ['training.withdrawn', 'withdrawn'],
      ]);
      assert.deepEqual(got[1].event, { id: got[1].headers['webhook-id'], type: 'quote.status_changed', occurredAt: got[1].event.occurredAt, organisationId: formapro, data: { quoteId, status: 'submitted', version: 1 } });
      assert.deepEqual(got[2].event.data, { trainingId: training.id, status: 'in_progress' });
      assert.ok(got.every((g) => !/Martin|Camille|Démo|7654321B/.test(g.body)), 'no names or identifiers of people');
      // Signed when sent (the jobs ran at the test clock's time), not when the event occurred.
      assert.ok(Math.abs(Number(got[0].headers['webhook-timestamp']) - rt.clock.now().getTime() / 1000) < 60);
      assert.ok(got[0].event.occurredAt < '2026-03-04');
      const listed = await call('rgc.demo', 'GET', `${base(formapro)}/${hook.id}/deliveries`);
      assert.equal(listed.statusCode, 200);
      assert.deepEqual(listed.json().deliveries.map((d: { status: string; attempts: number; responseCode: number }) => [d.status, d.attempts, d.responseCode]), Array(5).fill(['delivered', 1, 204]));
      assert.ok(listed.json().deliveries.every((d: { durationMs: number }) => d.durationMs >= 0));
      assert.equal((await deliveries(other.id)).length, 0);
      await remove(hook.id);
      assert.equal((await call('rgc.demo2', 'DELETE', `${base(atelier)}/${other.id}`)).statusCode, 204);
    });

    it('retries after a 500 with backoff, then replays a delivered one with the same webhook-id', async () => {
      const hook = await create(['quote.status_changed']);
      const from = receiver.received.length;
      receiver.state.status = 500;
      assert.equal((await call('devis.demo', 'POST', '/api/v1/quotes', validQuote(parisDay(rt.clock.now())))).statusCode, 201);
      await runJobs();
      let [d] = await deliveries(hook.id);
      assert.deepEqual([d.status, d.attempts, d.response_code, d.last_error], ['pending', 1, 500, 'HTTP 500']);
      assert.equal(d.next_attempt_at!.getTime() - rt.clock.now().getTime(), 5_000);
      await runJobs(); // not due yet
      assert.equal(receiver.received.length - from, 1);
      receiver.state.status = 200;
      rt.clock.advance(5_000);
      await runJobs();
      [d] = await deliveries(hook.id);
      assert.deepEqual([d.status, d.attempts, d.response_code], ['delivered', 2, 200]);
      const sent = verifiedSince(from, hook.secret);
      assert.equal(sent.length, 2);
      assert.equal(sent[0].headers['webhook-id'], sent[1].headers['webhook-id']);
      assert.equal(sent[0].body, sent[1].body);
      const replay = await call('rgc.demo', 'POST', `${base(formapro)}/${hook.id}/deliveries/${d.id}/replay`);
      assert.equal(replay.statusCode, 202, replay.body);
      assert.deepEqual(replay.json(), { id: d.id, status: 'pending' });
      assert.equal((await call('rgc.demo', 'POST', `${base(formapro)}/${hook.id}/deliveries/${d.id}/replay`)).statusCode, 409);
      await runJobs();
      const again = verifiedSince(from, hook.secret);
      assert.equal(again.length, 3);
      assert.equal(again[2].headers['webhook-id'], sent[0].headers['webhook-id']);
      assert.equal((await deliveries(hook.id))[0].status, 'delivered');
      assert.equal((await call('rgc.demo', 'POST', `${base(formapro)}/${hook.id}/deliveries/${randomUUID()}/replay`)).statusCode, 404);
      await remove(hook.id);
    });

    it('disables an endpoint failing for three days and mails the account managers', async () => {
      const hook = await create(['quote.status_changed']);
      receiver.state.status = 503;
      const quote = async () => assert.equal((await call('devis.demo', 'POST', '/api/v1/quotes', validQuote(parisDay(rt.clock.now())))).statusCode, 201);
      await quote();
      for (let hour = 0; hour < 40; hour++) {
        await runJobs();
        rt.clock.advance(3_600_000);
      }
      const [first] = await deliveries(hook.id);
      assert.deepEqual([first.status, first.attempts], ['failed', 8]); // the whole schedule, about 27 h
      assert.equal((await endpoints()).find((e) => e.id === hook.id)!.enabled, true);
      rt.clock.advance(2 * 24 * 3_600_000);
      await quote();
      await runJobs();
      const row = (await endpoints()).find((e) => e.id === hook.id)!;
      assert.equal(row.enabled, false);
      assert.ok(row.disabled_at);
      const mails = await rt.ctx.db.selectFrom('mail_outbox').selectAll().where('subject', 'like', '%webhook%').execute();
      const rgcEmail = (await rt.ctx.db.selectFrom('account').select('email').where('login', '=', 'rgc.demo').executeTakeFirstOrThrow()).email;
      assert.deepEqual(mails.map((m) => m.to_address), [rgcEmail]);
      assert.match(mails[0].text_body, /désactivé/);
      assert.equal((await rt.ctx.db.selectFrom('audit_log').select('action').where('action', '=', 'webhook.disabled').execute()).length, 1);
      const listed = (await call('rgc.demo', 'GET', base(formapro))).json().webhooks[0];
      assert.equal(listed.enabled, false);
      // Disabled: no more deliveries until enabled again; replay refused meanwhile.
      await quote();
      assert.equal((await deliveries(hook.id)).length, 2);
      assert.equal((await call('rgc.demo', 'POST', `${base(formapro)}/${hook.id}/deliveries/${first.id}/replay`)).statusCode, 409);
      receiver.state.status = 204;
      assert.equal((await call('rgc.demo', 'PATCH', `${base(formapro)}/${hook.id}`, { enabled: true })).statusCode, 200);
      assert.equal((await call('rgc.demo', 'POST', `${base(formapro)}/${hook.id}/deliveries/${first.id}/replay`)).statusCode, 202);
      await runJobs();
      assert.equal((await deliveries(hook.id)).find((d) => d.id === first.id)!.status, 'delivered');
      assert.equal((await endpoints()).find((e) => e.id === hook.id)!.failing_since, null);
      await remove(hook.id);
    });

    it('pages: list, create showing the secret once, deliveries, delete — without JavaScript', async () => {
      const rgc = await session('rgc.demo');
      const page = await rt.app.inject({ url: '/gid/api/webhooks', headers: { cookie: rgc.cookie } });
      assert.equal(page.statusCode, 200);
      assert.match(page.body, /Aucun webhook/);
      const csrf = csrfFromHtml(page.body);
      const form = (url: string, fields: string) => rt.app.inject({ method: 'POST', url, headers: { cookie: rgc.cookie, 'content-type': 'application/x-www-form-urlencoded' }, payload: `_csrf=${encodeURIComponent(csrf)}&${fields}` });
      const refused = await form('/gid/api/webhooks', `url=${encodeURIComponent('https://10.1.2.3/x')}&events=training.entered`);
      assert.equal(refused.statusCode, 422);
      assert.match(refused.body, /réseau privé/);
      assert.equal((await form('/gid/api/webhooks', `url=${encodeURIComponent(receiver.url)}`)).statusCode, 422);
      assert.equal((await endpoints()).length, 0);
      const created = await form('/gid/api/webhooks', `url=${encodeURIComponent(receiver.url)}&events=training.entered&events=quote.status_changed`);
      assert.equal(created.statusCode, 201, created.body);
      const secret = /<code id="secret">(whsec_[^<]+)<\/code>/.exec(created.body)![1];
      const [row] = await endpoints();
      assert.equal(rt.ctx.secretBox.open(row.secret_sealed), secret);
      assert.deepEqual(row.events, ['training.entered', 'quote.status_changed']);
      const again = await rt.app.inject({ url: '/gid/api/webhooks', headers: { cookie: rgc.cookie } });
      assert.ok(!again.body.includes(secret));
      assert.ok(again.body.includes(receiver.url));
      const detail = await rt.app.inject({ url: `/gid/api/webhooks/${row.id}`, headers: { cookie: rgc.cookie } });
      assert.equal(detail.statusCode, 200);
      assert.match(detail.body, /Aucun envoi/);
      assert.equal((await rt.app.inject({ url: '/gid/api/webhooks', headers: { cookie: (await session('devis.demo')).cookie } })).statusCode, 403);
      const deleted = await form(`/gid/api/webhooks/${row.id}/supprimer`, '');
      assert.equal(deleted.statusCode, 303);
      assert.equal((await endpoints()).length, 0);
    });

    it('the example receiver (node:crypto only) accepts a real signed delivery and refuses a forged one', async () => {
      const hook = await create(['quote.status_changed'], 'http://127.0.0.1:1/placeholder');
      const script = path.join(import.meta.dirname, '../../docs/examples/webhook-receiver.mjs');
      const child: ChildProcess = spawn(process.execPath, [script], { env: { ...process.env, WEBHOOK_SECRET: hook.secret, PORT: '0' }, stdio: ['ignore', 'pipe', 'inherit'] });
      try {
        let output = '';
        child.stdout!.on('data', (c: Buffer) => (output += c.toString()));
        const until = async (re: RegExp) => {
          for (let i = 0; i < 200 && !re.test(output); i++) await new Promise((r) => setTimeout(r, 25));
          return re.exec(output);
        };
        const port = (await until(/listening on (\d+)/))![1];
        const url = `http://127.0.0.1:${port}/hook`;
        assert.equal((await call('rgc.demo', 'PATCH', `${base(formapro)}/${hook.id}`, { url })).statusCode, 200);
        // The receiver checks the timestamp against its real clock: move the test clock to now.
        rt.clock.set(new Date());
        assert.equal((await call('devis.demo', 'POST', '/api/v1/quotes', validQuote(parisDay(rt.clock.now())))).statusCode, 201);
        await runJobs();
        const [d] = await deliveries(hook.id);
        assert.deepEqual([d.status, d.response_code], ['delivered', 204]);
        assert.ok(await until(new RegExp(`received quote.status_changed ${d.event_id}`)));
        const forged = await fetch(url, { method: 'POST', body: d.body, headers: { 'webhook-id': d.event_id, 'webhook-timestamp': String(Math.floor(Date.now() / 1000)), 'webhook-signature': 'v1,AAAA' } });
        assert.equal(forged.status, 400);
      } finally {
        child.kill();
      }
      await remove(hook.id);
    });
  });
}
