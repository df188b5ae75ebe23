// GID: account managers manage their organisation's users and habilitations.
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import type { LightMyRequestResponse } from 'fastify';
import { hashActivationCode } from '../../src/modules/onboarding/activation-codes.js';
import { ENGINES, startTestRuntime, type TestRuntime } from '../helpers/runtime.js';
import { signInAs, type SignedIn } from '../helpers/session.js';

type Method = 'GET' | 'POST' | 'DELETE';
type Route = [Method, string, unknown?];
const NEW_USER = { lastName: 'Martin-Dupré', firstName: 'Élodie', email: 'elodie.martin@formapro.example' };
const CODE = /[2-9A-HJ-NP-Z]{4}-[2-9A-HJ-NP-Z]{4}-[2-9A-HJ-NP-Z]{4}/;

/** Every GID API route with the given ids. */
function apiRoutes(org: string, user: string, hab: string): Route[] {
  const users = `/api/v1/organisations/${org}/users`;
  return [
    ['GET', users],
    ['POST', users, { ...NEW_USER, email: 'intrus@example.org' }],
    ['POST', `${users}/${user}/suspend`],
    ['POST', `${users}/${user}/reactivate`],
    ['DELETE', `${users}/${user}`],
    ['POST', `${users}/${user}/habilitations`, { application: 'kairos', role: 'reader' }],
    ['DELETE', `${users}/${user}/habilitations/${hab}`],
  ];
}

/** Every GID page form, with the session's CSRF token. */
function pageRoutes(user: string, hab: string, csrf: string): Route[] {
  const form = (fields: Record<string, string>) => new URLSearchParams({ _csrf: csrf, ...fields }).toString();
  const base = `/gid/utilisateurs/${user}`;
  return [
    ['GET', base],
    ['POST', `${base}/habilitations`, form({ habilitation: 'kairos/reader' })],
    ['POST', `${base}/habilitations/${hab}/retrait`, form({})],
    ['POST', `${base}/suspension`, form({})],
    ['POST', `${base}/reactivation`, form({})],
    ['POST', `${base}/suppression`, form({ confirmation: 'oui' })],
  ];
}

for (const engine of ENGINES) {
  describe(`GID: users and habilitations (${engine})`, () => {
    let rt: TestRuntime;
    const org: Record<'formapro' | 'atelier' | 'agency', string> = { formapro: '', atelier: '', agency: '' };
    const ids: Record<string, string> = {};
    let devisHab = '';

    before(async () => {
      rt = await startTestRuntime(engine, { env: { ACCOUNT_CREATIONS_PER_DAY: '100', HABILITATION_GRANTS_PER_DAY: '100' } }); // the guard has its own test (creation-guard.test.ts)
      const byName = Object.fromEntries((await rt.ctx.db.selectFrom('organisation').select(['id', 'name']).execute()).map((o) => [o.name, o.id]));
      Object.assign(org, { formapro: byName['Formapro Démo'], atelier: byName['Atelier Compétences Démo'], agency: byName['France Travail'] });
      for (const a of await rt.ctx.db.selectFrom('account').select(['id', 'login']).execute()) ids[a.login] = a.id;
      devisHab = (await habs(ids['devis.demo'])).find((h) => h.role === 'quote_editor')!.id;
    });
    after(() => rt?.stop());

    const call = (s: SignedIn | null, [method, url, payload]: Route): Promise<LightMyRequestResponse> => {
      const form = typeof payload === 'string';
      const headers = { ...(s ? (form ? { cookie: s.headers.cookie } : s.headers) : {}), ...(form ? { 'content-type': 'application/x-www-form-urlencoded' } : {}) };
      return rt.app.inject({ method, url, headers, ...(payload === undefined ? {} : { payload: payload as string | object }) });
    };
    const users = (o: string) => `/api/v1/organisations/${o}/users`;
    const me = async (cookie: string) => (await rt.app.inject({ url: '/api/v1/me', headers: { cookie } })).statusCode;
    const habs = (accountId: string) =>
      rt.ctx.db.selectFrom('habilitation').select(['id', 'application', 'role', 'granted_by']).where('account_id', '=', accountId).execute();
    const statusOf = async (id: string) => (await rt.ctx.db.selectFrom('account').select('status').where('id', '=', id).executeTakeFirstOrThrow()).status;
    const auditOf = (action: string, target: string) =>
      rt.ctx.db.selectFrom('audit_log').selectAll().where('action', '=', action).where('target_id', '=', target).execute();

    /** Everything a GID call could change; equal before and after means nothing changed. */
    async function snapshot() {
      const db = rt.ctx.db;
      const [accounts, habilitations, jobs, audit, codes, live] = await Promise.all([
        db.selectFrom('account').select(['id', 'status']).orderBy('id').execute(),
        db.selectFrom('habilitation').select(['id', 'suspended_at']).orderBy('id').execute(),
        db.selectFrom('job').select((e) => e.fn.countAll().as('n')).executeTakeFirstOrThrow(),
        db.selectFrom('audit_log').select((e) => e.fn.countAll().as('n')).where('action', 'like', 'gid.%').executeTakeFirstOrThrow(),
        db.selectFrom('activation_code').select((e) => e.fn.countAll().as('n')).executeTakeFirstOrThrow(),
        db.selectFrom('session').select((e) => e.fn.countAll().as('n')).where('ended_at', 'is', null).executeTakeFirstOrThrow(),
      ]);
      return JSON.stringify({ accounts, habilitations, jobs, audit, codes, live });
    }

    /** A new colleague of rgc.demo through the API; optionally activated with the demo credentials. */
    async function colleague(rgc: SignedIn, options: { activate?: boolean; email?: string } = {}) {
      const email = options.email ?? `${randomUUID().slice(0, 8)}@formapro.example`;
      const res = await call(rgc, ['POST', users(org.formapro), { ...NEW_USER, email }]);
      assert.equal(res.statusCode, 201, res.body);
      const created = res.json() as { id: string; login: string };
      if (options.activate) {
        const model = await rt.ctx.db.selectFrom('account').select(['password_hash', 'totp_secret_sealed']).where('login', '=', 'rgc.demo').executeTakeFirstOrThrow();
        await rt.ctx.db.updateTable('account').set({ ...model, status: 'active' }).where('id', '=', created.id).execute();
      }
      return { ...created, email };
    }

    it('lists the organisation’s users with their habilitations, searches and filters', async () => {
      const rgc = await signInAs(rt.app, rt.clock, 'rgc.demo');
      const res = await call(rgc, ['GET', users(org.formapro)]);
      assert.equal(res.statusCode, 200, res.body);
      const list = res.json().users as Array<Record<string, any>>;
      const logins = list.map((u) => u.login);
      for (const l of ['rgc.demo', 'devis.demo', 'assiduite.demo']) assert.ok(logins.includes(l), l);
      for (const l of ['rgc.demo2', 'devis.demo2', 'admin.agence', 'candidat.demo']) assert.ok(!logins.includes(l), l);
      const devis = list.find((u) => u.login === 'devis.demo')!;
      assert.deepEqual(Object.keys(devis).sort(), ['displayName', 'email', 'firstName', 'habilitations', 'id', 'lastName', 'lastSignInAt', 'login', 'securitySuspension', 'status'].sort());
      assert.equal(devis.securitySuspension, null);
      assert.deepEqual(devis.habilitations.map((h: any) => `${h.application}/${h.role}`), ['kairos/quote_editor', 'support/user']);
      assert.deepEqual(Object.keys(devis.habilitations[0]).sort(), ['application', 'grantedAt', 'grantedBy', 'id', 'role']);
      assert.equal(list.find((u) => u.login === 'rgc.demo')!.lastSignInAt, rt.clock.now().toISOString());

      const search = async (query: string) => (await call(rgc, ['GET', `${users(org.formapro)}?${query}`])).json().users.map((u: any) => u.login);
      assert.deepEqual(await search('q=DEVIS'), ['devis.demo']);
      assert.deepEqual(await search('q=Charlie'), ['assiduite.demo']);
      assert.deepEqual(await search('q=rgc.demo%40demo'), ['rgc.demo']);
      assert.deepEqual(await search('q=%25'), []); // a literal %, not a wildcard
      assert.deepEqual(await search('q=&status='), await search(''));
      const pending = await colleague(rgc);
      assert.deepEqual(await search('status=pending'), [pending.login]);
      assert.ok(!(await search('status=active')).includes(pending.login));
      const bad = await call(rgc, ['GET', `${users(org.formapro)}?status=deleted`]);
      assert.deepEqual([bad.statusCode, bad.json().errors.map((e: any) => e.field)], [422, ['status']]);
    });

    it('creates an inactive account and sends two separate mails: the identifier, then only the code', async () => {
      const rgc = await signInAs(rt.app, rt.clock, 'rgc.demo');
      const c = await colleague(rgc, { email: 'elodie.martin@formapro.example' });
      assert.match(c.login, /^emartindupre\.\d{4}$/);
      const account = await rt.ctx.db.selectFrom('account').selectAll().where('id', '=', c.id).executeTakeFirstOrThrow();
      assert.deepEqual(
        [account.status, account.organisation_id, account.password_hash, account.first_name, account.last_name, account.email],
        ['pending', org.formapro, null, 'Élodie', 'Martin-Dupré', c.email],
      );
      assert.deepEqual(await habs(c.id), []);

      const jobs = (await rt.ctx.db.selectFrom('job').select(['id', 'kind', 'payload']).where('kind', '=', 'mail.send').orderBy('id').execute())
        .filter((j) => (j.payload as { to: string }).to === c.email);
      assert.equal(jobs.length, 2, 'two separate mail jobs');
      const [first, second] = jobs.map((j) => j.payload as { to: string; subject: string; text: string });
      const code = CODE.exec(second.text)?.[0];
      assert.ok(code, 'the second mail carries the activation code');
      assert.ok(first.text.includes(c.login) && first.text.includes('http://localhost:3000/activation'), first.text);
      assert.ok(!CODE.test(`${first.subject}\n${first.text}`), 'the identifier mail must not carry the code');
      for (const leak of [c.login, '/activation', 'Martin', 'Formapro']) assert.ok(!`${second.subject}\n${second.text}`.includes(leak), `code mail leaks ${leak}`);
      const stored = await rt.ctx.db.selectFrom('activation_code').select('code_hash').where('account_id', '=', c.id).execute();
      assert.deepEqual(stored.map((s) => s.code_hash), [hashActivationCode(code)], 'only the hash is stored');

      const [row] = await auditOf('gid.user_created', c.id);
      assert.deepEqual([row.actor_login, row.organisation_id, row.details], ['rgc.demo', org.formapro, {}]);
    });

    it('refuses invalid input with French messages naming the fields, storing nothing', async () => {
      const rgc = await signInAs(rt.app, rt.clock, 'rgc.demo');
      const cases: Array<[Route, string[]]> = [
        [['POST', users(org.formapro), { lastName: 'R2D2', firstName: '', email: 'pas-une-adresse' }], ['email', 'firstName', 'lastName']],
        [['POST', users(org.formapro), { ...NEW_USER, isAdmin: true }], ['isAdmin']],
        [['POST', users(org.formapro), { ...NEW_USER, lastName: 'x'.repeat(101) }], ['lastName']],
        [['POST', users(org.formapro)], ['(corps)']],
        [['POST', `${users(org.formapro)}/${ids['devis.demo']}/habilitations`, { application: 'compta', role: 'reader' }], ['application']],
        [['POST', `${users(org.formapro)}/${ids['devis.demo']}/habilitations`, { application: 'kairos', role: 'chef' }], ['role']],
        [['POST', `${users(org.formapro)}/${ids['devis.demo']}/habilitations`, { application: 'kairos' }], ['role']],
        [['POST', `${users(org.formapro)}/${ids['devis.demo']}/suspend`, { reason: 42 }], ['reason']],
        [['POST', `${users(org.formapro)}/${ids['devis.demo']}/reactivate`, { force: true }], ['force']],
        [['GET', `${users(org.formapro)}?status=deleted`], ['status']],
      ];
      const before = await snapshot();
      for (const [route, fields] of cases) {
        const res = await call(rgc, route);
        const errors = (res.json().errors ?? []) as Array<{ field: string; message: string }>;
        assert.deepEqual([res.statusCode, errors.map((e) => e.field).sort()], [422, fields], `${route[1]}: ${res.body}`);
        for (const e of errors) assert.match(e.message, /^(Le |La |L’)/, e.message);
      }
      assert.equal(await snapshot(), before);
    });

    it('a granted role opens the application at once; a revoked one is refused on the next request', async () => {
      const rgc = await signInAs(rt.app, rt.clock, 'rgc.demo');
      const c = await colleague(rgc, { activate: true });
      const res = await call(rgc, ['POST', `${users(org.formapro)}/${c.id}/habilitations`, { application: 'kairos', role: 'quote_editor' }]);
      const granted = res.json();
      assert.deepEqual([res.statusCode, { ...granted, id: undefined }], [201, { id: undefined, application: 'kairos', role: 'quote_editor' }], res.body);
      assert.deepEqual((await habs(c.id)).map((h) => [h.id, h.granted_by]), [[granted.id, ids['rgc.demo']]]);

      const them = await signInAs(rt.app, rt.clock, c.login);
      const portal = await rt.app.inject({ url: '/portail', headers: { cookie: them.cookie } });
      assert.deepEqual([...portal.body.matchAll(/data-application="(\w+)"/g)].map((m) => m[1]), ['kairos']);
      assert.equal((await rt.app.inject({ url: '/kairos', headers: { cookie: them.cookie } })).statusCode, 200);

      const again = await call(rgc, ['POST', `${users(org.formapro)}/${c.id}/habilitations`, { application: 'kairos', role: 'quote_editor' }]);
      assert.equal(again.statusCode, 409);
      const revoke = await call(rgc, ['DELETE', `${users(org.formapro)}/${c.id}/habilitations/${granted.id}`]);
      assert.equal(revoke.statusCode, 204, revoke.body);
      assert.equal((await rt.app.inject({ url: '/kairos', headers: { cookie: them.cookie } })).statusCode, 403);
      assert.deepEqual(await habs(c.id), []);
      for (const action of ['gid.habilitation_granted', 'gid.habilitation_revoked']) {
        assert.deepEqual((await auditOf(action, c.id))[0].details, { habilitationId: granted.id, application: 'kairos', role: 'quote_editor' });
      }
    });

    it('a habilitation suspended by an access review is not listed and does not count; granting it again reinstates it', async () => {
      const rgc = await signInAs(rt.app, rt.clock, 'rgc.demo');
      const c = await colleague(rgc);
      const route: Route = ['POST', `${users(org.formapro)}/${c.id}/habilitations`, { application: 'kairos', role: 'reader' }];
      const first = (await call(rgc, route)).json();
      await rt.ctx.db.updateTable('habilitation').set({ suspended_at: rt.clock.now() }).where('id', '=', first.id).execute();
      assert.deepEqual((await call(rgc, ['GET', `${users(org.formapro)}?q=${c.email}`])).json().users[0].habilitations, []);
      const again = await call(rgc, route);
      assert.deepEqual([again.statusCode, again.json().id], [201, first.id], again.body);
      const row = await rt.ctx.db.selectFrom('habilitation').select('suspended_at').where('id', '=', first.id).executeTakeFirstOrThrow();
      assert.equal(row.suspended_at, null, 'reinstated');
    });

    it('refuses agency roles and the RGC role (403), leaving nothing behind', async () => {
      const rgc = await signInAs(rt.app, rt.clock, 'rgc.demo');
      const before = await snapshot();
      for (const [application, role] of [['kairos', 'advisor'], ['kairos', 'agency_admin'], ['gid', 'account_manager'], ['gid', 'agency_admin'], ['support', 'agent']]) {
        const res = await call(rgc, ['POST', `${users(org.formapro)}/${ids['devis.demo']}/habilitations`, { application, role }]);
        assert.deepEqual([res.statusCode, /^Vous ne pouvez accorder que/.test(res.json().detail)], [403, true], `${application}/${role}: ${res.body}`);
      }
      assert.equal(await snapshot(), before);
    });

    it('suspension ends the user’s sessions at once; reactivation lets them back in', async () => {
      const rgc = await signInAs(rt.app, rt.clock, 'rgc.demo');
      const c = await colleague(rgc, { activate: true });
      const them = await signInAs(rt.app, rt.clock, c.login);
      assert.equal(await me(them.cookie), 200);
      assert.equal((await call(rgc, ['POST', `${users(org.formapro)}/${c.id}/suspend`])).statusCode, 204);
      assert.deepEqual([await me(them.cookie), await statusOf(c.id)], [401, 'suspended']);
      await assert.rejects(signInAs(rt.app, rt.clock, c.login), /401/);
      assert.equal((await call(rgc, ['POST', `${users(org.formapro)}/${c.id}/suspend`])).statusCode, 409);

      assert.equal((await call(rgc, ['POST', `${users(org.formapro)}/${c.id}/reactivate`])).statusCode, 204);
      assert.equal(await statusOf(c.id), 'active');
      await signInAs(rt.app, rt.clock, c.login);
      assert.equal((await call(rgc, ['POST', `${users(org.formapro)}/${c.id}/reactivate`])).statusCode, 409);
      assert.equal((await auditOf('gid.user_suspended', c.id)).length, 1);
      assert.deepEqual((await auditOf('gid.user_reactivated', c.id))[0].details, { status: 'active', byAgency: false });
    });

    it('deletion ends sessions, removes habilitations and hides the account', async () => {
      const rgc = await signInAs(rt.app, rt.clock, 'rgc.demo');
      const c = await colleague(rgc, { activate: true });
      await call(rgc, ['POST', `${users(org.formapro)}/${c.id}/habilitations`, { application: 'support', role: 'user' }]);
      const them = await signInAs(rt.app, rt.clock, c.login);
      assert.equal((await call(rgc, ['DELETE', `${users(org.formapro)}/${c.id}`])).statusCode, 204);
      assert.deepEqual([await statusOf(c.id), await habs(c.id), await me(them.cookie)], ['deleted', [], 401]);
      assert.ok(!(await call(rgc, ['GET', users(org.formapro)])).json().users.some((u: any) => u.id === c.id), 'hidden from the list');
      for (const route of apiRoutes(org.formapro, c.id, randomUUID()).slice(2)) assert.equal((await call(rgc, route)).statusCode, 404, route[1]);
      assert.deepEqual((await auditOf('gid.user_deleted', c.id))[0].details, { habilitationsRemoved: 1 });
    });

    it('an account manager cannot suspend, delete or demote themselves, nor evict another RGC (409/403)', async () => {
      const rgc = await signInAs(rt.app, rt.clock, 'rgc.demo');
      const own = (await habs(ids['rgc.demo'])).find((h) => h.role === 'account_manager')!.id;
      const before = await snapshot();
      const self: Route[] = [
        ['POST', `${users(org.formapro)}/${ids['rgc.demo']}/suspend`],
        ['DELETE', `${users(org.formapro)}/${ids['rgc.demo']}`],
        ['DELETE', `${users(org.formapro)}/${ids['rgc.demo']}/habilitations/${own}`],
      ];
      for (const route of self) {
        const res = await call(rgc, route);
        assert.deepEqual([res.statusCode, /^Vous ne pouvez pas .* votre propre/.test(res.json().detail)], [409, true], res.body);
      }
      assert.equal(await snapshot(), before, 'nothing changed');
      assert.equal(await me(rgc.cookie), 200, 'still signed in');
      const other = await colleague(rgc);
      await rt.ctx.db.insertInto('habilitation').values({ account_id: other.id, organisation_id: org.formapro, application: 'gid', role: 'account_manager', granted_by: null }).execute();
      const mid = await snapshot();
      assert.equal((await call(rgc, ['POST', `${users(org.formapro)}/${other.id}/suspend`])).statusCode, 403);
      assert.equal((await call(rgc, ['DELETE', `${users(org.formapro)}/${other.id}`])).statusCode, 403);
      assert.equal(await snapshot(), mid);
    });

    it('answers 401 to anonymous callers and 403 to users without a GID role, on every route', async () => {
      const routes = apiRoutes(org.formapro, ids['devis.demo'], devisHab);
      for (const route of routes) assert.equal((await call(null, route)).statusCode, 401, route[1]);
      const page = await rt.app.inject({ url: '/gid' });
      assert.deepEqual([page.statusCode, page.headers.location], [303, '/connexion?suite=%2Fgid']);
      for (const login of ['devis.demo', 'candidat.demo']) {
        const s = await signInAs(rt.app, rt.clock, login);
        const before = await snapshot();
        for (const route of [...routes, ['GET', '/gid'] as Route, ...pageRoutes(ids['devis.demo'], devisHab, s.csrfToken)]) {
          assert.equal((await call(s, route)).statusCode, 403, `${login} ${route[0]} ${route[1]}`);
        }
        assert.equal(await snapshot(), before);
      }
    });

    it('another organisation’s ids answer 404, exactly like unknown ids, and change nothing', async () => {
      const rgc2 = await signInAs(rt.app, rt.clock, 'rgc.demo2');
      const before = await snapshot();
      const [user, hab, mine] = [ids['devis.demo'], devisHab, ids['devis.demo2']];
      const mineHab = (await habs(mine))[0].id;
      const probes: Array<[Route[], Route[]]> = [
        [apiRoutes(org.formapro, user, hab), apiRoutes(randomUUID(), randomUUID(), randomUUID())],
        [apiRoutes(org.atelier, user, hab).slice(2), apiRoutes(org.atelier, randomUUID(), randomUUID()).slice(2)],
        [apiRoutes(org.atelier, mine, hab).slice(6), apiRoutes(org.atelier, mine, randomUUID()).slice(6)],
        [apiRoutes(org.agency, ids['admin.agence'], mineHab), apiRoutes(randomUUID(), randomUUID(), mineHab)],
        [pageRoutes(user, hab, rgc2.csrfToken), pageRoutes(randomUUID(), randomUUID(), rgc2.csrfToken)],
        [pageRoutes(mine, hab, rgc2.csrfToken).slice(2, 3), pageRoutes(mine, randomUUID(), rgc2.csrfToken).slice(2, 3)],
      ];
      // Invalid input changes nothing: the ids are judged first (no 422 about someone else's account).
      const invalid = (o: string, u: string): Route[] => [
        ['GET', `${users(o)}?status=deleted`],
        ['POST', users(o), { lastName: '' }],
        ['POST', `${users(o)}/${u}/suspend`, { reason: 42 }],
        ['POST', `${users(o)}/${u}/reactivate`, { force: true }],
        ['POST', `${users(o)}/${u}/habilitations`, {}],
      ];
      probes.push([invalid(org.formapro, user), invalid(randomUUID(), randomUUID())], [invalid(org.atelier, user).slice(2), invalid(org.atelier, randomUUID()).slice(2)]);
      const form = (fields: Record<string, string>) => new URLSearchParams({ _csrf: rgc2.csrfToken, ...fields }).toString();
      probes.push([[['POST', `/gid/utilisateurs/${user}/habilitations`, form({ habilitation: '' })]], [['POST', `/gid/utilisateurs/${randomUUID()}/habilitations`, form({ habilitation: '' })]]]);
      for (const [foreign, unknown] of probes) {
        for (let i = 0; i < foreign.length; i++) {
          const [a, b] = [await call(rgc2, foreign[i]), await call(rgc2, unknown[i])];
          assert.deepEqual([a.statusCode, b.statusCode], [404, 404], `${foreign[i][0]} ${foreign[i][1]}: ${a.body.slice(0, 200)}`);
          const strip = (r: LightMyRequestResponse) => r.body.replace(/[0-9a-f-]{36}/g, '').replace(/\/api\/v1[^"]*/, '');
          assert.equal(strip(a), strip(b), `${foreign[i][1]} must look like an unknown id`);
        }
      }
      assert.equal(await snapshot(), before);
    });

    it('treats malformed ids in paths as unknown (404)', async () => {
      const rgc = await signInAs(rt.app, rt.clock, 'rgc.demo');
      const before = await snapshot();
      for (const bad of ['abc', '123', "1'%20or%20'1'='1", '0e5f6a3c-1b2d-4c8e-9f00-123456789abcd']) {
        for (const route of [...apiRoutes(bad, bad, bad), ...apiRoutes(org.formapro, bad, bad).slice(2), ...pageRoutes(bad, bad, rgc.csrfToken)]) {
          assert.equal((await call(rgc, route)).statusCode, 404, `${route[0]} ${route[1]}`);
        }
      }
      assert.equal((await call(rgc, ['DELETE', `${users(org.formapro)}/${ids['devis.demo']}/habilitations/nope`])).statusCode, 404);
      assert.equal(await snapshot(), before);
    });

    it('agency administrators may list and (un)suspend any organisation’s users (API and pages), but not create, delete or grant', async () => {
      const admin = await signInAs(rt.app, rt.clock, 'admin.agence');
      const list = await call(admin, ['GET', users(org.atelier)]);
      assert.deepEqual([list.statusCode, list.json().users.some((u: any) => u.login === 'devis.demo2')], [200, true]);
      const target = `${users(org.atelier)}/${ids['devis.demo2']}`;
      assert.equal((await call(admin, ['POST', `${target}/suspend`])).statusCode, 204);
      assert.equal((await call(admin, ['POST', `${target}/reactivate`])).statusCode, 204);
      assert.equal(await statusOf(ids['devis.demo2']), 'active');
      const before = await snapshot();
      for (const route of [apiRoutes(org.atelier, ids['devis.demo2'], randomUUID())[1], ...apiRoutes(org.atelier, ids['devis.demo2'], randomUUID()).slice(4)]) {
        assert.equal((await call(admin, route)).statusCode, 403, route[1]);
      }
      assert.equal((await call(admin, ['POST', `${users(org.agency)}/${ids['admin.agence']}/suspend`])).statusCode, 409);
      assert.equal((await call(admin, ['GET', users(randomUUID())])).statusCode, 404);
      assert.equal(await snapshot(), before);
      assert.deepEqual((await auditOf('gid.user_suspended', ids['devis.demo2']))[0].details, { byAgency: true });
      const home = await rt.app.inject({ url: '/gid', headers: { cookie: admin.cookie } });
      assert.match(home.body, /<option value="[0-9a-f-]{36}">Atelier Compétences Démo<\/option>/);
      assert.doesNotMatch(home.body, /Créer le compte/);
      assert.match((await rt.app.inject({ url: `/gid?organisation=${org.atelier}`, headers: { cookie: admin.cookie } })).body, /Utilisateurs de Atelier/);
      const page = await rt.app.inject({ url: `/gid/utilisateurs/${ids['devis.demo2']}`, headers: { cookie: admin.cookie } });
      assert.match(page.body, /Suspendre le compte/);
      assert.doesNotMatch(page.body, /Accorder|Supprimer le compte/);
    });

    it('pages: home with users, search and creation form; the user page grants, revokes, suspends and deletes', async () => {
      const rgc = await signInAs(rt.app, rt.clock, 'rgc.demo');
      const page = (url: string) => rt.app.inject({ url, headers: { cookie: rgc.cookie } });
      const post = (url: string, fields: Record<string, string>) =>
        call(rgc, ['POST', url, new URLSearchParams({ _csrf: rgc.csrfToken, ...fields }).toString()]);
      const home = await page('/gid?q=devis&status=active');
      assert.equal(home.statusCode, 200);
      for (const part of ['<caption>Utilisateurs de Formapro Démo (1)</caption>', '<th scope="col">Statut</th>', `href="/gid/utilisateurs/${ids['devis.demo']}"`,
        '<label class="form-label" for="lastName">Nom</label>', 'Créer un compte', `name="_csrf" value="${rgc.csrfToken}"`]) assert.ok(home.body.includes(part), part);

      const invalid = await post('/gid/utilisateurs', { lastName: 'Martin', firstName: '', email: 'faux' });
      assert.equal(invalid.statusCode, 422);
      for (const re of [/role="alert"/, /<a [^>]*href="#firstName"[^>]*>Le prénom est obligatoire/, /value="Martin"/,
        /aria-describedby="email-aide email-erreur"\/><div id="email-aide" class="form-text">[^<]*<\/div><div id="email-erreur" class="invalid-feedback">L’adresse électronique n’est pas valide/]) assert.match(invalid.body, re);

      const created = await post('/gid/utilisateurs', { lastName: 'Durand', firstName: 'Zoé', email: 'zoe.durand@formapro.example' });
      assert.equal(created.statusCode, 303, created.body);
      const userUrl = created.headers.location!.split('?')[0];
      const userId = userUrl.split('/').pop()!;
      const shown = await page(created.headers.location!);
      const login = (await rt.ctx.db.selectFrom('account').select('login').where('id', '=', userId).executeTakeFirstOrThrow()).login;
      assert.match(shown.body, new RegExp(`Compte créé. Identifiant : ${login.replace('.', '\\.')}. Deux courriels séparés ont été envoyés`));
      assert.match(shown.body, /<optgroup label="Kairos"><option value="kairos\/quote_editor">Rédaction des devis<\/option>/);
      assert.doesNotMatch(shown.body, /advisor|account_manager|agency_admin/);

      assert.equal((await post(`${userUrl}/habilitations`, { habilitation: '' })).statusCode, 422);
      const granted = await post(`${userUrl}/habilitations`, { habilitation: 'kairos/quote_editor' });
      assert.deepEqual([granted.statusCode, granted.headers.location], [303, `${userUrl}?confirmation=habilitation-accordee`]);
      const withHab = await page(granted.headers.location!);
      assert.match(withHab.body, /role="status">L’habilitation a été accordée/);
      assert.match(withHab.body, /<th scope="row">Rédaction des devis<\/th>/);
      const habId = /habilitations\/([0-9a-f-]{36})\/retrait/.exec(withHab.body)![1];
      assert.equal((await post(`${userUrl}/habilitations`, { habilitation: 'kairos/quote_editor' })).statusCode, 409);
      assert.equal((await post(`${userUrl}/habilitations`, { habilitation: 'kairos/advisor' })).statusCode, 403);
      assert.equal((await post(`${userUrl}/habilitations/${habId}/retrait`, {})).statusCode, 303);
      assert.deepEqual(await habs(userId), []);
      assert.deepEqual([(await post(`${userUrl}/suspension`, {})).statusCode, await statusOf(userId)], [303, 'suspended']);
      assert.match((await page(`${userUrl}?confirmation=compte-suspendu`)).body, /Réactiver le compte/);
      assert.deepEqual([(await post(`${userUrl}/reactivation`, {})).statusCode, await statusOf(userId)], [303, 'pending']);
      assert.deepEqual([(await post(`${userUrl}/suppression`, {})).statusCode, await statusOf(userId)], [422, 'pending'], 'unconfirmed');
      const deleted = await post(`${userUrl}/suppression`, { confirmation: 'oui' });
      assert.deepEqual([deleted.headers.location, await statusOf(userId)], ['/gid?confirmation=compte-supprime', 'deleted']);
      assert.equal((await page(userUrl)).statusCode, 404);
      assert.equal((await call(rgc, ['POST', `${userUrl}/suspension`, 'x=1'])).statusCode, 403, 'no CSRF token');
      const actions = (await rt.ctx.db.selectFrom('audit_log').select('action').where('target_id', '=', userId).orderBy('id').execute()).map((r) => r.action);
      assert.deepEqual(actions, ['gid.user_created', 'gid.habilitation_granted', 'gid.habilitation_revoked', 'gid.user_suspended', 'gid.user_reactivated', 'gid.user_deleted']);
    });
  });
}
