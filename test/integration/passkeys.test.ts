// Passkeys through the API, with a software authenticator producing real attestations and
// assertions (test/helpers/passkey-authenticator.ts): enrolment bound to a fresh session,
// sign-in with the passkey alone, single-use challenges, counters, another account's passkey,
// bodies refused with nothing stored, and the obligation of PASSKEY_REQUIRED_ROLES.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { LightMyRequestResponse } from 'fastify';
import { MAIL_JOB } from '../../src/mail/mailer.js';
import { apiCall, expectJson } from '../helpers/fixtures.js';
import { SoftwareAuthenticator } from '../helpers/passkey-authenticator.js';
import { ENGINES, startTestRuntime, type TestRuntime } from '../helpers/runtime.js';
import { sessionCookieOf, signInAs, type SignedIn } from '../helpers/session.js';

const ORIGIN = 'http://localhost:3000';
const RP_ID = 'localhost';

type Options = { challenge: string; user: { id: string }; rp: { id: string }; authenticatorSelection: { userVerification: string; residentKey: string } };

async function enrol(rt: TestRuntime, who: SignedIn, name: string, authenticator = new SoftwareAuthenticator(ORIGIN, RP_ID)) {
  const options = await expectJson<Options>(await apiCall(rt.app, who, 'POST', '/api/v1/me/passkeys/options'), 200, 'registration options');
  const created = await expectJson<{ id: string }>(
    await apiCall(rt.app, who, 'POST', '/api/v1/me/passkeys', { name, response: authenticator.register(options) }),
    201,
    'enrolment',
  );
  return { authenticator, id: created.id };
}

/** Options of a sign-in and the flow cookie they come with. */
async function signInOptions(rt: TestRuntime): Promise<{ challenge: string; cookie: string }> {
  const res = await rt.app.inject({ method: 'POST', url: '/api/v1/session/passkey/options' });
  assert.equal(res.statusCode, 200, res.body);
  const flow = res.cookies.find((c) => c.name.endsWith('kairos_passkey_flow'));
  assert.ok(flow, 'a flow cookie binds the challenge');
  assert.equal(flow.httpOnly, true);
  assert.equal(flow.sameSite, 'Strict');
  return { challenge: res.json().challenge, cookie: `${flow.name}=${flow.value}` };
}

function passkeySignIn(rt: TestRuntime, cookie: string | null, response: unknown, ip = '10.7.0.1'): Promise<LightMyRequestResponse> {
  return rt.app.inject({ method: 'POST', url: '/api/v1/session/passkey', remoteAddress: ip, headers: cookie ? { cookie } : {}, payload: { response } });
}

async function countPasskeys(rt: TestRuntime): Promise<number> {
  const row = await rt.ctx.db.selectFrom('passkey').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
  return Number(row.n);
}

async function auditActions(rt: TestRuntime, action: string) {
  return rt.ctx.db.selectFrom('audit_log').select(['actor_login', 'target_id', 'details']).where('action', '=', action).orderBy('id').execute();
}

for (const engine of ENGINES) {
  describe(`passkeys (${engine})`, () => {
    let rt: TestRuntime;
    before(async () => {
      rt = await startTestRuntime(engine);
    });
    after(async () => {
      await rt?.stop();
    });

    it('refuses every passkey route of an account to someone not signed in (401)', async () => {
      for (const [method, url] of [
        ['GET', '/api/v1/me/passkeys'],
        ['POST', '/api/v1/me/passkeys/options'],
        ['POST', '/api/v1/me/passkeys'],
        ['DELETE', '/api/v1/me/passkeys/00000000-0000-4000-8000-000000000000'],
      ] as const) {
        const res = await apiCall(rt.app, null, method, url, method === 'POST' ? {} : undefined);
        assert.equal(res.statusCode, 401, `${method} ${url}`);
      }
    });

    it('enrols a user-verifying, discoverable passkey for the public URL, lists it and audits it', async () => {
      const lou = await signInAs(rt.app, rt.clock, 'devis.demo');
      const empty = await expectJson<{ passkeys: unknown[]; obligation: { state: string } }>(await apiCall(rt.app, lou, 'GET', '/api/v1/me/passkeys'), 200, 'list');
      assert.deepEqual(empty, { passkeys: [], obligation: { state: 'none', deadline: null } });

      const options = await expectJson<Options>(await apiCall(rt.app, lou, 'POST', '/api/v1/me/passkeys/options'), 200, 'options');
      assert.equal(options.rp.id, RP_ID);
      assert.equal(options.authenticatorSelection.userVerification, 'required');
      assert.equal(options.authenticatorSelection.residentKey, 'required');
      const authenticator = new SoftwareAuthenticator(ORIGIN, RP_ID);
      const res = await apiCall(rt.app, lou, 'POST', '/api/v1/me/passkeys', { name: '  Ordinateur   du bureau ', response: authenticator.register(options) });
      assert.equal(res.statusCode, 201, res.body);
      const created = res.json();
      assert.equal(created.name, 'Ordinateur du bureau');
      assert.equal(created.lastUsedAt, null);

      const list = await expectJson<{ passkeys: Array<{ id: string; name: string }> }>(await apiCall(rt.app, lou, 'GET', '/api/v1/me/passkeys'), 200, 'list');
      assert.deepEqual(list.passkeys.map((p) => [p.id, p.name]), [[created.id, 'Ordinateur du bureau']]);
      const audit = await auditActions(rt, 'passkey.enrolled');
      assert.deepEqual(audit.map((a) => [a.actor_login, a.target_id]), [['devis.demo', created.id]]);
      // The same authenticator cannot be enrolled twice (it is excluded, and refused if sent).
      const again = await expectJson<Options & { excludeCredentials: Array<{ id: string }> }>(await apiCall(rt.app, lou, 'POST', '/api/v1/me/passkeys/options'), 200, 'options');
      assert.deepEqual(again.excludeCredentials.map((c) => c.id), [authenticator.id]);
      const duplicate = await apiCall(rt.app, lou, 'POST', '/api/v1/me/passkeys', { name: 'Encore', response: authenticator.register(again) });
      assert.equal(duplicate.statusCode, 409);
      assert.equal(await countPasskeys(rt), 1);
    });

    it('stores nothing for an invalid body, a wrong or replayed challenge, another origin or an unverified user', async () => {
      const ada = await signInAs(rt.app, rt.clock, 'assiduite.demo');
      const before = await countPasskeys(rt);
      const options = await expectJson<Options>(await apiCall(rt.app, ada, 'POST', '/api/v1/me/passkeys/options'), 200, 'options');
      const good = new SoftwareAuthenticator(ORIGIN, RP_ID).register(options);

      const noName = await apiCall(rt.app, ada, 'POST', '/api/v1/me/passkeys', { response: good });
      assert.equal(noName.statusCode, 422);
      assert.match(JSON.stringify(noName.json().errors), /Nom de la clé \(name\)/);
      const blank = await apiCall(rt.app, ada, 'POST', '/api/v1/me/passkeys', { name: '   ', response: good });
      assert.equal(blank.statusCode, 422);
      const garbage = await apiCall(rt.app, ada, 'POST', '/api/v1/me/passkeys', { name: 'Clé', response: { ...good, response: { clientDataJSON: 'pas du base64!', attestationObject: 'x' } } });
      assert.equal(garbage.statusCode, 422);
      const extra = await apiCall(rt.app, ada, 'POST', '/api/v1/me/passkeys', { name: 'Clé', response: good, admin: true });
      assert.equal(extra.statusCode, 422);
      const notJson = await rt.app.inject({ method: 'POST', url: '/api/v1/me/passkeys', headers: { ...ada.headers, 'content-type': 'application/json' }, payload: '{"name":' });
      assert.equal(notJson.statusCode, 400);

      // None of those took the challenge: the good answer still passes, once.
      const wrongChallenge = new SoftwareAuthenticator(ORIGIN, RP_ID).register({ ...options, challenge: Buffer.from('un autre défi').toString('base64url') });
      const refused = await apiCall(rt.app, ada, 'POST', '/api/v1/me/passkeys', { name: 'Clé', response: wrongChallenge });
      assert.equal(refused.statusCode, 422);
      assert.match(refused.json().detail, /n’a pas pu être vérifiée/);
      // That attempt used the challenge up: even the right answer to it is refused now (single use).
      const replay = await apiCall(rt.app, ada, 'POST', '/api/v1/me/passkeys', { name: 'Clé', response: good });
      assert.equal(replay.statusCode, 422);

      for (const variant of [{ origin: 'https://kairos-portail.example' }, { rpId: 'kairos-portail.example' }, { userVerified: false }]) {
        const fresh = await expectJson<Options>(await apiCall(rt.app, ada, 'POST', '/api/v1/me/passkeys/options'), 200, 'options');
        const res = await apiCall(rt.app, ada, 'POST', '/api/v1/me/passkeys', { name: 'Clé', response: new SoftwareAuthenticator(ORIGIN, RP_ID).register(fresh, variant) });
        assert.equal(res.statusCode, 422, JSON.stringify(variant));
      }
      // A challenge belongs to the session that asked for it.
      const other = await signInAs(rt.app, rt.clock, 'assiduite.demo');
      const mine = await expectJson<Options>(await apiCall(rt.app, ada, 'POST', '/api/v1/me/passkeys/options'), 200, 'options');
      const elsewhere = await apiCall(rt.app, other, 'POST', '/api/v1/me/passkeys', { name: 'Clé', response: new SoftwareAuthenticator(ORIGIN, RP_ID).register(mine) });
      assert.equal(elsewhere.statusCode, 422);
      assert.equal(await countPasskeys(rt), before);
    });

    it('signs in with the passkey alone: session, audit, last use; the challenge serves once', async () => {
      const rgc = await signInAs(rt.app, rt.clock, 'rgc.demo');
      const { authenticator, id } = await enrol(rt, rgc, 'Téléphone');
      rt.clock.advance(60_000);
      const flow = await signInOptions(rt);
      const assertion = authenticator.assert(flow);
      const res = await passkeySignIn(rt, `${flow.cookie}; ${rgc.cookie}`, assertion);
      assert.equal(res.statusCode, 200, res.body);
      const cookie = sessionCookieOf(res);
      const me = await expectJson<{ login: string }>(await rt.app.inject({ method: 'GET', url: '/api/v1/me', headers: { cookie } }), 200, 'me');
      assert.equal(me.login, 'rgc.demo');
      // Rotation as for a password: the session the browser had is over.
      assert.equal((await rt.app.inject({ method: 'GET', url: '/api/v1/me', headers: { cookie: rgc.cookie } })).statusCode, 401);
      const signedIn = await auditActions(rt, 'sign_in.succeeded');
      assert.deepEqual(signedIn.at(-1)?.details, { method: 'passkey', passkeyId: id });
      const list = await expectJson<{ passkeys: Array<{ lastUsedAt: string | null }> }>(
        await rt.app.inject({ method: 'GET', url: '/api/v1/me/passkeys', headers: { cookie } }),
        200,
        'list',
      );
      assert.equal(list.passkeys[0]?.lastUsedAt, rt.clock.now().toISOString());

      // Each refusal counts as a failed sign-in of the account (and of the address): past three,
      // delays apply as for passwords, so the clock moves on between attempts here.
      const attempt = async (response: (flow: { challenge: string }) => unknown, withCookie = true) => {
        rt.clock.advance(20 * 60_000);
        const flow = await signInOptions(rt);
        return passkeySignIn(rt, withCookie ? flow.cookie : null, response(flow));
      };
      // The same flow again, even with a new signature: its challenge is gone.
      assert.equal((await passkeySignIn(rt, flow.cookie, authenticator.assert(flow))).statusCode, 401);
      // No flow cookie, a challenge the server never gave, an unverified user, an unknown key, a counter gone back (a clone).
      assert.equal((await attempt((f) => authenticator.assert(f), false)).statusCode, 401);
      assert.equal((await attempt(() => authenticator.assert({ challenge: Buffer.from('inventé').toString('base64url') }))).statusCode, 401);
      assert.equal((await attempt((f) => authenticator.assert(f, { userVerified: false }))).statusCode, 401);
      const refused = await attempt((f) => new SoftwareAuthenticator(ORIGIN, RP_ID).assert(f));
      assert.equal(refused.statusCode, 401);
      assert.equal(refused.json().detail, 'La connexion avec une clé d’accès a échoué. Réessayez, ou connectez-vous avec votre mot de passe et votre code.');
      assert.equal(refused.cookies.filter((c) => c.name.endsWith('kairos_session')).length, 0);
      assert.equal((await attempt((f) => authenticator.assert(f, { counter: 1 }))).statusCode, 401);
      const throttled = await rt.ctx.db.selectFrom('sign_in_throttle').select('failures').where('key', '=', 'login:rgc.demo').executeTakeFirst();
      assert.equal(throttled?.failures, 5, 'the passkey failures naming the account count against its login, as failed passwords do');
      assert.equal((await attempt((f) => authenticator.assert(f, { counter: authenticator.counter + 5 }))).statusCode, 200);
      const failed = await auditActions(rt, 'sign_in.failed');
      assert.ok(failed.some((f) => (f.details as { method?: string }).method === 'passkey'), 'passkey failures are audited');
      assert.equal(await rt.ctx.db.selectFrom('sign_in_throttle').select('failures').where('key', '=', 'login:rgc.demo').executeTakeFirst(), undefined, 'a success clears the login’s count');
      const ip = await rt.ctx.db.selectFrom('sign_in_throttle').select('failures').where('key', '=', 'login-ip:10.7.0.1').executeTakeFirst();
      assert.ok((ip?.failures ?? 0) >= 6, 'the address keeps its count');
    });

    it('refuses a passkey of a suspended account with the same answer', async () => {
      const sam = await signInAs(rt.app, rt.clock, 'support.demo');
      const { authenticator } = await enrol(rt, sam, 'Clé USB');
      await rt.ctx.db.updateTable('account').set({ status: 'suspended' }).where('login', '=', 'support.demo').execute();
      const flow = await signInOptions(rt);
      const res = await passkeySignIn(rt, flow.cookie, authenticator.assert(flow), '10.7.1.1');
      assert.equal(res.statusCode, 401);
      const last = (await auditActions(rt, 'sign_in.failed')).at(-1);
      assert.deepEqual(last?.details, { reason: 'status_suspended', method: 'passkey' });
      await rt.ctx.db.updateTable('account').set({ status: 'active' }).where('login', '=', 'support.demo').execute();
    });

    it('removes one’s own passkey after a fresh sign-in only; another account’s is a 404', async () => {
      const candidate = await signInAs(rt.app, rt.clock, 'candidat.demo');
      const theirs = await enrol(rt, candidate, 'Téléphone du candidat');
      const cam = await signInAs(rt.app, rt.clock, 'conseiller.demo');
      const mine = await enrol(rt, cam, 'Portable');
      const before = await countPasskeys(rt);

      assert.equal((await apiCall(rt.app, cam, 'DELETE', `/api/v1/me/passkeys/${theirs.id}`)).statusCode, 404);
      assert.equal((await apiCall(rt.app, cam, 'DELETE', '/api/v1/me/passkeys/pas-un-identifiant')).statusCode, 404);
      // Past the re-authentication window (5 minutes), the session alone is not enough.
      rt.clock.advance(6 * 60_000);
      const stale = await apiCall(rt.app, cam, 'DELETE', `/api/v1/me/passkeys/${mine.id}`);
      assert.equal(stale.statusCode, 403);
      assert.match(stale.json().detail, /Confirmez d’abord votre identité/);
      assert.equal((await apiCall(rt.app, cam, 'POST', '/api/v1/me/passkeys/options')).statusCode, 403);
      assert.equal(await countPasskeys(rt), before);

      const fresh = await signInAs(rt.app, rt.clock, 'conseiller.demo');
      assert.equal((await apiCall(rt.app, fresh, 'DELETE', `/api/v1/me/passkeys/${mine.id}`)).statusCode, 204);
      assert.equal((await apiCall(rt.app, fresh, 'DELETE', `/api/v1/me/passkeys/${mine.id}`)).statusCode, 404);
      assert.equal(await countPasskeys(rt), before - 1);
      const removed = await auditActions(rt, 'passkey.removed');
      assert.deepEqual(removed.map((a) => [a.actor_login, a.target_id]), [['conseiller.demo', mine.id]]);
    });
  });

  describe(`passkeys required for some roles (${engine})`, () => {
    let rt: TestRuntime;
    before(async () => {
      rt = await startTestRuntime(engine, { env: { PASSKEY_REQUIRED_ROLES: 'gid/account_manager, gid/agency_admin', PASSKEY_GRACE_DAYS: '14' } });
    });
    after(async () => {
      await rt?.stop();
    });

    it('reminds during the grace period, then lets the holder reach only enrolment until a passkey is added', async () => {
      const start = rt.clock.now();
      const rgc = await signInAs(rt.app, rt.clock, 'rgc.demo');
      const list = await expectJson<{ obligation: { state: string; deadline: string } }>(await apiCall(rt.app, rgc, 'GET', '/api/v1/me/passkeys'), 200, 'list');
      assert.equal(list.obligation.state, 'grace');
      assert.ok(Math.abs(new Date(list.obligation.deadline).getTime() - (start.getTime() + 14 * 86_400_000)) < 120_000);
      const portal = await rt.app.inject({ method: 'GET', url: '/portail', headers: { cookie: rgc.cookie } });
      assert.equal(portal.statusCode, 200);
      assert.match(portal.body, /Ajoutez une clé d’accès avant le/);
      const mails = await rt.ctx.db.selectFrom('job').select('payload').where('kind', '=', MAIL_JOB).execute();
      const reminders = mails.map((m) => m.payload as unknown as { to: string; subject: string }).filter((m) => m.subject.includes('clé d’accès'));
      assert.equal(reminders.length, 1, 'one reminder mail at the start of the grace period');
      assert.equal((await auditActions(rt, 'passkey.grace_started')).length, 1);
      // Someone without a required role sees nothing of it.
      const lou = await signInAs(rt.app, rt.clock, 'devis.demo');
      const louPortal = await rt.app.inject({ method: 'GET', url: '/portail', headers: { cookie: lou.cookie } });
      assert.doesNotMatch(louPortal.body, /Ajoutez une clé d’accès/);

      rt.clock.advance(15 * 86_400_000);
      const late = await signInAs(rt.app, rt.clock, 'rgc.demo');
      const refused = await apiCall(rt.app, late, 'GET', '/api/v1/me/applications');
      assert.equal(refused.statusCode, 403);
      assert.match(refused.json().detail, /exige une clé d’accès/);
      const page = await rt.app.inject({ method: 'GET', url: '/portail', headers: { cookie: late.cookie } });
      assert.equal(page.statusCode, 303);
      assert.equal(page.headers.location, '/compte/cles-d-acces');
      assert.equal((await apiCall(rt.app, late, 'GET', '/api/v1/me')).statusCode, 200);
      assert.equal((await expectJson<{ obligation: { state: string } }>(await apiCall(rt.app, late, 'GET', '/api/v1/me/passkeys'), 200, 'list')).obligation.state, 'enforced');

      const { authenticator } = await enrol(rt, late, 'Clé de sécurité');
      assert.equal((await apiCall(rt.app, late, 'GET', '/api/v1/me/applications')).statusCode, 200);
      // And the passkey alone signs the holder in, straight to work.
      const flow = await signInOptions(rt);
      const res = await passkeySignIn(rt, flow.cookie, authenticator.assert(flow));
      assert.equal(res.statusCode, 200);
      assert.equal((await rt.app.inject({ method: 'GET', url: '/portail', headers: { cookie: sessionCookieOf(res) } })).statusCode, 200);
    });
  });
}
