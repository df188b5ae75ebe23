// Change of account manager: requested by the RGC, decided by the agency.
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { MAIL_JOB } from '../../src/mail/mailer.js';
import { ENGINES, startTestRuntime, type TestRuntime } from '../helpers/runtime.js';
import { csrfFromHtml, signInAs, type SignedIn } from '../helpers/session.js';

type Mail = { to: string; subject: string; text: string };
const REASON = 'Départ à la retraite de la responsable actuelle.';

for (const engine of ENGINES) {
  describe(`change of account manager (${engine})`, () => {
    let rt: TestRuntime;
    const org = { formapro: '', atelier: '', agency: '' };
    const ids: Record<string, string> = {};
    const request = (o: string) => `/api/v1/organisations/${o}/account-manager-change`;
    before(async () => {
      rt = await startTestRuntime(engine);
      const byName = Object.fromEntries((await rt.ctx.db.selectFrom('organisation').select(['id', 'name']).execute()).map((o) => [o.name, o.id]));
      Object.assign(org, { formapro: byName['Formapro Démo'], atelier: byName['Atelier Compétences Démo'], agency: byName['France Travail'] });
      for (const a of await rt.ctx.db.selectFrom('account').select(['id', 'login']).execute()) ids[a.login] = a.id;
    });
    after(() => rt?.stop());

    const call = (s: SignedIn | null, method: 'GET' | 'POST', url: string, payload?: object) =>
      rt.app.inject({ method, url, headers: s ? s.headers : {}, ...(payload ? { payload } : {}) });
    const changes = () => rt.ctx.db.selectFrom('account_manager_change').selectAll().orderBy('created_at').execute();
    const managersOf = async (o: string) =>
      (await rt.ctx.db.selectFrom('habilitation').select('account_id').where('organisation_id', '=', o).where('application', '=', 'gid').where('role', '=', 'account_manager').execute())
        .map((r) => r.account_id)
        .sort();
    const mailsTo = async (login: string) =>
      (await rt.ctx.db.selectFrom('job').select('payload').where('kind', '=', MAIL_JOB).orderBy('id').execute())
        .map((j) => j.payload as unknown as Mail)
        .filter((m) => m.to === `${login}@demo.kairos.example`);

    it('validates the request (422 naming the field), storing nothing', async () => {
      const rgc = await signInAs(rt.app, rt.clock, 'rgc.demo');
      const cases: Array<[object, string[]]> = [
        [{}, ['newManagerId', 'reason']],
        [{ newManagerId: 'x', reason: REASON }, ['newManagerId']],
        [{ newManagerId: ids['devis.demo'], reason: 'court' }, ['reason']],
        [{ newManagerId: ids['devis.demo'], reason: REASON, extra: true }, ['extra']],
        [{ newManagerId: ids['devis.demo2'], reason: REASON }, ['newManagerId']], // another organisation's account
        [{ newManagerId: randomUUID(), reason: REASON }, ['newManagerId']],
        [{ newManagerId: ids['rgc.demo'], reason: REASON }, ['newManagerId']], // already the manager
        [{ newManagerId: ids['candidat.demo'], reason: REASON }, ['newManagerId']],
      ];
      const messages = new Set<string>();
      for (const [payload, fields] of cases) {
        const res = await call(rgc, 'POST', request(org.formapro), payload);
        assert.equal(res.statusCode, 422, JSON.stringify(payload));
        const errors = res.json().errors as Array<{ field: string; message: string }>;
        assert.deepEqual(errors.map((e) => e.field).sort(), [...fields].sort(), JSON.stringify(payload));
        if (payload !== cases[0][0]) messages.add(errors[0].message);
      }
      assert.ok([...messages].some((m) => m.includes('compte actif de votre organisme')));
      const foreign = await call(rgc, 'POST', request(org.formapro), { newManagerId: ids['devis.demo2'], reason: REASON });
      const unknown = await call(rgc, 'POST', request(org.formapro), { newManagerId: randomUUID(), reason: REASON });
      assert.deepEqual(foreign.json().errors, unknown.json().errors, 'nothing tells a foreign account from a missing one');
      assert.deepEqual(await changes(), []);
    });

    it('refuses anonymous callers (401), other roles (403) and other organisations (404)', async () => {
      const payload = { newManagerId: ids['devis.demo'], reason: REASON };
      assert.equal((await call(null, 'POST', request(org.formapro), payload)).statusCode, 401);
      assert.equal((await call(null, 'GET', '/api/v1/account-manager-changes')).statusCode, 401);
      assert.equal((await call(null, 'POST', `/api/v1/account-manager-changes/${randomUUID()}/approve`)).statusCode, 401);
      for (const login of ['devis.demo', 'admin.agence']) {
        const s = await signInAs(rt.app, rt.clock, login);
        assert.equal((await call(s, 'POST', request(org.formapro), payload)).statusCode, 403, login);
      }
      for (const login of ['rgc.demo', 'devis.demo']) {
        const s = await signInAs(rt.app, rt.clock, login);
        assert.equal((await call(s, 'GET', '/api/v1/account-manager-changes')).statusCode, 403, login);
        assert.equal((await call(s, 'POST', `/api/v1/account-manager-changes/${randomUUID()}/approve`, {})).statusCode, 403, login);
        assert.equal((await call(s, 'POST', `/api/v1/account-manager-changes/${randomUUID()}/reject`, { reason: 'Non.' })).statusCode, 403, login);
        assert.equal((await rt.app.inject({ url: '/admin/changements-responsable', headers: { cookie: s.cookie } })).statusCode, 403, login);
      }
      const other = await signInAs(rt.app, rt.clock, 'rgc.demo2');
      for (const o of [org.formapro, org.agency, randomUUID(), 'nimporte']) {
        assert.equal((await call(other, 'POST', request(o), payload)).statusCode, 404, o);
        assert.equal((await call(other, 'POST', request(o), {})).statusCode, 404, 'tenant checked before the body');
      }
      assert.deepEqual(await changes(), []);
    });

    it('records one pending request per organisation (201, then 409), audited, and tells the agency', async () => {
      const rgc = await signInAs(rt.app, rt.clock, 'rgc.demo');
      const res = await call(rgc, 'POST', request(org.formapro), { newManagerId: ids['devis.demo'], reason: REASON });
      assert.equal(res.statusCode, 201, res.body);
      assert.deepEqual(res.json(), { id: res.json().id, status: 'pending' });
      const again = await call(rgc, 'POST', request(org.formapro), { newManagerId: ids['assiduite.demo'], reason: REASON });
      assert.equal(again.statusCode, 409);
      const [row] = await changes();
      assert.deepEqual([row.requested_by, row.new_manager_id, row.reason, row.status], [ids['rgc.demo'], ids['devis.demo'], REASON, 'pending']);
      const audit = await rt.ctx.db.selectFrom('audit_log').selectAll().where('action', '=', 'account_manager_change.requested').execute();
      assert.deepEqual(audit.map((a) => [a.actor_login, a.organisation_id, a.target_id]), [['rgc.demo', org.formapro, row.id]]);
      assert.match((await mailsTo('admin.agence')).at(-1)!.subject, /Demande de changement de responsable de gestion des comptes : Formapro Démo/);
      assert.deepEqual(await managersOf(org.formapro), [ids['rgc.demo']], 'nothing changes before the agency decides');
    });

    it('lists requests for the agency, filtered by status (422 for an unknown one)', async () => {
      const admin = await signInAs(rt.app, rt.clock, 'admin.agence');
      const list = await call(admin, 'GET', '/api/v1/account-manager-changes?status=pending');
      assert.equal(list.statusCode, 200);
      const [c] = list.json().changes;
      assert.deepEqual(
        [c.status, c.organisation.name, c.requestedBy.login, c.newManager.login, c.reason],
        ['pending', 'Formapro Démo', 'rgc.demo', 'devis.demo', REASON],
      );
      assert.deepEqual((await call(admin, 'GET', '/api/v1/account-manager-changes?status=approved')).json().changes, []);
      const bad = await call(admin, 'GET', '/api/v1/account-manager-changes?status=maybe');
      assert.deepEqual([bad.statusCode, bad.json().errors[0].field], [422, 'status']);
      const page = await rt.app.inject({ url: '/admin/changements-responsable', headers: { cookie: admin.cookie } });
      assert.match(page.body, /Nouveau responsable : Lou Rédacteur \(devis\.demo\)/);
      assert.match(page.body, />Approuver</);
    });

    it('approves in one transaction: the role moves, both are told, all audited', async () => {
      const admin = await signInAs(rt.app, rt.clock, 'admin.agence');
      const [pending] = await changes();
      for (const id of [randomUUID(), 'pas-un-id']) {
        assert.equal((await call(admin, 'POST', `/api/v1/account-manager-changes/${id}/approve`, {})).statusCode, 404, id);
        assert.equal((await call(admin, 'POST', `/api/v1/account-manager-changes/${id}/reject`, {})).statusCode, 404, 'unknown id before the body');
      }
      const invalid = await call(admin, 'POST', `/api/v1/account-manager-changes/${pending.id}/reject`, { reason: '' });
      assert.deepEqual([invalid.statusCode, invalid.json().errors[0].field], [422, 'reason']);
      const rgcSession = await signInAs(rt.app, rt.clock, 'rgc.demo');
      const res = await call(admin, 'POST', `/api/v1/account-manager-changes/${pending.id}/approve`, {});
      assert.equal(res.statusCode, 200, res.body);
      assert.deepEqual(res.json(), { id: pending.id, status: 'approved' });
      assert.deepEqual(await managersOf(org.formapro), [ids['devis.demo']]);
      assert.deepEqual(await managersOf(org.atelier), [ids['rgc.demo2']], 'other organisations untouched');
      const [row] = await changes();
      assert.deepEqual([row.status, row.decided_by], ['approved', ids['admin.agence']]);
      const actions = (await rt.ctx.db.selectFrom('audit_log').select(['action', 'target_id']).where('actor_login', '=', 'admin.agence').where('organisation_id', '=', org.formapro).orderBy('id').execute()).map((a) => `${a.action}:${a.target_id}`);
      assert.deepEqual(actions, [`account_manager_change.approved:${pending.id}`, `gid.habilitation_granted:${ids['devis.demo']}`, `gid.habilitation_revoked:${ids['rgc.demo']}`]);
      assert.match((await mailsTo('rgc.demo')).at(-1)!.subject, /approuvée : Formapro Démo/);
      const toNew = (await mailsTo('devis.demo')).at(-1)!;
      assert.match(toNew.text, /au moins 15 caractères/);
      // Effective on the very next request of either.
      assert.equal((await call(rgcSession, 'GET', `/api/v1/organisations/${org.formapro}/access-review`)).statusCode, 403);
      const newRgc = await signInAs(rt.app, rt.clock, 'devis.demo');
      assert.deepEqual((await call(newRgc, 'GET', '/api/v1/me')).json().habilitations.map((h: any) => `${h.application}/${h.role}`), ['gid/account_manager', 'kairos/quote_editor', 'support/user']);
      assert.equal((await call(admin, 'POST', `/api/v1/account-manager-changes/${pending.id}/approve`, {})).statusCode, 409, 'decided once');
      assert.equal((await call(admin, 'POST', `/api/v1/account-manager-changes/${pending.id}/approve`)).statusCode, 409, 'no body is an approval without a note');
      assert.equal((await call(admin, 'POST', `/api/v1/account-manager-changes/${pending.id}/reject`, { reason: 'Trop tard.' })).statusCode, 409);
    });

    it('rejects with a reason: nothing moves, the requester is told', async () => {
      const rgc2 = await signInAs(rt.app, rt.clock, 'rgc.demo2');
      const created = (await call(rgc2, 'POST', request(org.atelier), { newManagerId: ids['devis.demo2'], reason: REASON })).json();
      const admin = await signInAs(rt.app, rt.clock, 'admin.agence');
      const res = await call(admin, 'POST', `/api/v1/account-manager-changes/${created.id}/reject`, { reason: 'Pièce justificative manquante.' });
      assert.deepEqual([res.statusCode, res.json().status], [200, 'rejected']);
      assert.deepEqual(await managersOf(org.atelier), [ids['rgc.demo2']]);
      assert.match((await mailsTo('rgc.demo2')).at(-1)!.text, /Motif : Pièce justificative manquante\./);
      assert.equal((await mailsTo('devis.demo2')).length, 0, 'the designated account hears only of an approval');
      const audit = await rt.ctx.db.selectFrom('audit_log').select('action').where('target_id', '=', created.id).orderBy('id').execute();
      assert.deepEqual(audit.map((a) => a.action), ['account_manager_change.requested', 'account_manager_change.rejected']);
    });

    it('serves the account manager’s form and the agency queue as pages', async () => {
      const rgc2 = await signInAs(rt.app, rt.clock, 'rgc.demo2');
      const page = await rt.app.inject({ url: '/gid/responsable', headers: { cookie: rgc2.cookie } });
      assert.equal(page.statusCode, 200);
      assert.match(page.body, /Responsable actuel : Maxime Responsable/);
      assert.match(page.body, /<option value="[0-9a-f-]{36}">Eden Rédactrice \(devis\.demo2\)<\/option>/);
      assert.doesNotMatch(page.body, /devis\.demo\)/, 'only accounts of the organisation');
      assert.match(page.body, /Refusée/);
      const post = (fields: Record<string, string>) =>
        rt.app.inject({
          method: 'POST',
          url: '/gid/responsable',
          headers: { cookie: rgc2.cookie, 'content-type': 'application/x-www-form-urlencoded' },
          payload: new URLSearchParams({ _csrf: csrfFromHtml(page.body), ...fields }).toString(),
        });
      const bad = await post({ newManagerId: '', reason: REASON });
      assert.equal(bad.statusCode, 422);
      assert.match(bad.body, /Le nouveau responsable \(newManagerId\)/);
      const ok = await post({ newManagerId: ids['devis.demo2'], reason: REASON });
      assert.deepEqual([ok.statusCode, ok.headers.location], [303, '/gid/responsable?fait=demandee']);
      const conflict = await post({ newManagerId: ids['devis.demo2'], reason: REASON });
      assert.equal(conflict.statusCode, 409);
      assert.match(conflict.body, /déjà en attente/);

      const admin = await signInAs(rt.app, rt.clock, 'admin.agence');
      const queue = await rt.app.inject({ url: '/admin/changements-responsable', headers: { cookie: admin.cookie } });
      const pending = (await changes()).find((c) => c.status === 'pending')!;
      const refuse = (reason: string) =>
        rt.app.inject({
          method: 'POST',
          url: `/admin/changements-responsable/${pending.id}/refuser`,
          headers: { cookie: admin.cookie, 'content-type': 'application/x-www-form-urlencoded' },
          payload: new URLSearchParams({ _csrf: csrfFromHtml(queue.body), reason }).toString(),
        });
      assert.equal((await refuse('')).statusCode, 422);
      // An unknown or malformed request is looked up before the reason is judged, as in the API.
      for (const id of [randomUUID(), 'abc']) {
        const unknown = await rt.app.inject({
          method: 'POST',
          url: `/admin/changements-responsable/${id}/refuser`,
          headers: { cookie: admin.cookie, 'content-type': 'application/x-www-form-urlencoded' },
          payload: new URLSearchParams({ _csrf: csrfFromHtml(queue.body), reason: '' }).toString(),
        });
        assert.equal(unknown.statusCode, 404, id);
      }
      const done = await refuse('Doublon de la demande précédente.');
      assert.deepEqual([done.statusCode, done.headers.location], [303, '/admin/changements-responsable?fait=refusee']);
      assert.equal((await changes()).find((c) => c.id === pending.id)!.status, 'rejected');
    });
  });
}
