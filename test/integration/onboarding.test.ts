import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { sql } from 'kysely';
import { totpCodeAt } from '../../src/modules/identity/second-factor/totp.js';
import { pdfText } from '../helpers/pdf.js';
import { ENGINES, startTestRuntime, type TestRuntime } from '../helpers/runtime.js';
import { sessionCookieOf, signInAs, type SignedIn } from '../helpers/session.js';
import { membershipRequest, nextSiret } from '../helpers/onboarding.js';

const STRONG = 'Une-longue-phrase-de-passe-pour-Zoe-2026';

for (const engine of ENGINES) {
  describe(`adhesion, letters and activation (${engine})`, () => {
    let rt: TestRuntime;
    let admin: SignedIn;
    before(async () => {
      rt = await startTestRuntime(engine);
      admin = await signInAs(rt.app, rt.clock, 'admin.agence');
    });
    after(async () => {
      await rt?.stop();
    });

    const count = async (table: 'membership_request' | 'organisation' | 'account') =>
      (await rt.ctx.db.selectFrom(table).select(sql<number>`count(*)`.as('n')).executeTakeFirstOrThrow()).n;
    const submit = (body: unknown) => rt.app.inject({ method: 'POST', url: '/api/v1/membership-requests', payload: body as object });
    const asAdmin = (method: 'GET' | 'POST', url: string, payload?: object) => rt.app.inject({ method, url, headers: admin.headers, payload });

    async function approvedOrganisation() {
      const created = await submit(membershipRequest());
      assert.equal(created.statusCode, 201, created.body);
      const approved = await asAdmin('POST', `/api/v1/membership-requests/${created.json().id}/approve`);
      assert.equal(approved.statusCode, 200, approved.body);
      await rt.worker.runDue();
      return approved.json() as { organisationId: string; accountManagerLogin: string };
    }

    async function lettersOf(organisationId: string) {
      const res = await asAdmin('GET', `/api/v1/letters?organisation=${organisationId}`);
      assert.equal(res.statusCode, 200);
      return res.json().letters as Array<{ id: string; kind: string; createdAt: string; sentAt: string | null }>;
    }

    async function letterText(id: string) {
      const res = await asAdmin('GET', `/api/v1/letters/${id}/pdf`);
      assert.equal(res.statusCode, 200, res.body);
      assert.equal(res.headers['content-type'], 'application/pdf');
      assert.equal(res.rawPayload.subarray(0, 5).toString(), '%PDF-');
      return pdfText(res.rawPayload);
    }

    const activationCodeIn = (text: string) => /^Code d'activation : ([A-Z0-9-]{14})$/m.exec(text)?.[1];

    it('accepts a valid request (201 pending) and refuses invalid ones naming each field, storing nothing', async () => {
      const ok = await submit(membershipRequest());
      assert.equal(ok.statusCode, 201);
      assert.deepEqual(Object.keys(ok.json()).sort(), ['id', 'status']);
      assert.equal(ok.json().status, 'pending');
      const before = await count('membership_request');
      const bad = await submit({ ...membershipRequest('12345678901234'), nda: '12', accountManager: { ...membershipRequest().accountManager, email: 'pas-un-courriel', phone: '12' } });
      assert.equal(bad.statusCode, 422);
      const fields = bad.json().errors.map((e: { field: string }) => e.field).sort();
      assert.deepEqual(fields, ['accountManager.email', 'accountManager.phone', 'nda', 'siret']);
      assert.ok(bad.json().errors.every((e: { message: string }) => /[éèàa-z]/.test(e.message)));
      for (const body of [{}, [], 'x', { ...membershipRequest(), extra: 1 }, { ...membershipRequest(), qualiopiExpiry: '2020-01-01' }, { ...membershipRequest(), legalName: 'x'.repeat(10_000) }]) {
        const res = await submit(body);
        assert.ok([400, 415, 422].includes(res.statusCode), `${JSON.stringify(body).slice(0, 40)} → ${res.statusCode}`);
      }
      assert.equal(await count('membership_request'), before);
    });

    it('refuses a SIRET with a pending request or an active organisation (409)', async () => {
      const siret = nextSiret();
      assert.equal((await submit(membershipRequest(siret))).statusCode, 201);
      const dup = await submit(membershipRequest(siret));
      assert.equal(dup.statusCode, 409);
      assert.match(dup.json().detail, /SIRET/);
      assert.equal((await submit(membershipRequest('12345678200010'))).statusCode, 409, 'Formapro Démo is already registered');
    });

    it('reserves the review to agency administrators', async () => {
      const rgc = await signInAs(rt.app, rt.clock, 'rgc.demo');
      const created = (await submit(membershipRequest())).json();
      for (const [method, url] of [['GET', '/api/v1/membership-requests'], ['GET', `/api/v1/membership-requests/${created.id}`], ['POST', `/api/v1/membership-requests/${created.id}/approve`]] as const) {
        assert.equal((await rt.app.inject({ method, url })).statusCode, 401, `${url} anonymous`);
        assert.equal((await rt.app.inject({ method, url, headers: rgc.headers })).statusCode, 403, `${url} as account manager`);
      }
      const list = await asAdmin('GET', '/api/v1/membership-requests?status=pending');
      assert.equal(list.statusCode, 200);
      assert.ok(list.json().requests.some((r: { id: string }) => r.id === created.id));
      assert.equal((await asAdmin('GET', '/api/v1/membership-requests/not-a-uuid')).statusCode, 404);
      assert.equal((await asAdmin('POST', '/api/v1/membership-requests/00000000-0000-4000-8000-000000000000/approve')).statusCode, 404);
      assert.equal((await asAdmin('GET', '/api/v1/membership-requests?status=nope')).statusCode, 422);
      const today = rt.clock.now().toISOString().slice(0, 10);
      const byDate = await asAdmin('GET', `/api/v1/membership-requests?from=${today}&to=${today}`);
      assert.ok(byDate.json().requests.some((r: { id: string }) => r.id === created.id));
      const past = await asAdmin('GET', '/api/v1/membership-requests?to=2000-01-01');
      assert.deepEqual(past.json().requests, []);
    });

    it('declares its schemas: a malformed id is the unknown id’s 404, unexpected parameters and fields are named, nothing changes', async () => {
      const created = (await submit(membershipRequest())).json();
      const malformed = await asAdmin('GET', '/api/v1/membership-requests/pas-un-id');
      const unknown = await asAdmin('GET', '/api/v1/membership-requests/00000000-0000-4000-8000-000000000000');
      assert.equal(malformed.statusCode, 404);
      assert.equal(malformed.json().detail, unknown.json().detail);
      assert.equal(malformed.json().detail, 'Cette demande d’adhésion est introuvable.');
      assert.equal((await asAdmin('GET', '/api/v1/letters/pas-un-id/pdf')).json().detail, 'Ce courrier est introuvable.');
      const extraQuery = await asAdmin('GET', '/api/v1/membership-requests?statut=pending');
      assert.equal(extraQuery.statusCode, 422);
      assert.equal(extraQuery.json().errors[0].field, 'statut');
      const approveWithBody = await asAdmin('POST', `/api/v1/membership-requests/${created.id}/approve`, { force: true });
      assert.equal(approveWithBody.statusCode, 422);
      assert.equal(approveWithBody.json().errors[0].field, 'force');
      const noReason = await asAdmin('POST', `/api/v1/membership-requests/${created.id}/reject`);
      assert.equal(noReason.statusCode, 422);
      assert.equal(noReason.json().errors[0].field, 'reason');
      assert.equal((await asAdmin('GET', `/api/v1/membership-requests/${created.id}`)).json().status, 'pending', 'nothing decided');
      const activation = await rt.app.inject({ method: 'POST', url: '/api/v1/activation', payload: { login: 'x' } });
      assert.equal(activation.statusCode, 422);
      assert.deepEqual(activation.json().errors.map((e: { field: string }) => e.field).sort(), ['activationCode', 'password']);
      assert.match(activation.json().errors[0].message, /: champ obligatoire\.$/);
      const lettersOfMalformed = await asAdmin('GET', '/api/v1/letters?organisation=pas-un-id');
      assert.equal(lettersOfMalformed.statusCode, 404);
      assert.equal((await asAdmin('GET', '/api/v1/letters')).statusCode, 422);
    });

    it('runs the whole path: approve → two letters → activation → sign-in with the new TOTP', async () => {
      const { organisationId, accountManagerLogin } = await approvedOrganisation();
      assert.match(accountManagerLogin, /^zessai\.\d{4}$/);
      const letters = await lettersOf(organisationId);
      assert.deepEqual(letters.map((l) => l.kind).sort(), ['activation', 'identifier']);
      const identifier = await letterText(letters.find((l) => l.kind === 'identifier')!.id);
      const activation = await letterText(letters.find((l) => l.kind === 'activation')!.id);
      assert.match(identifier, new RegExp(`^Identifiant : ${accountManagerLogin.replace('.', '\\.')}$`, 'm'));
      const code = activationCodeIn(activation);
      assert.ok(code, activation);
      assert.ok(!identifier.includes(code), 'the identifier letter does not carry the code');
      assert.ok(!activation.includes(accountManagerLogin), 'the activation letter does not carry the login');
      assert.match(activation, /France Travail/);
      const jobs = await rt.ctx.db.selectFrom('job').select(['kind', 'payload']).where('kind', '=', 'letter.render').execute();
      assert.ok(jobs.every((j) => !JSON.stringify(j.payload).includes(code)), 'the code never sits in clear in the job table');

      // Until activated, the account cannot sign in.
      rt.clock.advance(30_000);
      const early = await rt.app.inject({ method: 'POST', url: '/api/v1/session', payload: { login: accountManagerLogin, password: STRONG, otp: '123456' } });
      assert.equal(early.statusCode, 401);

      const activate = (payload: object) => rt.app.inject({ method: 'POST', url: '/api/v1/activation', payload, remoteAddress: '10.20.0.1' });
      const wrong = await activate({ login: accountManagerLogin, activationCode: 'AAAA-BBBB-CCCC', password: STRONG });
      assert.equal(wrong.statusCode, 401);
      const unknown = await activate({ login: 'personne.0000', activationCode: code, password: STRONG });
      assert.equal(unknown.json().detail, wrong.json().detail, 'one generic refusal');
      const weak = await activate({ login: accountManagerLogin, activationCode: code, password: 'Zoe-2026-abc' });
      assert.equal(weak.statusCode, 422);
      assert.equal(weak.json().errors[0].field, 'password');
      const started = await activate({ login: accountManagerLogin, activationCode: code.toLowerCase(), password: STRONG });
      assert.equal(started.statusCode, 200, started.body);
      const secret = new URL(started.json().otpauthUrl).searchParams.get('secret')!;
      const confirm = (otp: string) => rt.app.inject({ method: 'POST', url: '/api/v1/activation/confirm', payload: { login: accountManagerLogin, otp }, remoteAddress: '10.20.0.2' });
      assert.equal((await confirm(totpCodeAt(secret, new Date(rt.clock.now().getTime() - 300_000)))).statusCode, 401);
      const confirmed = await confirm(totpCodeAt(secret, rt.clock.now()));
      assert.equal(confirmed.statusCode, 200, confirmed.body);
      assert.equal(confirmed.json().recoveryCodes.length, 10);
      assert.equal((await activate({ login: accountManagerLogin, activationCode: code, password: STRONG })).statusCode, 401, 'the code is spent');

      rt.clock.advance(30_000);
      const signIn = await rt.app.inject({ method: 'POST', url: '/api/v1/session', payload: { login: accountManagerLogin, password: STRONG, otp: totpCodeAt(secret, rt.clock.now()) } });
      assert.equal(signIn.statusCode, 200, signIn.body);
      const me = await rt.app.inject({ url: '/api/v1/me', headers: { cookie: sessionCookieOf(signIn) } });
      assert.equal(me.json().organisation.id, organisationId);
      assert.deepEqual(me.json().habilitations, [{ application: 'gid', role: 'account_manager' }, { application: 'support', role: 'user' }]);
      const actions = (await rt.ctx.db.selectFrom('audit_log').select('action').where('organisation_id', '=', organisationId).execute()).map((a) => a.action);
      for (const a of ['membership_request.approved', 'organisation.created', 'account.created', 'letter.downloaded', 'account.activated', 'sign_in.succeeded']) assert.ok(actions.includes(a), a);
    });

    it('regenerating the activation letter voids the previous code; a sent activation letter is erased', async () => {
      const { organisationId, accountManagerLogin } = await approvedOrganisation();
      const first = (await lettersOf(organisationId)).find((l) => l.kind === 'activation')!;
      const oldCode = activationCodeIn(await letterText(first.id))!;
      const regen = await asAdmin('POST', `/api/v1/letters/${first.id}/regenerate`);
      assert.equal(regen.statusCode, 201);
      await rt.worker.runDue();
      const newCode = activationCodeIn(await letterText(regen.json().id))!;
      assert.notEqual(newCode, oldCode);
      const activate = (activationCode: string) =>
        rt.app.inject({ method: 'POST', url: '/api/v1/activation', remoteAddress: '10.21.0.1', payload: { login: accountManagerLogin, activationCode, password: STRONG } });
      assert.equal((await activate(oldCode)).statusCode, 401);
      assert.equal((await activate(newCode)).statusCode, 200);
      const sent = await asAdmin('POST', `/api/v1/letters/${regen.json().id}/sent`);
      assert.equal(sent.statusCode, 200);
      assert.equal((await asAdmin('POST', `/api/v1/letters/${regen.json().id}/sent`)).statusCode, 409);
      assert.equal((await asAdmin('GET', `/api/v1/letters/${regen.json().id}/pdf`)).statusCode, 410);
      const listed = await lettersOf(organisationId);
      assert.ok(listed.find((l) => l.id === regen.json().id)?.sentAt);
    });

    it('rejection records the reason and mails it to the requester', async () => {
      const created = (await submit(membershipRequest())).json();
      assert.equal((await asAdmin('POST', `/api/v1/membership-requests/${created.id}/reject`, { reason: '' })).statusCode, 422);
      const rejected = await asAdmin('POST', `/api/v1/membership-requests/${created.id}/reject`, { reason: 'Numéro de déclaration d’activité introuvable.' });
      assert.equal(rejected.statusCode, 200);
      const detail = await asAdmin('GET', `/api/v1/membership-requests/${created.id}`);
      assert.equal(detail.json().status, 'rejected');
      assert.equal(detail.json().reason, 'Numéro de déclaration d’activité introuvable.');
      const mails = await rt.ctx.db.selectFrom('job').select('payload').where('kind', '=', 'mail.send').execute();
      assert.ok(mails.some((m) => String((m.payload as { text: string }).text).includes('Numéro de déclaration d’activité introuvable.')));
      assert.equal((await asAdmin('POST', `/api/v1/membership-requests/${created.id}/approve`)).statusCode, 409);
    });
  });
}
