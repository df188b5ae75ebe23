// Access review: campaigns, reminders, decisions, suspension after the grace
// period, and suspension of dormant accounts, with time moved by the manual clock.
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import type { LightMyRequestResponse } from 'fastify';
import { ensureScheduled, nextSlot, SchedulingWorker } from '../../src/jobs/recurring.js';
import { MAIL_JOB, mailJobHandler } from '../../src/mail/mailer.js';
import { ACCESS_REVIEW_SWEEP, registerAccessReviewJobs } from '../../src/modules/habilitations/index.js';
import { ENGINES, startTestRuntime, type TestRuntime } from '../helpers/runtime.js';
import { csrfFromHtml, signInAs, type SignedIn } from '../helpers/session.js';

const DAY = 86_400_000;
type Mail = { to: string; subject: string; text: string };

/** Shared helpers over one runtime: ids of the demo data, calls, jobs, mails. */
function harness(get: () => TestRuntime) {
  const ids: Record<string, string> = {};
  const org = { formapro: '', atelier: '', agency: '' };
  return {
    ids,
    org,
    async load() {
      const rt = get();
      const byName = Object.fromEntries((await rt.ctx.db.selectFrom('organisation').select(['id', 'name']).execute()).map((o) => [o.name, o.id]));
      Object.assign(org, { formapro: byName['Formapro Démo'], atelier: byName['Atelier Compétences Démo'], agency: byName['France Travail'] });
      for (const a of await rt.ctx.db.selectFrom('account').select(['id', 'login']).execute()) ids[a.login] = a.id;
    },
    api(s: SignedIn | null, method: 'GET' | 'POST', url: string, payload?: object): Promise<LightMyRequestResponse> {
      return get().app.inject({ method, url, headers: s ? s.headers : {}, ...(payload ? { payload } : {}) });
    },
    async mails(to: string): Promise<Mail[]> {
      const rows = await get().ctx.db.selectFrom('job').select('payload').where('kind', '=', MAIL_JOB).orderBy('id').execute();
      return rows.map((r) => r.payload as unknown as Mail).filter((m) => m.to === to);
    },
    async liveSweeps() {
      return get().ctx.db.selectFrom('job').select(['id', 'run_at', 'status']).where('kind', '=', ACCESS_REVIEW_SWEEP.kind).where('status', 'in', ['pending', 'running']).execute();
    },
    async audits(action: string) {
      return get().ctx.db.selectFrom('audit_log').selectAll().where('action', '=', action).orderBy('id').execute();
    },
    async habilitation(login: string, application: string, role: string) {
      return get()
        .ctx.db.selectFrom('habilitation')
        .selectAll()
        .where('account_id', '=', ids[login])
        .where('application', '=', application)
        .where('role', '=', role)
        .executeTakeFirst();
    },
    /** Signs the given users in (a sign-in is what keeps an account from being dormant). */
    async keepAlive(logins: string[]) {
      for (const login of logins) await signInAs(get().app, get().clock, login);
    },
  };
}

// Users who sign in now and then during the 180 days, so that the dormancy rule leaves them alone.
const KEEP_ALIVE = ['rgc.demo', 'devis.demo', 'assiduite.demo', 'rgc.demo2', 'devis.demo2', 'admin.agence'];

for (const engine of ENGINES) {
  describe(`access review lifecycle (${engine})`, () => {
    let rt: TestRuntime;
    const h = harness(() => rt);
    const review = (o: string) => `/api/v1/organisations/${o}/access-review`;
    const decisions = (o: string) => `${review(o)}/decisions`;
    let t0 = 0;
    let openedAt = 0;

    before(async () => {
      rt = await startTestRuntime(engine);
      // The figures below are those of Formapro's staff without its demo trainer, whose account
      // (with its habilitations) is removed here rather than counted in every expectation.
      const trainer = await rt.ctx.db.selectFrom('account').select('id').where('login', '=', 'formateur.demo').executeTakeFirstOrThrow();
      await rt.ctx.db.deleteFrom('habilitation').where('account_id', '=', trainer.id).execute();
      await h.load();
      t0 = rt.clock.now().getTime();
    });
    after(() => rt?.stop());

    it('keeps exactly one pending daily sweep, however many instances schedule it', async () => {
      const now = rt.clock.now();
      const results = await Promise.all([1, 2, 3].map(() => ensureScheduled(rt.ctx.db, now, ACCESS_REVIEW_SWEEP)));
      assert.equal(results.filter((r) => r.scheduled).length, 1);
      assert.equal(new Set(results.map((r) => r.jobId)).size, 1);
      rt.worker.start(); // a starting instance makes sure the chain exists, and finds it
      await rt.worker.stop();
      // Other recurring chains (purges, quote expiry…) are not this file's subject: the exact
      // runDue() counts below are about the sweep alone.
      await rt.ctx.db.deleteFrom('job').where('kind', '!=', ACCESS_REVIEW_SWEEP.kind).execute();
      const live = await h.liveSweeps();
      assert.equal(live.length, 1);
      assert.equal(live[0].run_at.getTime(), nextSlot(now, ACCESS_REVIEW_SWEEP).getTime());
      assert.equal(live[0].run_at.getUTCHours(), 1);
    });

    it('opens nothing before ACCESS_REVIEW_DAYS have passed', async () => {
      rt.clock.set(new Date(t0 + 80 * DAY));
      await h.keepAlive(KEEP_ALIVE);
      assert.equal(await rt.worker.runDue(), 1);
      rt.clock.set(new Date(t0 + 160 * DAY));
      await h.keepAlive(KEEP_ALIVE);
      assert.equal(await rt.worker.runDue(), 1, 'a caught-up chain runs once, not once per missed day');
      assert.equal((await rt.ctx.db.selectFrom('access_review').selectAll().execute()).length, 0);
      assert.equal((await h.liveSweeps()).length, 1);
    });

    it('after 180 days opens one campaign per training provider and mails its account manager, even with two workers', async () => {
      rt.clock.set(new Date(t0 + 181 * DAY));
      openedAt = rt.clock.now().getTime();
      const workers = [1, 2].map(() => {
        const w = new SchedulingWorker(rt.ctx.db, rt.clock, rt.app.log);
        w.register(MAIL_JOB, mailJobHandler(rt.mailer));
        registerAccessReviewJobs(w, rt.ctx);
        return w;
      });
      const doneSweeps = async () =>
        (await rt.ctx.db.selectFrom('job').select('id').where('kind', '=', ACCESS_REVIEW_SWEEP.kind).where('status', '=', 'done').execute()).length;
      const before = await doneSweeps();
      await Promise.all(workers.map((w) => w.runDue()));
      assert.equal(await doneSweeps(), before + 1, 'the sweep ran once');
      const campaigns = await rt.ctx.db.selectFrom('access_review').selectAll().execute();
      assert.deepEqual(campaigns.map((c) => c.organisation_id).sort(), [h.org.formapro, h.org.atelier].sort());
      for (const c of campaigns) assert.equal(c.due_at.getTime() - c.opened_at.getTime(), 30 * DAY);
      assert.equal((await h.audits('access_review.opened')).length, 2);
      const live = await h.liveSweeps();
      assert.equal(live.length, 1, 'exactly one next run');
      assert.equal(live[0].run_at.getTime(), nextSlot(rt.clock.now(), ACCESS_REVIEW_SWEEP).getTime());

      const [mail] = await h.mails('rgc.demo@demo.kairos.example');
      assert.match(mail.subject, /^Revue des habilitations de Formapro Démo à effectuer avant le \d\d\/\d\d\/\d{4}$/);
      assert.match(mail.text, /5 habilitations sont à confirmer ou à retirer/);
      assert.doesNotMatch(mail.text, /https?:\/\//, 'no link in the mail');
      assert.equal((await h.mails('rgc.demo2@demo.kairos.example')).length, 1);
      assert.equal((await h.mails('devis.demo@demo.kairos.example')).length, 0);
      await rt.worker.runDue(); // sends them
    });

    it('shows the current campaign to the account manager, without their own role', async () => {
      const rgc = await signInAs(rt.app, rt.clock, 'rgc.demo');
      const res = await h.api(rgc, 'GET', review(h.org.formapro));
      assert.equal(res.statusCode, 200, res.body);
      const body = res.json();
      assert.equal(body.openedAt, new Date(openedAt).toISOString());
      assert.equal(body.dueAt, new Date(openedAt + 30 * DAY).toISOString());
      const items = (body.items as Array<Record<string, unknown>>).map((i) => `${i.displayName}:${i.application}/${i.role}:${i.decision}`).sort();
      assert.deepEqual(items, [
        'Charlie Assiduité:kairos/attendance_officer:null',
        'Charlie Assiduité:support/user:null',
        'Dominique Responsable:support/user:null',
        'Lou Rédacteur:kairos/quote_editor:null',
        'Lou Rédacteur:support/user:null',
      ]);
      const item = body.items.find((i: any) => i.role === 'quote_editor');
      assert.equal(item.userId, h.ids['devis.demo']);
      assert.equal(item.habilitationId, (await h.habilitation('devis.demo', 'kairos', 'quote_editor'))!.id);
    });

    it('refuses anonymous callers (401), other roles (403) and other organisations (404), changing nothing', async () => {
      const anyId = (await h.habilitation('devis.demo', 'kairos', 'quote_editor'))!.id;
      const payload = { habilitationId: anyId, decision: 'revoked' };
      assert.equal((await h.api(null, 'GET', review(h.org.formapro))).statusCode, 401);
      assert.equal((await h.api(null, 'POST', decisions(h.org.formapro), payload)).statusCode, 401);
      for (const login of ['devis.demo', 'admin.agence', 'candidat.demo']) {
        const s = await signInAs(rt.app, rt.clock, login);
        assert.equal((await h.api(s, 'GET', review(h.org.formapro))).statusCode, 403, login);
        assert.equal((await h.api(s, 'POST', decisions(h.org.formapro), payload)).statusCode, 403, login);
        assert.equal((await rt.app.inject({ url: '/gid/revue', headers: { cookie: s.cookie } })).statusCode, 403, login);
      }
      const other = await signInAs(rt.app, rt.clock, 'rgc.demo2');
      for (const o of [h.org.formapro, h.org.agency, randomUUID(), 'pas-un-uuid']) {
        const get = await h.api(other, 'GET', review(o));
        assert.equal(get.statusCode, 404, o);
        assert.doesNotMatch(get.body, /Formapro|habilitation/i);
        assert.equal((await h.api(other, 'POST', decisions(o), payload)).statusCode, 404, o);
        assert.equal((await h.api(other, 'POST', decisions(o), { nonsense: true })).statusCode, 404, 'tenant checked before the body');
        assert.equal((await h.api(other, 'GET', `${review(o)}?x=1`)).statusCode, 404, 'tenant checked before the query');
      }
      // A habilitation of another organisation is not part of one's own campaign.
      const rgc = await signInAs(rt.app, rt.clock, 'rgc.demo');
      const foreign = (await h.habilitation('devis.demo2', 'kairos', 'quote_editor'))!.id;
      assert.equal((await h.api(rgc, 'POST', decisions(h.org.formapro), { habilitationId: foreign, decision: 'revoked' })).statusCode, 404);
      assert.equal((await h.api(rgc, 'POST', decisions(h.org.formapro), { habilitationId: randomUUID(), decision: 'revoked' })).statusCode, 404);
      assert.equal((await rt.ctx.db.selectFrom('access_review_decision').selectAll().execute()).length, 0);
      assert.ok(await h.habilitation('devis.demo', 'kairos', 'quote_editor'));
      assert.ok(await h.habilitation('devis.demo2', 'kairos', 'quote_editor'));
    });

    it('answers invalid decisions with 422 naming the field, storing nothing', async () => {
      const rgc = await signInAs(rt.app, rt.clock, 'rgc.demo');
      const id = (await h.habilitation('devis.demo', 'kairos', 'quote_editor'))!.id;
      const cases: Array<[object, string[]]> = [
        [{}, ['habilitationId', 'decision']],
        [{ habilitationId: 'abc', decision: 'confirmed' }, ['habilitationId']],
        [{ habilitationId: id, decision: 'peut-être' }, ['decision']],
        [{ habilitationId: id, decision: 'confirmed', extra: 1 }, ['extra']],
      ];
      for (const [payload, fields] of cases) {
        const res = await h.api(rgc, 'POST', decisions(h.org.formapro), payload);
        assert.equal(res.statusCode, 422, JSON.stringify(payload));
        const errors = res.json().errors as Array<{ field: string; message: string }>;
        assert.deepEqual(errors.map((e) => e.field).sort(), [...fields].sort());
        for (const e of errors) assert.match(e.message, /[«(]/, 'the message names the field');
      }
      assert.equal((await rt.ctx.db.selectFrom('access_review_decision').selectAll().execute()).length, 0);
    });

    it('records partial decisions: confirmed is kept and marked reviewed, revoked is deleted, both audited', async () => {
      const rgc = await signInAs(rt.app, rt.clock, 'rgc.demo');
      const keep = (await h.habilitation('devis.demo', 'kairos', 'quote_editor'))!.id;
      const drop = (await h.habilitation('devis.demo', 'support', 'user'))!.id;
      const ok = await h.api(rgc, 'POST', decisions(h.org.formapro), { habilitationId: keep, decision: 'confirmed' });
      assert.equal(ok.statusCode, 200, ok.body);
      assert.deepEqual(ok.json(), { habilitationId: keep, decision: 'confirmed', reviewClosed: false });
      assert.equal((await h.habilitation('devis.demo', 'kairos', 'quote_editor'))!.reviewed_at?.getTime(), rt.clock.now().getTime());
      assert.equal((await h.api(rgc, 'POST', decisions(h.org.formapro), { habilitationId: keep, decision: 'revoked' })).statusCode, 409);
      const gone = await h.api(rgc, 'POST', decisions(h.org.formapro), { habilitationId: drop, decision: 'revoked' });
      assert.equal(gone.statusCode, 200, gone.body);
      assert.equal(await h.habilitation('devis.demo', 'support', 'user'), undefined);
      const [confirmed] = await h.audits('access_review.confirmed');
      const [revoked] = await h.audits('access_review.revoked');
      assert.deepEqual([confirmed.actor_login, confirmed.target_id, confirmed.organisation_id], ['rgc.demo', keep, h.org.formapro]);
      assert.deepEqual([revoked.target_id, (revoked.details as any).role], [drop, 'user']);
      const items = (await h.api(rgc, 'GET', review(h.org.formapro))).json().items as Array<{ habilitationId: string; decision: string | null }>;
      assert.equal(items.length, 4);
      assert.equal(items.find((i) => i.habilitationId === keep)!.decision, 'confirmed');
    });

    it('serves the page: due date in jj/mm/aaaa, Confirmer / Retirer buttons, and a working form', async () => {
      const rgc = await signInAs(rt.app, rt.clock, 'rgc.demo');
      const page = await rt.app.inject({ url: '/gid/revue', headers: { cookie: rgc.cookie } });
      assert.equal(page.statusCode, 200);
      const due = new Intl.DateTimeFormat('fr-FR', { timeZone: 'Europe/Paris', day: '2-digit', month: '2-digit', year: 'numeric' }).format(new Date(openedAt + 30 * DAY));
      assert.ok(page.body.includes(`<strong id="echeance">${due}</strong>`), due);
      assert.match(page.body, />Confirmer<span class="visually-hidden"> : Charlie Assiduité/);
      assert.match(page.body, />Retirer</);
      const own = (await h.habilitation('rgc.demo', 'support', 'user'))!.id;
      const form = (fields: Record<string, string>) => ({
        method: 'POST' as const,
        url: '/gid/revue',
        headers: { cookie: rgc.cookie, 'content-type': 'application/x-www-form-urlencoded' },
        payload: new URLSearchParams(fields).toString(),
      });
      const csrf = csrfFromHtml(page.body);
      assert.equal((await rt.app.inject(form({ habilitationId: own, decision: 'confirmed' }))).statusCode, 403, 'no CSRF token');
      const bad = await rt.app.inject(form({ _csrf: csrf, habilitationId: own, decision: 'garder' }));
      assert.equal(bad.statusCode, 422);
      assert.match(bad.body, /La décision \(decision\) doit être/);
      assert.equal((await h.habilitation('rgc.demo', 'support', 'user'))!.reviewed_at, null);
      const done = await rt.app.inject(form({ _csrf: csrf, habilitationId: own, decision: 'confirmed' }));
      assert.equal(done.statusCode, 303);
      assert.equal(done.headers.location, '/gid/revue?fait=confirmed');
      assert.ok((await h.habilitation('rgc.demo', 'support', 'user'))!.reviewed_at);
      const after = await rt.app.inject({ url: '/gid/revue?fait=confirmed', headers: { cookie: rgc.cookie } });
      assert.match(after.body, /L’habilitation est confirmée/);
    });

    it('reminds the account manager every ACCESS_REVIEW_REMINDER_DAYS while items remain', async () => {
      const before = (await h.mails('rgc.demo@demo.kairos.example')).length;
      rt.clock.set(new Date(openedAt + 3 * DAY));
      await rt.worker.runDue();
      assert.equal((await h.mails('rgc.demo@demo.kairos.example')).length, before, 'no reminder after 3 days');
      rt.clock.set(new Date(openedAt + 7 * DAY + 2 * 3_600_000));
      await rt.worker.runDue();
      const mails = await h.mails('rgc.demo@demo.kairos.example');
      assert.equal(mails.length, before + 1);
      assert.match(mails.at(-1)!.subject, /^Rappel : revue des habilitations de Formapro Démo avant le \d\d\/\d\d\/\d{4}$/);
      assert.match(mails.at(-1)!.text, /2 habilitations attendent votre décision/);
      const reminders = await h.audits('access_review.reminder_sent');
      assert.ok(reminders.some((r) => r.organisation_id === h.org.formapro && (r.details as any).undecided === 2));
      rt.clock.set(new Date(openedAt + 9 * DAY + 2 * 3_600_000));
      await rt.worker.runDue();
      assert.equal((await h.mails('rgc.demo@demo.kairos.example')).length, before + 1, 'not again two days later');
    });

    it('closes a campaign as soon as every item is decided', async () => {
      const rgc2 = await signInAs(rt.app, rt.clock, 'rgc.demo2');
      const items = (await h.api(rgc2, 'GET', review(h.org.atelier))).json().items as Array<{ habilitationId: string }>;
      assert.equal(items.length, 3);
      const results = [];
      for (const i of items) results.push((await h.api(rgc2, 'POST', decisions(h.org.atelier), { habilitationId: i.habilitationId, decision: 'confirmed' })).json());
      assert.deepEqual(results.map((r) => r.reviewClosed), [false, false, true]);
      assert.equal((await h.api(rgc2, 'GET', review(h.org.atelier))).statusCode, 404);
      const closed = (await h.audits('access_review.closed')).filter((r) => r.organisation_id === h.org.atelier);
      assert.deepEqual(closed.map((r) => (r.details as any).outcome), ['complete']);
      const page = await rt.app.inject({ url: '/gid/revue', headers: { cookie: rgc2.cookie } });
      assert.match(page.body, /Aucune revue des habilitations n’est en cours/);
    });

    it('after the grace period suspends what was not reviewed and closes the campaign; the holder loses the application', async () => {
      await h.keepAlive(['assiduite.demo', 'devis.demo']);
      rt.clock.set(new Date(openedAt + 31 * DAY));
      await rt.worker.runDue();
      const suspended = await h.audits('habilitation.suspended_unreviewed');
      assert.deepEqual(suspended.map((r) => `${(r.details as any).login}:${(r.details as any).application}/${(r.details as any).role}`).sort(), [
        'assiduite.demo:kairos/attendance_officer',
        'assiduite.demo:support/user',
      ]);
      assert.ok((await h.habilitation('assiduite.demo', 'kairos', 'attendance_officer'))!.suspended_at);
      assert.equal((await h.habilitation('devis.demo', 'kairos', 'quote_editor'))!.suspended_at, null);
      assert.equal((await h.habilitation('rgc.demo', 'gid', 'account_manager'))!.suspended_at, null, 'the reviewer’s role is never suspended');
      const campaign = await rt.ctx.db.selectFrom('access_review').selectAll().where('organisation_id', '=', h.org.formapro).executeTakeFirstOrThrow();
      assert.equal(campaign.closed_at?.getTime(), rt.clock.now().getTime());
      const [closing] = (await h.audits('access_review.closed')).filter((r) => r.organisation_id === h.org.formapro);
      assert.deepEqual(closing.details, { outcome: 'due', suspended: 2 });
      assert.match((await h.mails('rgc.demo@demo.kairos.example')).at(-1)!.subject, /close : 2 habilitations suspendues/);

      const holder = await signInAs(rt.app, rt.clock, 'assiduite.demo');
      const me = (await h.api(holder, 'GET', '/api/v1/me')).json();
      assert.deepEqual(me.habilitations, []);
      assert.deepEqual((await h.api(holder, 'GET', '/api/v1/me/applications')).json().applications, []);
      assert.equal((await rt.app.inject({ url: '/kairos', headers: { cookie: holder.cookie } })).statusCode, 403);
      const devis = await signInAs(rt.app, rt.clock, 'devis.demo');
      assert.deepEqual((await h.api(devis, 'GET', '/api/v1/me')).json().habilitations, [{ application: 'kairos', role: 'quote_editor' }]);
      const rgc = await signInAs(rt.app, rt.clock, 'rgc.demo');
      assert.equal((await h.api(rgc, 'GET', review(h.org.formapro))).statusCode, 404);
    });
  });

  describe(`automatic suspension of dormant accounts (${engine})`, () => {
    let rt: TestRuntime;
    const h = harness(() => rt);
    let t0 = 0;
    before(async () => {
      rt = await startTestRuntime(engine);
      await h.load();
      t0 = rt.clock.now().getTime();
      await ensureScheduled(rt.ctx.db, rt.clock.now(), ACCESS_REVIEW_SWEEP);
    });
    after(() => rt?.stop());

    const status = async (login: string) =>
      rt.ctx.db.selectFrom('account').select(['status', 'suspended_reason']).where('id', '=', h.ids[login]).executeTakeFirstOrThrow();

    it('suspends active staff accounts without a sign-in for ACCOUNT_INACTIVITY_DAYS and ends their sessions', async () => {
      const dormant = await signInAs(rt.app, rt.clock, 'assiduite.demo');
      await h.keepAlive(['rgc.demo']);
      rt.clock.set(new Date(t0 + 89 * DAY));
      await h.keepAlive(['rgc.demo']);
      await rt.worker.runDue();
      assert.equal((await status('assiduite.demo')).status, 'active', 'not yet at 89 days');

      rt.clock.set(new Date(t0 + 91 * DAY));
      await rt.worker.runDue();
      assert.deepEqual(await status('assiduite.demo'), { status: 'suspended', suspended_reason: 'inactivité' });
      assert.equal((await status('rgc.demo')).status, 'active', 'signed in two days ago');
      assert.equal((await status('admin.agence')).status, 'suspended', 'agency staff too');
      assert.equal((await status('candidat.demo')).status, 'active', 'candidates are not staff');
      const sessions = await rt.ctx.db.selectFrom('session').select(['ended_at', 'end_reason']).where('account_id', '=', h.ids['assiduite.demo']).execute();
      assert.deepEqual(sessions.map((s) => s.end_reason), ['suspended']);
      assert.equal((await h.api(dormant, 'GET', '/api/v1/me')).statusCode, 401);
      await assert.rejects(signInAs(rt.app, rt.clock, 'assiduite.demo'), /401/);

      const rows = (await h.audits('account.suspended_inactive')).filter((r) => r.target_id === h.ids['assiduite.demo']);
      assert.equal(rows.length, 1);
      assert.equal(rows[0].organisation_id, h.org.formapro);
      assert.equal((rows[0].details as any).inactivityDays, 90);
      rt.clock.advance(DAY);
      await rt.worker.runDue();
      assert.equal((await h.audits('account.suspended_inactive')).filter((r) => r.target_id === h.ids['assiduite.demo']).length, 1, 'once');
    });

    it('gives an account reactivated by its account manager a fresh period instead of suspending it again', async () => {
      // An inactivity suspension is not a detector's: the account manager lifts it through GID.
      const origin = await rt.ctx.db.selectFrom('account').select('suspension_origin').where('id', '=', h.ids['assiduite.demo']).executeTakeFirstOrThrow();
      assert.equal(origin.suspension_origin, 'inactivity');
      const rgc = await signInAs(rt.app, rt.clock, 'rgc.demo');
      const res = await h.api(rgc, 'POST', `/api/v1/organisations/${h.org.formapro}/users/${h.ids['assiduite.demo']}/reactivate`);
      assert.equal(res.statusCode, 204, res.body);
      rt.clock.advance(2 * DAY);
      await h.keepAlive(['rgc.demo']);
      await rt.worker.runDue();
      assert.equal((await status('assiduite.demo')).status, 'active');
      rt.clock.advance(89 * DAY);
      await h.keepAlive(['rgc.demo']);
      await rt.worker.runDue();
      assert.equal((await status('assiduite.demo')).status, 'suspended', 'dormant again 91 days after the reactivation');
    });
  });
}
