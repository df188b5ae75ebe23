// Joining's whole path, through the public API only: adhesion request → approval → the two
// letters → activation → sign-in with the new TOTP → a colleague created, activated and granted
// → the colleague sees Kairos on the portal → revoked → their next request is refused.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { totpCodeAt } from '../../src/modules/identity/second-factor/totp.js';
import { pdfText } from '../helpers/pdf.js';
import { ENGINES, startTestRuntime, type TestRuntime } from '../helpers/runtime.js';
import { sessionCookieOf, signInAs } from '../helpers/session.js';
import { membershipRequest } from '../helpers/onboarding.js';

const RGC_PASSWORD = 'Responsable-des-comptes-de-l-essai-2026';
const STAFF_PASSWORD = 'Collegue-redacteur-devis-2026';

for (const engine of ENGINES) {
  describe(`from adhesion to a revoked habilitation (${engine})`, () => {
    let rt: TestRuntime;
    before(async () => {
      rt = await startTestRuntime(engine);
    });
    after(async () => {
      await rt?.stop();
    });

    async function activate(login: string, activationCode: string, password: string) {
      const started = await rt.app.inject({ method: 'POST', url: '/api/v1/activation', payload: { login, activationCode, password } });
      assert.equal(started.statusCode, 200, started.body);
      const secret = new URL(started.json().otpauthUrl).searchParams.get('secret')!;
      const confirmed = await rt.app.inject({ method: 'POST', url: '/api/v1/activation/confirm', payload: { login, otp: totpCodeAt(secret, rt.clock.now()) } });
      assert.equal(confirmed.statusCode, 200, confirmed.body);
      return secret;
    }

    async function signIn(login: string, password: string, secret: string) {
      rt.clock.advance(30_000);
      const res = await rt.app.inject({ method: 'POST', url: '/api/v1/session', payload: { login, password, otp: totpCodeAt(secret, rt.clock.now()) } });
      assert.equal(res.statusCode, 200, res.body);
      const cookie = sessionCookieOf(res);
      return { cookie, headers: { cookie, 'x-csrf-token': res.json().csrfToken as string } };
    }

    it('works end to end', async () => {
      const admin = await signInAs(rt.app, rt.clock, 'admin.agence');
      const created = await rt.app.inject({ method: 'POST', url: '/api/v1/membership-requests', payload: membershipRequest() });
      assert.equal(created.statusCode, 201);
      const approved = await rt.app.inject({ method: 'POST', url: `/api/v1/membership-requests/${created.json().id}/approve`, headers: admin.headers });
      const { organisationId, accountManagerLogin } = approved.json();
      await rt.worker.runDue();

      const letters = (await rt.app.inject({ url: `/api/v1/letters?organisation=${organisationId}`, headers: admin.headers })).json().letters;
      const activationLetter = letters.find((l: { kind: string }) => l.kind === 'activation');
      const pdf = await rt.app.inject({ url: `/api/v1/letters/${activationLetter.id}/pdf`, headers: admin.headers });
      const code = /^Code d'activation : (\S+)$/m.exec(await pdfText(pdf.rawPayload))![1];
      const rgcSecret = await activate(accountManagerLogin, code, RGC_PASSWORD);
      const rgc = await signIn(accountManagerLogin, RGC_PASSWORD, rgcSecret);

      const colleague = await rt.app.inject({
        method: 'POST',
        url: `/api/v1/organisations/${organisationId}/users`,
        headers: rgc.headers,
        payload: { lastName: 'Collègue', firstName: 'Noé', email: 'noe.collegue@organisme.example' },
      });
      assert.equal(colleague.statusCode, 201, colleague.body);
      const { id: colleagueId, login: colleagueLogin } = colleague.json();
      const mails = await rt.ctx.db.selectFrom('job').select('payload').where('kind', '=', 'mail.send').execute();
      const toColleague = mails.map((m) => m.payload as { to: string; text: string }).filter((m) => m.to === 'noe.collegue@organisme.example');
      assert.equal(toColleague.length, 2, 'identifier and code travel in two separate mails');
      const codeMail = toColleague.find((m) => /code d’activation Kairos : /.test(m.text))!;
      const colleagueCode = /code d’activation Kairos : (\S+)/.exec(codeMail.text)![1];
      assert.ok(!codeMail.text.includes(colleagueLogin));
      const colleagueSecret = await activate(colleagueLogin, colleagueCode, STAFF_PASSWORD);
      const staff = await signIn(colleagueLogin, STAFF_PASSWORD, colleagueSecret);
      assert.equal((await rt.app.inject({ url: '/kairos', headers: { cookie: staff.cookie } })).statusCode, 403, 'no habilitation yet');

      const grant = await rt.app.inject({
        method: 'POST',
        url: `/api/v1/organisations/${organisationId}/users/${colleagueId}/habilitations`,
        headers: rgc.headers,
        payload: { application: 'kairos', role: 'quote_editor' },
      });
      assert.equal(grant.statusCode, 201, grant.body);
      const portal = await rt.app.inject({ url: '/portail', headers: { cookie: staff.cookie } });
      assert.match(portal.body, /data-application="kairos"/);
      assert.equal((await rt.app.inject({ url: '/kairos', headers: { cookie: staff.cookie } })).statusCode, 200);

      const revoke = await rt.app.inject({
        method: 'DELETE',
        url: `/api/v1/organisations/${organisationId}/users/${colleagueId}/habilitations/${grant.json().id}`,
        headers: rgc.headers,
      });
      assert.equal(revoke.statusCode, 204);
      assert.equal((await rt.app.inject({ url: '/kairos', headers: { cookie: staff.cookie } })).statusCode, 403, 'refused on the very next request');
      const actions = (await rt.ctx.db.selectFrom('audit_log').select('action').where('organisation_id', '=', organisationId).execute()).map((a) => a.action);
      for (const a of ['gid.user_created', 'gid.habilitation_granted', 'gid.habilitation_revoked', 'account.activated']) assert.ok(actions.includes(a), a);
    });
  });
}
