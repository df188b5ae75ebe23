// Reading the audit trail: everything for the agency, one's own organisation for an account
// manager.
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { recordAudit } from '../../src/modules/audit/service.js';
import { ENGINES, startTestRuntime, type TestRuntime } from '../helpers/runtime.js';
import { signInAs, type SignedIn } from '../helpers/session.js';

type Entry = { id: number; at: string; actorLogin: string | null; organisationId: string | null; action: string; targetType: string | null; targetId: string | null; ip: string | null; details: Record<string, unknown> };

for (const engine of ENGINES) {
  describe(`audit trail (${engine})`, () => {
    let rt: TestRuntime;
    const org = { formapro: '', atelier: '', agency: '' };
    before(async () => {
      rt = await startTestRuntime(engine);
      const byName = Object.fromEntries((await rt.ctx.db.selectFrom('organisation').select(['id', 'name']).execute()).map((o) => [o.name, o.id]));
      Object.assign(org, { formapro: byName['Formapro Démo'], atelier: byName['Atelier Compétences Démo'], agency: byName['France Travail'] });
      for (const login of ['devis.demo', 'devis.demo2', 'conseiller.demo']) await signInAs(rt.app, rt.clock, login, { ip: '192.0.2.7' });
      await rt.ctx.db.transaction().execute(async (trx) => {
        // Either side of midnight in Paris, in winter (UTC+1) and in summer (UTC+2).
        for (const at of ['2026-03-10T22:59:00Z', '2026-03-10T23:30:00Z', '2026-07-14T21:59:00Z', '2026-07-14T22:15:00Z']) {
          await recordAudit(trx, { at: new Date(at), action: 'test.paris_day', organisationId: org.formapro, details: { at } });
        }
        for (let n = 0; n < 55; n++) await recordAudit(trx, { at: rt.clock.now(), action: 'test.page', organisationId: org.atelier, details: { n } });
      });
    });
    after(() => rt?.stop());

    const get = async (s: SignedIn | null, query = '') => rt.app.inject({ url: `/api/v1/audit${query ? `?${query}` : ''}`, headers: s ? s.headers : {} });
    const entries = async (s: SignedIn, query = '') => {
      const res = await get(s, query);
      assert.equal(res.statusCode, 200, res.body);
      return res.json() as { entries: Entry[]; page: number; hasMore: boolean };
    };

    it('shows agency administrators every organisation, newest first, filterable', async () => {
      const admin = await signInAs(rt.app, rt.clock, 'admin.agence');
      const all = await entries(admin);
      assert.equal(all.entries.length, 50);
      assert.ok(all.hasMore);
      assert.ok(all.entries.every((e, i) => i === 0 || e.id < all.entries[i - 1].id), 'newest first');
      const signIns = await entries(admin, 'action=sign_in');
      assert.deepEqual(new Set(signIns.entries.map((e) => e.organisationId)), new Set([org.formapro, org.atelier, org.agency]));
      const one = (await entries(admin, 'action=sign_in.succeeded&actor=DEVIS.demo2')).entries;
      assert.equal(one.length, 1);
      assert.deepEqual(Object.keys(one[0]).sort(), ['action', 'actorLogin', 'at', 'details', 'id', 'ip', 'organisationId', 'targetId', 'targetType']);
      assert.deepEqual([one[0].actorLogin, one[0].organisationId, one[0].ip, one[0].targetType], ['devis.demo2', org.atelier, '192.0.2.7', 'session']);
      const atelier = await entries(admin, `organisation=${org.atelier}&action=sign_in`);
      assert.ok(atelier.entries.length > 0 && atelier.entries.every((e) => e.organisationId === org.atelier));
      assert.deepEqual((await entries(admin, `organisation=${randomUUID()}`)).entries, [], 'an unknown organisation is an empty filter');
    });

    it('reads dates as calendar days in Paris (jj/mm/aaaa or aaaa-mm-jj), both bounds included', async () => {
      const admin = await signInAs(rt.app, rt.clock, 'admin.agence');
      const days = async (q: string) => (await entries(admin, `action=test.paris_day&${q}`)).entries.map((e) => e.details.at).sort();
      assert.deepEqual(await days('from=10/03/2026&to=10/03/2026'), ['2026-03-10T22:59:00Z']);
      assert.deepEqual(await days('from=11/03/2026&to=11/03/2026'), ['2026-03-10T23:30:00Z']);
      assert.deepEqual(await days('from=2026-07-14&to=2026-07-14'), ['2026-07-14T21:59:00Z']);
      assert.deepEqual(await days('from=15/07/2026'), ['2026-07-14T22:15:00Z']);
      assert.deepEqual(await days('to=14/07/2026'), ['2026-03-10T22:59:00Z', '2026-03-10T23:30:00Z', '2026-07-14T21:59:00Z']);
    });

    it('pages by 50 with hasMore', async () => {
      const admin = await signInAs(rt.app, rt.clock, 'admin.agence');
      const first = await entries(admin, 'action=test.page');
      const second = await entries(admin, 'action=test.page&page=2');
      assert.deepEqual([first.entries.length, first.hasMore, first.page], [50, true, 1]);
      assert.deepEqual([second.entries.length, second.hasMore, second.page], [5, false, 2]);
      assert.deepEqual(second.entries.map((e) => e.details.n), [4, 3, 2, 1, 0]);
    });

    it('forces an account manager’s view to their own organisation; another organisation answers 404', async () => {
      const rgc = await signInAs(rt.app, rt.clock, 'rgc.demo');
      const own = await entries(rgc, 'action=sign_in');
      assert.ok(own.entries.length >= 2);
      assert.ok(own.entries.every((e) => e.organisationId === org.formapro));
      assert.ok(own.entries.some((e) => e.actorLogin === 'devis.demo'));
      assert.deepEqual((await entries(rgc, `organisation=${org.formapro}&action=sign_in`)).entries, own.entries, 'naming one’s own organisation is allowed');
      assert.deepEqual((await entries(rgc, 'actor=devis.demo2')).entries, [], 'another organisation’s user leaves no trace here');
      for (const o of [org.atelier, org.agency, randomUUID()]) {
        const res = await get(rgc, `organisation=${o}`);
        assert.equal(res.statusCode, 404, o);
        assert.doesNotMatch(res.body, /devis\.demo2|test\.page/);
      }
    });

    it('answers invalid filters with 422 naming the field', async () => {
      const admin = await signInAs(rt.app, rt.clock, 'admin.agence');
      const cases: Array<[string, string]> = [
        ['page=0', 'page'],
        ['page=deux', 'page'],
        ['from=31/02/2026', 'from'],
        ['from=2026-13-01', 'from'],
        ['from=12/03/2026&to=11/03/2026', 'to'],
        ['action=DROP%20TABLE', 'action'],
        ['organisation=pas-un-uuid', 'organisation'],
        [`actor=${'a'.repeat(101)}`, 'actor'],
      ];
      for (const [query, field] of cases) {
        const res = await get(admin, query);
        assert.equal(res.statusCode, 422, query);
        const errors = res.json().errors as Array<{ field: string; message: string }>;
        assert.deepEqual(errors.map((e) => e.field), [field], query);
        assert.ok(errors[0].message.includes(`(${field})`), errors[0].message);
      }
    });

    it('refuses anonymous callers (401) and users who are neither account manager nor agency administrator (403)', async () => {
      assert.equal((await get(null)).statusCode, 401);
      assert.equal((await rt.app.inject({ url: '/gid/journal' })).statusCode, 303);
      for (const login of ['devis.demo', 'conseiller.demo', 'candidat.demo']) {
        const s = await signInAs(rt.app, rt.clock, login);
        assert.equal((await get(s)).statusCode, 403, login);
        for (const path of ['/gid/journal', '/admin/journal']) assert.equal((await rt.app.inject({ url: path, headers: { cookie: s.cookie } })).statusCode, 403, `${login} ${path}`);
      }
      const rgc = await signInAs(rt.app, rt.clock, 'rgc.demo');
      assert.equal((await rt.app.inject({ url: '/admin/journal', headers: { cookie: rgc.cookie } })).statusCode, 403);
      const admin = await signInAs(rt.app, rt.clock, 'admin.agence');
      assert.equal((await rt.app.inject({ url: '/gid/journal', headers: { cookie: admin.cookie } })).statusCode, 403);
    });

    it('records each reading of the trail', async () => {
      const rgc = await signInAs(rt.app, rt.clock, 'rgc.demo');
      await entries(rgc, 'action=sign_in&from=01/01/2026');
      const last = await rt.ctx.db.selectFrom('audit_log').selectAll().where('action', '=', 'audit.viewed').orderBy('id', 'desc').limit(1).executeTakeFirstOrThrow();
      assert.equal(last.actor_login, 'rgc.demo');
      assert.equal(last.organisation_id, org.formapro);
      assert.deepEqual(last.details, { filters: { organisation: org.formapro, action: 'sign_in', actor: null, from: '2026-01-01', to: null }, page: 1 });
    });

    it('serves the journal pages with a GET filter form, dates in jj/mm/aaaa (Paris)', async () => {
      const rgc = await signInAs(rt.app, rt.clock, 'rgc.demo');
      const mine = await rt.app.inject({ url: '/gid/journal?action=test.paris_day', headers: { cookie: rgc.cookie } });
      assert.equal(mine.statusCode, 200);
      assert.match(mine.body, /<form method="get" action="\/gid\/journal"/);
      assert.match(mine.body, /11\/03\/2026 à 00:30/);
      assert.match(mine.body, /15\/07\/2026 à 00:15/);
      assert.doesNotMatch(mine.body, /name="organisation"/, 'no organisation filter for an account manager');
      const bad = await rt.app.inject({ url: '/gid/journal?from=32/01/2026', headers: { cookie: rgc.cookie } });
      assert.equal(bad.statusCode, 422);
      assert.match(bad.body, /La date de début \(from\) doit être une date au format jj\/mm\/aaaa/);
      const admin = await signInAs(rt.app, rt.clock, 'admin.agence');
      const agency = await rt.app.inject({ url: `/admin/journal?organisation=${org.atelier}&action=test.page`, headers: { cookie: admin.cookie } });
      assert.equal(agency.statusCode, 200);
      assert.match(agency.body, new RegExp(`<option value="${org.atelier}" selected>Atelier Compétences Démo</option>`));
      assert.match(agency.body, /href="\/admin\/journal\?organisation=[0-9a-f-]{36}&amp;action=test\.page&amp;page=2">Page suivante</);
    });
  });
}
