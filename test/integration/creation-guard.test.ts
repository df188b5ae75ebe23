// Account-creation guard: beyond 3 accounts (or 10 grants) in 24 h by one
// account manager, further accounts are held (suspended, activation mails withheld) and an alert
// goes to the agency, whose administrator confirms them; the next day is normal again.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { LightMyRequestResponse } from 'fastify';
import { HELD_REASON } from '../../src/modules/habilitations/creation-guard.js';
import { ENGINES, startTestRuntime, type TestRuntime } from '../helpers/runtime.js';
import { signInAs, type SignedIn } from '../helpers/session.js';

for (const engine of ENGINES) {
  describe(`account-creation guard (${engine})`, () => {
    let rt: TestRuntime;
    const as: Record<string, SignedIn> = {};
    let formapro = '';
    before(async () => {
      rt = await startTestRuntime(engine);
      formapro = (await rt.ctx.db.selectFrom('organisation').select('id').where('name', '=', 'Formapro Démo').executeTakeFirstOrThrow()).id;
      for (const login of ['rgc.demo', 'rgc.demo2', 'admin.agence']) as[login] = await signInAs(rt.app, rt.clock, login);
    });
    after(() => rt?.stop());

    const call = (who: string, method: 'GET' | 'POST', url: string, payload?: object): Promise<LightMyRequestResponse> =>
      rt.app.inject({ method, url, headers: as[who].headers, ...(payload ? { payload } : {}) });
    const mailsTo = async (to: string) =>
      (await rt.ctx.db.selectFrom('job').select('payload').where('kind', '=', 'mail.send').execute()).map((j) => j.payload as { to: string; subject: string }).filter((m) => m.to === to);
    const account = (id: string) => rt.ctx.db.selectFrom('account').select(['status', 'suspended_reason']).where('id', '=', id).executeTakeFirstOrThrow();
    async function create(n: number) {
      const res = await call('rgc.demo', 'POST', `/api/v1/organisations/${formapro}/users`, { lastName: `Nouveau ${'ABCDEFGHIJ'[n]}`, firstName: 'Test', email: `nouveau${n}@formapro.example` });
      assert.equal(res.statusCode, 201, res.body);
      return res.json() as { id: string; login: string; pendingAgencyConfirmation: boolean };
    }

    it('holds the 4th account of the day, withholds its mails, alerts the agency; the administrator confirms it', async () => {
      const first = [await create(1), await create(2), await create(3)];
      assert.deepEqual(first.map((a) => a.pendingAgencyConfirmation), [false, false, false]);
      for (const n of [1, 2, 3]) assert.equal((await mailsTo(`nouveau${n}@formapro.example`)).length, 2);
      const held = await create(4);
      const held2 = await create(5);
      assert.equal(held.pendingAgencyConfirmation, true);
      assert.deepEqual(await account(held.id), { status: 'suspended', suspended_reason: HELD_REASON });
      assert.equal((await mailsTo('nouveau4@formapro.example')).length, 0, 'activation mails withheld');
      const agencyMails = (await mailsTo('admin.agence@demo.kairos.example')).filter((m) => /comptes à confirmer/.test(m.subject));
      assert.equal(agencyMails.length, 1, 'one alert (and one mail) for the burst');

      const alerts = (await call('admin.agence', 'GET', '/api/v1/security/alerts')).json().alerts.filter((a: { kind: string }) => a.kind === 'account_creation');
      assert.equal(alerts.length, 1);
      assert.deepEqual(alerts[0].details.accounts.map((a: { login: string }) => a.login), [held.login, held2.login]);
      // The organisation's own account manager sees it too; another organisation's does not.
      assert.equal((await call('rgc.demo', 'GET', '/api/v1/security/alerts')).json().alerts.length, 1);
      assert.equal((await call('rgc.demo2', 'GET', '/api/v1/security/alerts')).json().alerts.length, 0);
      assert.equal((await call('rgc.demo', 'POST', `/api/v1/security/alerts/${alerts[0].id}/reinstate`, { note: 'Je confirme moi-même.' })).statusCode, 403);
      // A held account is the agency's to release: its account manager cannot reactivate it in GID.
      const reactivate = await call('rgc.demo', 'POST', `/api/v1/organisations/${formapro}/users/${held.id}/reactivate`);
      assert.equal(reactivate.statusCode, 409);
      assert.match(reactivate.json().detail, /dispositif de sécurité.*confirmation de l’agence.*depuis l’alerte/);
      assert.equal((await account(held.id)).status, 'suspended');
      const userPage = await call('rgc.demo', 'GET', `/gid/utilisateurs/${held.id}`);
      assert.match(userPage.body, /id="suspension-securite"/);
      assert.doesNotMatch(userPage.body, /Réactiver le compte/);
      assert.equal((await mailsTo('nouveau4@formapro.example')).length, 0, 'still withheld');
      const page = await call('admin.agence', 'GET', `/securite/alertes/${alerts[0].id}`);
      assert.match(page.body, /Confirmer les comptes/);
      assert.match(page.body, new RegExp(held.login.replace('.', '\\.')));

      const confirmed = await call('admin.agence', 'POST', `/api/v1/security/alerts/${alerts[0].id}/reinstate`, { note: 'Recrutements confirmés par téléphone avec la direction.' });
      assert.equal(confirmed.statusCode, 200, confirmed.body);
      assert.equal((await account(held.id)).status, 'pending');
      assert.equal((await mailsTo('nouveau4@formapro.example')).length, 2, 'held mails sent on confirmation');
      assert.equal((await mailsTo('nouveau5@formapro.example')).length, 2);
    });

    it('holds an account receiving a grant beyond the daily volume; a new day starts afresh', async () => {
      const target = await create(6); // still beyond 3 today: held
      assert.equal(target.pendingAgencyConfirmation, true);
      rt.clock.advance(25 * 3_600_000);
      for (const login of ['rgc.demo', 'admin.agence']) as[login] = await signInAs(rt.app, rt.clock, login);
      const fresh = await create(7);
      assert.equal(fresh.pendingAgencyConfirmation, false, 'a new day');
      const grants = [['kairos', 'quote_editor'], ['kairos', 'attendance_officer'], ['kairos', 'reader'], ['support', 'user']];
      let count = 0;
      for (const u of [fresh, await create(8), await create(9)]) {
        for (const [application, role] of grants) {
          const res = await call('rgc.demo', 'POST', `/api/v1/organisations/${formapro}/users/${u.id}/habilitations`, { application, role });
          assert.equal(res.statusCode, 201, res.body);
          count++;
          const expectHeld = count > 10;
          assert.equal((await account(u.id)).status === 'suspended', expectHeld, `grant ${count}`);
        }
      }
    });
  });
}
