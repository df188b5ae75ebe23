// Bulk-access detection (docs/product/security.md#bulk-access-detection): an account reading more
// distinct candidates than the threshold in a sliding hour is suspended at once, its sessions end,
// the request is refused, the account managers and agency administrators are alerted; an agency
// administrator reinstates it after review. A busy organisation's normal day does not trigger it.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { LightMyRequestResponse } from 'fastify';
import { guardCandidateAccess } from '../../src/modules/security/bulk-access.js';
import type { Actor } from '../../src/modules/habilitations/policy.js';
import { validQuote } from '../helpers/quotes.js';
import { ENGINES, startTestRuntime, type TestRuntime } from '../helpers/runtime.js';
import { signInAs, type SignedIn } from '../helpers/session.js';
import { parisDay } from '../../src/modules/onboarding/rules.js';

type Method = 'GET' | 'POST';
const THRESHOLD = 100;

for (const engine of ENGINES) {
  describe(`bulk-access detection (${engine})`, () => {
    let rt: TestRuntime;
    const as: Record<string, SignedIn> = {};
    let today = '';
    before(async () => {
      rt = await startTestRuntime(engine);
      today = parisDay(rt.clock.now());
      // 130 registered candidates, as an advisor's agency would have.
      const now = rt.clock.now();
      await rt.ctx.db
        .insertInto('candidate')
        .values(Array.from({ length: 130 }, (_, i) => ({ identifier: `${String(5_000_000 + i)}Z`, last_name: `Nom${i}`, first_name: 'Test', birth_date: '1991-01-01', email: `c${i}@example.test`, created_at: now })))
        .execute();
      for (const login of ['conseiller.demo', 'admin.agence', 'devis.demo', 'rgc.demo', 'rgc.demo2']) as[login] = await signInAs(rt.app, rt.clock, login);
    });
    after(() => rt?.stop());

    const call = (who: string | null, method: Method, url: string, payload?: object): Promise<LightMyRequestResponse> =>
      rt.app.inject({ method, url, headers: who ? as[who].headers : {}, ...(payload ? { payload } : {}) });
    const identifier = (i: number) => `${String(5_000_000 + i)}Z`;
    const accountStatus = async (login: string) => (await rt.ctx.db.selectFrom('account').select('status').where('login', '=', login).executeTakeFirstOrThrow()).status;
    const mailsTo = async (to: string) =>
      (await rt.ctx.db.selectFrom('job').select('payload').where('kind', '=', 'mail.send').execute()).map((j) => j.payload as { to: string; subject: string; text: string }).filter((m) => m.to === to);

    it('a busy organisation’s day stays under the threshold: 40 trainees’ quotes listed and each opened several times', async () => {
      const ids: string[] = [];
      for (let i = 0; i < 40; i++) {
        const q = validQuote(today, i % 8);
        const res = await call('devis.demo', 'POST', '/api/v1/quotes', { ...q, candidate: { identifier: identifier(i), lastName: `Nom${i}`, birthDate: '1991-01-01' } });
        assert.equal(res.statusCode, 201, res.body);
        ids.push(res.json().id);
      }
      for (let round = 0; round < 3; round++) {
        for (const page of [1, 2]) assert.equal((await call('devis.demo', 'GET', `/api/v1/quotes?page=${page}`)).statusCode, 200);
        for (const id of ids) assert.equal((await call('devis.demo', 'GET', `/api/v1/quotes/${id}`)).statusCode, 200);
      }
      assert.equal(await accountStatus('devis.demo'), 'active');
      assert.equal((await rt.ctx.db.selectFrom('security_alert').select('id').execute()).length, 0);
    });

    it('counts a sliding hour: 80 candidates, then 80 others an hour later, is normal', async () => {
      for (let i = 0; i < 80; i++) assert.equal((await call('conseiller.demo', 'GET', `/api/v1/candidates/${identifier(i)}`)).statusCode, 200);
      rt.clock.advance(61 * 60_000);
      as['conseiller.demo'] = await signInAs(rt.app, rt.clock, 'conseiller.demo');
      for (let i = 40; i < 120; i++) assert.equal((await call('conseiller.demo', 'GET', `/api/v1/candidates/${identifier(i)}`)).statusCode, 200, `read ${i}`);
      assert.equal(await accountStatus('conseiller.demo'), 'active');
    });

    it('past the threshold: suspended at once, request refused, sessions ended, alerts mailed and listed with the trail; reinstated after review', async () => {
      rt.clock.advance(61 * 60_000);
      for (const login of ['conseiller.demo', 'admin.agence', 'rgc.demo', 'rgc.demo2']) as[login] = await signInAs(rt.app, rt.clock, login);
      const viewsOf = async (id: string) => (await rt.ctx.db.selectFrom('audit_log').select('id').where('action', '=', 'candidate.viewed').where('target_id', '=', id).execute()).length;
      const idOf = async (i: number) => (await rt.ctx.db.selectFrom('candidate').select('id').where('identifier', '=', identifier(i)).executeTakeFirstOrThrow()).id;
      const [refusedId, lastId] = [await idOf(THRESHOLD), await idOf(THRESHOLD - 1)];
      const lastViewsBefore = await viewsOf(lastId);
      for (let i = 0; i < THRESHOLD; i++) assert.equal((await call('conseiller.demo', 'GET', `/api/v1/candidates/${identifier(i)}`)).statusCode, 200);
      assert.equal(await viewsOf(lastId), lastViewsBefore + 1, 'the last read within the threshold is audited');
      const refusedViewsBefore = await viewsOf(refusedId);
      const refused = await call('conseiller.demo', 'GET', `/api/v1/candidates/${identifier(THRESHOLD)}`);
      assert.equal(refused.statusCode, 403);
      assert.match(refused.json().detail, /suspendu par mesure de sécurité/);
      assert.doesNotMatch(refused.body, new RegExp(`Nom${THRESHOLD}`), 'nothing of the candidate is returned');
      // The count and the view's audit row share one statement: the refused read is not recorded as a view.
      assert.equal(await viewsOf(refusedId), refusedViewsBefore, 'the refused read is not audited as a view');
      assert.equal(await accountStatus('conseiller.demo'), 'suspended');
      assert.equal((await call('conseiller.demo', 'GET', `/api/v1/candidates/${identifier(1)}`)).statusCode, 401, 'its sessions ended');
      const mails = await mailsTo('admin.agence@demo.kairos.example');
      assert.equal(mails.length, 1);
      assert.match(mails[0].subject, /conseiller\.demo suspendu/);
      assert.match(mails[0].text, /\/securite\/alertes\//);

      // Agency administrators see it with the trail; an OF's account manager does not (agency account).
      const list = await call('admin.agence', 'GET', '/api/v1/security/alerts');
      assert.equal(list.statusCode, 200);
      const alert = list.json().alerts[0];
      assert.equal(alert.kind, 'bulk_access');
      assert.equal(alert.account.login, 'conseiller.demo');
      assert.equal(alert.details.count, THRESHOLD + 1);
      const detail = (await call('admin.agence', 'GET', `/api/v1/security/alerts/${alert.id}`)).json();
      assert.equal(detail.trail.candidates.length, THRESHOLD + 1);
      assert.ok(detail.trail.actions.some((a: { action: string }) => a.action === 'candidate.viewed'));
      assert.deepEqual((await call('rgc.demo', 'GET', '/api/v1/security/alerts')).json().alerts, []);
      assert.equal((await call('rgc.demo', 'GET', `/api/v1/security/alerts/${alert.id}`)).statusCode, 404);
      const page = await call('admin.agence', 'GET', `/securite/alertes/${alert.id}`);
      assert.equal(page.statusCode, 200);
      assert.match(page.body, /Rétablir le compte/);

      // Reinstatement: agency administrators only, with a note of what was checked.
      assert.equal((await call('rgc.demo', 'POST', `/api/v1/security/alerts/${alert.id}/reinstate`, { note: 'Vérifié avec le titulaire.' })).statusCode, 403);
      assert.equal((await call(null, 'POST', `/api/v1/security/alerts/${alert.id}/reinstate`, { note: 'Vérifié avec le titulaire.' })).statusCode, 401);
      const short = await call('admin.agence', 'POST', `/api/v1/security/alerts/${alert.id}/reinstate`, { note: 'ok' });
      assert.equal(short.statusCode, 422);
      assert.equal(short.json().errors[0].field, 'note');
      const refusal = async (url: string, body?: object) => {
        const res = await call('admin.agence', 'POST', url, body);
        return [res.statusCode, (res.json().errors ?? []).map((e: { field: string }) => e.field)];
      };
      assert.deepEqual(await refusal(`/api/v1/security/alerts/${alert.id}/reinstate`), [422, ['note']], 'no body: the note is named');
      assert.deepEqual(await refusal(`/api/v1/security/alerts/${alert.id}/reinstate`, { note: 'Vérifié avec le titulaire.', force: true }), [422, ['force']]);
      for (const id of ['00000000-0000-4000-8000-000000000000', 'pas-un-id']) {
        assert.deepEqual(await refusal(`/api/v1/security/alerts/${id}/reinstate`, { note: 'ok' }), [404, []], `${id}: looked up before the note is judged`);
      }
      assert.equal((await call('admin.agence', 'GET', `/api/v1/security/alerts/${alert.id}?x=1`)).statusCode, 422, 'unknown query parameter');
      const form = (id: string, note: string) =>
        rt.app.inject({
          method: 'POST',
          url: `/securite/alertes/${id}/retablir`,
          headers: { cookie: as['admin.agence'].cookie, 'content-type': 'application/x-www-form-urlencoded' },
          payload: new URLSearchParams({ _csrf: as['admin.agence'].csrfToken, note }).toString(),
        });
      const shortForm = await form(alert.id, 'Trop bref');
      assert.equal(shortForm.statusCode, 422);
      assert.match(shortForm.body, /Constat \(note\) : décrivez en au moins 10 caractères/);
      assert.match(shortForm.body, />Trop bref</, 'the note is shown again as typed');
      assert.equal((await form('00000000-0000-4000-8000-000000000000', 'Trop bref')).statusCode, 404, 'looked up before the note is judged');
      assert.equal(await accountStatus('conseiller.demo'), 'suspended');
      assert.equal(await accountStatus('conseiller.demo'), 'suspended');
      assert.equal((await call('admin.agence', 'POST', '/api/v1/security/alerts/00000000-0000-4000-8000-000000000000/reinstate', { note: 'Vérifié avec le titulaire.' })).statusCode, 404);
      const done = await call('admin.agence', 'POST', `/api/v1/security/alerts/${alert.id}/reinstate`, { note: 'Poste analysé, aucun logiciel espion ; recherche légitime.' });
      assert.equal(done.statusCode, 200, done.body);
      assert.equal(done.json().status, 'resolved');
      assert.equal(await accountStatus('conseiller.demo'), 'active');
      assert.equal((await call('admin.agence', 'POST', `/api/v1/security/alerts/${alert.id}/reinstate`, { note: 'Poste analysé une seconde fois.' })).statusCode, 409);
      as['conseiller.demo'] = await signInAs(rt.app, rt.clock, 'conseiller.demo');
      assert.equal((await call('conseiller.demo', 'GET', `/api/v1/candidates/${identifier(1)}`)).statusCode, 200, 'counts reset on reinstatement');
    });

    it('an organisation’s account is suspended too, and its account manager sees the alert (not another organisation’s)', async () => {
      rt.clock.advance(61 * 60_000);
      for (const login of ['devis.demo', 'rgc.demo', 'rgc.demo2']) as[login] = await signInAs(rt.app, rt.clock, login);
      for (let i = 40; i <= THRESHOLD; i++) {
        const res = await call('devis.demo', 'POST', '/api/v1/quotes', { ...validQuote(today), candidate: { identifier: identifier(i), lastName: `Nom${i}`, birthDate: '1991-01-01' } });
        assert.equal(res.statusCode, 201);
      }
      const ids = (await rt.ctx.db.selectFrom('quote').select('id').orderBy('created_at').execute()).map((r) => r.id);
      let refusedAt = -1;
      for (let i = 0; i < ids.length; i++) {
        const res = await call('devis.demo', 'GET', `/api/v1/quotes/${ids[i]}`);
        if (res.statusCode === 403) {
          refusedAt = i;
          break;
        }
      }
      // Naming a candidate in a draft counts as reading them: the 61 drafts of this hour are 61
      // candidates already, so reading the 40 older quotes (other candidates) passes the
      // threshold at the 40th; the drafts' own candidates add nothing when read again.
      assert.equal(ids.length, THRESHOLD + 1);
      assert.equal(refusedAt, THRESHOLD - 61);
      assert.equal(await accountStatus('devis.demo'), 'suspended');
      const theirs = (await call('rgc.demo', 'GET', '/api/v1/security/alerts')).json().alerts;
      assert.equal(theirs.length, 1);
      assert.equal(theirs[0].account.login, 'devis.demo');
      assert.equal((await mailsTo('rgc.demo@demo.kairos.example')).length, 1);
      assert.deepEqual((await call('rgc.demo2', 'GET', '/api/v1/security/alerts')).json().alerts, []);
      assert.equal((await call('devis.demo', 'GET', '/api/v1/security/alerts')).statusCode, 401, 'its sessions ended');
    });

    it('quote drafts naming candidates count as reads, matched or not: the editor is suspended, only the agency reinstates it', async () => {
      rt.clock.advance(61 * 60_000);
      for (const login of ['devis.demo2', 'rgc.demo2', 'admin.agence']) as[login] = await signInAs(rt.app, rt.clock, login);
      const editor = await rt.ctx.db.selectFrom('account').select(['id', 'organisation_id']).where('login', '=', 'devis.demo2').executeTakeFirstOrThrow();
      // 115 distinct people named: 10 registered (right names), 105 unknown to the register.
      let refusedAt = -1;
      let created = 0;
      for (let i = 0; i < 115; i++) {
        const candidate = i < 10 ? { identifier: identifier(i), lastName: `Nom${i}`, birthDate: '1991-01-01' } : { identifier: `${String(7_000_000 + i)}Q`, lastName: 'Inconnu', birthDate: '1980-02-02' };
        const res = await call('devis.demo2', 'POST', '/api/v1/quotes', { ...validQuote(today), candidate });
        if (res.statusCode === 403) {
          refusedAt = i;
          assert.match(res.json().detail, /suspendu par mesure de sécurité/);
          break;
        }
        assert.equal(res.statusCode, i < 10 ? 201 : 422, `draft ${i}: ${res.body}`);
        if (res.statusCode === 201) created++;
      }
      assert.equal(refusedAt, THRESHOLD, 'the 101st distinct person named is one too many');
      assert.equal(created, 10);
      assert.equal(await accountStatus('devis.demo2'), 'suspended');
      const stored = await rt.ctx.db.selectFrom('register_lookup').select('lookup').where('account_id', '=', editor.id).execute();
      assert.equal(stored.length, THRESHOLD + 1 - 10);
      assert.ok(stored.every((r) => /^[0-9a-f]{64}$/.test(r.lookup)), 'identifiers kept hashed only');

      const alerts = (await call('rgc.demo2', 'GET', '/api/v1/security/alerts')).json().alerts;
      assert.equal(alerts.length, 1);
      assert.equal(alerts[0].account.login, 'devis.demo2');
      assert.equal(alerts[0].details.count, THRESHOLD + 1);
      const detail = (await call('admin.agence', 'GET', `/api/v1/security/alerts/${alerts[0].id}`)).json();
      assert.equal(detail.trail.unmatchedLookups, THRESHOLD + 1 - 10);
      assert.equal((await mailsTo('rgc.demo2@demo.kairos.example')).filter((m) => /devis\.demo2 suspendu/.test(m.subject)).length, 1);

      // The account manager cannot lift a detector's suspension, nor can the agency outside the alert.
      const reactivate = `/api/v1/organisations/${editor.organisation_id}/users/${editor.id}/reactivate`;
      for (const who of ['rgc.demo2', 'admin.agence']) {
        const refused = await call(who, 'POST', reactivate);
        assert.equal(refused.statusCode, 409, who);
        assert.match(refused.headers['content-type'] as string, /application\/problem\+json/);
        assert.match(refused.json().detail, /dispositif de sécurité.*Seule l’administration de l’agence peut le rétablir, depuis l’alerte/);
      }
      assert.equal(await accountStatus('devis.demo2'), 'suspended');
      const userOf = async () => (await call('rgc.demo2', 'GET', `/api/v1/organisations/${editor.organisation_id}/users`)).json().users.find((u: { id: string }) => u.id === editor.id);
      assert.equal((await userOf()).securitySuspension, 'bulk_access');
      // The page says why instead of offering the button; a forged form post is refused with the reason.
      const page = await call('rgc.demo2', 'GET', `/gid/utilisateurs/${editor.id}`);
      assert.equal(page.statusCode, 200);
      assert.match(page.body, /id="suspension-securite"/);
      assert.match(page.body, /Seule l’administration de l’agence peut le rétablir/);
      assert.doesNotMatch(page.body, /Réactiver le compte/);
      const forged = await rt.app.inject({
        method: 'POST',
        url: `/gid/utilisateurs/${editor.id}/reactivation`,
        headers: { cookie: as['rgc.demo2'].cookie, 'content-type': 'application/x-www-form-urlencoded' },
        payload: new URLSearchParams({ _csrf: as['rgc.demo2'].csrfToken }).toString(),
      });
      assert.equal(forged.statusCode, 409);
      assert.match(forged.body, /dispositif de sécurité/);
      assert.equal(await accountStatus('devis.demo2'), 'suspended');

      // Through the alert, the agency reinstates it; a later suspension by the account manager is theirs to lift.
      const done = await call('admin.agence', 'POST', `/api/v1/security/alerts/${alerts[0].id}/reinstate`, { note: 'Titulaire joint : import de fichier mal paramétré.' });
      assert.equal(done.statusCode, 200, done.body);
      assert.equal(await accountStatus('devis.demo2'), 'active');
      assert.equal((await rt.ctx.db.selectFrom('register_lookup').select('lookup').where('account_id', '=', editor.id).execute()).length, 0, 'counts reset');
      assert.equal((await call('rgc.demo2', 'POST', `/api/v1/organisations/${editor.organisation_id}/users/${editor.id}/suspend`)).statusCode, 204);
      assert.equal((await userOf()).securitySuspension, null);
      assert.equal((await call('rgc.demo2', 'POST', reactivate)).statusCode, 204);
      assert.equal(await accountStatus('devis.demo2'), 'active');
    });

    it('an advisor’s look-ups by identifier count, found or not: opening unknown files, searches finding nobody, registrations', async () => {
      rt.clock.advance(61 * 60_000);
      as['conseiller.demo'] = await signInAs(rt.app, rt.clock, 'conseiller.demo');
      for (let i = 0; i < 40; i++) assert.equal((await call('conseiller.demo', 'GET', `/api/v1/candidates/${String(8_000_000 + i)}A`)).statusCode, 404);
      for (let i = 0; i < 30; i++) assert.equal((await call('conseiller.demo', 'GET', `/api/v1/candidates?q=${encodeURIComponent(`Personne${i}`)}`)).statusCode, 200);
      for (let i = 0; i < 30; i++) {
        const res = await call('conseiller.demo', 'POST', '/api/v1/candidates', { identifier: identifier(i), lastName: 'Martin', firstName: 'Test', birthDate: '1991-01-01', email: `c${i}@example.test` });
        assert.equal(res.statusCode, 409, `already registered: ${res.body}`);
      }
      assert.equal(await accountStatus('conseiller.demo'), 'active', '100 look-ups: at the threshold');
      const refused = await call('conseiller.demo', 'GET', `/api/v1/candidates/${String(8_000_999)}A`);
      assert.equal(refused.statusCode, 403);
      assert.equal(await accountStatus('conseiller.demo'), 'suspended');
    });

    it('exports have a lower threshold of their own', async () => {
      const account = await rt.ctx.db.selectFrom('account').select(['id']).where('login', '=', 'rgc.demo2').executeTakeFirstOrThrow();
      const actor: Actor = { accountId: account.id, sessionId: 'x', login: 'rgc.demo2', displayName: 'X', kind: 'staff', organisation: null, habilitations: [] };
      const candidates = (await rt.ctx.db.selectFrom('candidate').select('id').limit(40).execute()).map((c) => c.id);
      const exportsPerHour = rt.ctx.config.bulkAccess.exportsPerHour;
      assert.ok(exportsPerHour < THRESHOLD);
      for (let i = 0; i < exportsPerHour; i++) await guardCandidateAccess(rt.ctx, actor, [candidates[i]], { ip: null, requestId: null } as never, 'export');
      await assert.rejects(guardCandidateAccess(rt.ctx, actor, [candidates[exportsPerHour]], { ip: null, requestId: null } as never, 'export'), (err: { status: number }) => err.status === 403);
      assert.equal(await accountStatus('rgc.demo2'), 'suspended');
    });
  });
}
