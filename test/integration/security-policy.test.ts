// Internal security policy: written by the account manager, missing ones listed for the agency.
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { ENGINES, startTestRuntime, type TestRuntime } from '../helpers/runtime.js';
import { csrfFromHtml, signInAs, type SignedIn } from '../helpers/session.js';

const POLICY = {
  rolesPolicy: 'Seuls les conseillers en formation rédigent les devis ; la direction valide chaque habilitation.',
  departuresPolicy: 'Le jour du départ, le responsable retire toutes les habilitations et suspend le compte.',
  otherRules: '',
};

for (const engine of ENGINES) {
  describe(`internal security policy (${engine})`, () => {
    let rt: TestRuntime;
    const org = { formapro: '', atelier: '', agency: '' };
    const url = (o: string) => `/api/v1/organisations/${o}/security-policy`;
    before(async () => {
      rt = await startTestRuntime(engine);
      const byName = Object.fromEntries((await rt.ctx.db.selectFrom('organisation').select(['id', 'name']).execute()).map((o) => [o.name, o.id]));
      Object.assign(org, { formapro: byName['Formapro Démo'], atelier: byName['Atelier Compétences Démo'], agency: byName['France Travail'] });
    });
    after(() => rt?.stop());

    const call = (s: SignedIn | null, method: 'GET' | 'PUT', path: string, payload?: object) =>
      rt.app.inject({ method, url: path, headers: s ? s.headers : {}, ...(payload ? { payload } : {}) });
    const stored = () => rt.ctx.db.selectFrom('security_policy').selectAll().orderBy('organisation_id').execute();
    const audits = () => rt.ctx.db.selectFrom('audit_log').selectAll().where('action', 'like', 'security_policy.%').orderBy('id').execute();
    const missing = async (s: SignedIn) => ((await call(s, 'GET', '/api/v1/security-policies/missing')).json().organisations as Array<{ id: string; name: string; siret: string }>);

    it('lists every training provider without a policy for the agency, and none of the agency', async () => {
      const admin = await signInAs(rt.app, rt.clock, 'admin.agence');
      assert.deepEqual(await missing(admin), [
        { id: org.atelier, name: 'Atelier Compétences Démo', siret: '98765432400019' },
        { id: org.formapro, name: 'Formapro Démo', siret: '12345678200010' },
      ]);
      const page = await rt.app.inject({ url: '/admin/politiques-securite', headers: { cookie: admin.cookie } });
      assert.equal(page.statusCode, 200);
      assert.match(page.body, /2 organismes de formation actifs n’ont pas encore rédigé leur politique/);
      assert.match(page.body, /12345678200010/);
    });

    it('lets the account manager write the policy (created, then updated), audited; the agency list shrinks', async () => {
      const rgc = await signInAs(rt.app, rt.clock, 'rgc.demo');
      const none = await call(rgc, 'GET', url(org.formapro));
      assert.equal(none.statusCode, 404);
      assert.match(none.json().detail, /pas encore rédigé/);
      const put = await call(rgc, 'PUT', url(org.formapro), { ...POLICY, otherRules: undefined });
      assert.equal(put.statusCode, 200, put.body);
      const body = put.json() as Record<string, unknown>;
      const rgcId = (await rt.ctx.db.selectFrom('account').select('id').where('login', '=', 'rgc.demo').executeTakeFirstOrThrow()).id;
      assert.deepEqual({ ...body, updatedAt: undefined }, { ...POLICY, updatedAt: undefined, updatedBy: { id: rgcId, displayName: 'Dominique Responsable' } });
      assert.equal(body.updatedAt, rt.clock.now().toISOString());
      const got = await call(rgc, 'GET', url(org.formapro));
      assert.deepEqual(got.json(), put.json());
      const update = await call(rgc, 'PUT', url(org.formapro), { ...POLICY, otherRules: 'Pas de poste partagé.' });
      assert.equal(update.json().otherRules, 'Pas de poste partagé.');
      await call(rgc, 'PUT', url(org.formapro), { ...POLICY, otherRules: 'Pas de poste partagé.' }); // identical: nothing recorded
      const rows = await audits();
      assert.deepEqual(rows.map((r) => [r.action, (r.details as any).changed]), [
        ['security_policy.created', ['rolesPolicy', 'departuresPolicy']],
        ['security_policy.updated', ['otherRules']],
      ]);
      assert.deepEqual([rows[0].actor_login, rows[0].organisation_id], ['rgc.demo', org.formapro]);
      const admin = await signInAs(rt.app, rt.clock, 'admin.agence');
      assert.deepEqual((await missing(admin)).map((o) => o.id), [org.atelier]);
    });

    it('refuses texts out of bounds with 422 naming the field, storing nothing', async () => {
      const rgc = await signInAs(rt.app, rt.clock, 'rgc.demo2');
      const cases: Array<[object, string[]]> = [
        [{}, ['rolesPolicy', 'departuresPolicy']],
        [{ ...POLICY, rolesPolicy: '  trop court        ' }, ['rolesPolicy']],
        [{ ...POLICY, departuresPolicy: 'x'.repeat(5001) }, ['departuresPolicy']],
        [{ ...POLICY, otherRules: 'y'.repeat(5001) }, ['otherRules']],
        [{ ...POLICY, rolesPolicy: 42 }, ['rolesPolicy']],
        [{ ...POLICY, intrus: 'x' }, ['intrus']],
      ];
      for (const [payload, fields] of cases) {
        const res = await call(rgc, 'PUT', url(org.atelier), payload);
        assert.equal(res.statusCode, 422, JSON.stringify(payload).slice(0, 80));
        assert.deepEqual(res.json().errors.map((e: any) => e.field).sort(), [...fields].sort());
      }
      const query = await call(rgc, 'GET', `${url(org.atelier)}?format=pdf`);
      assert.deepEqual([query.statusCode, query.json().errors.map((e: any) => e.field)], [422, ['format']], 'an unknown query parameter is named');
      const short = await call(rgc, 'PUT', url(org.atelier), { ...POLICY, rolesPolicy: 'court' });
      assert.equal(short.json().errors[0].message, 'La rubrique « Qui peut détenir quel rôle » (rolesPolicy) doit contenir au moins 20 caractères : décrivez vos règles en quelques phrases.');
      const exact = await call(rgc, 'PUT', url(org.atelier), { ...POLICY, rolesPolicy: 'a'.repeat(5000), departuresPolicy: 'b'.repeat(20) });
      assert.equal(exact.statusCode, 200, 'the bounds themselves are accepted');
      assert.equal((await stored()).length, 2);
    });

    it('refuses anonymous callers (401), other roles (403) and other organisations (404)', async () => {
      const before = JSON.stringify(await stored());
      assert.equal((await call(null, 'GET', url(org.formapro))).statusCode, 401);
      assert.equal((await call(null, 'PUT', url(org.formapro), POLICY)).statusCode, 401);
      assert.equal((await call(null, 'GET', '/api/v1/security-policies/missing')).statusCode, 401);
      for (const login of ['devis.demo', 'admin.agence']) {
        const s = await signInAs(rt.app, rt.clock, login);
        assert.equal((await call(s, 'GET', url(org.formapro))).statusCode, 403, login);
        assert.equal((await call(s, 'PUT', url(org.formapro), POLICY)).statusCode, 403, login);
        assert.equal((await rt.app.inject({ url: '/gid/politique-securite', headers: { cookie: s.cookie } })).statusCode, 403, login);
      }
      for (const login of ['rgc.demo', 'devis.demo']) {
        const s = await signInAs(rt.app, rt.clock, login);
        assert.equal((await call(s, 'GET', '/api/v1/security-policies/missing')).statusCode, 403, login);
        assert.equal((await rt.app.inject({ url: '/admin/politiques-securite', headers: { cookie: s.cookie } })).statusCode, 403, login);
      }
      const other = await signInAs(rt.app, rt.clock, 'rgc.demo2');
      for (const o of [org.formapro, org.agency, randomUUID(), 'zzz']) {
        const get = await call(other, 'GET', url(o));
        assert.equal(get.statusCode, 404, o);
        assert.doesNotMatch(get.body, /Seuls les conseillers/);
        assert.equal((await call(other, 'PUT', url(o), POLICY)).statusCode, 404, o);
        assert.equal((await call(other, 'PUT', url(o), { rolesPolicy: 1 })).statusCode, 404, 'tenant checked before the body');
        assert.equal((await call(other, 'GET', `${url(o)}?x=1`)).statusCode, 404, 'tenant checked before the query');
      }
      assert.equal(JSON.stringify(await stored()), before);
    });

    it('serves the form page: labels, errors in place, saved through the form', async () => {
      const rgc = await signInAs(rt.app, rt.clock, 'rgc.demo');
      const page = await rt.app.inject({ url: '/gid/politique-securite', headers: { cookie: rgc.cookie } });
      assert.equal(page.statusCode, 200);
      for (const label of ['Qui peut détenir quel rôle', 'Gestion des départs', 'Autres règles']) assert.ok(page.body.includes(label), label);
      assert.match(page.body, /Seuls les conseillers en formation rédigent les devis/, 'the current text fills the form');
      assert.match(page.body, /Dernière modification le \d\d\/\d\d\/\d{4} à \d\d:\d\d par Dominique Responsable/);
      const post = (fields: Record<string, string>) =>
        rt.app.inject({
          method: 'POST',
          url: '/gid/politique-securite',
          headers: { cookie: rgc.cookie, 'content-type': 'application/x-www-form-urlencoded' },
          payload: new URLSearchParams({ _csrf: csrfFromHtml(page.body), ...fields }).toString(),
        });
      const bad = await post({ rolesPolicy: 'court', departuresPolicy: POLICY.departuresPolicy, otherRules: '' });
      assert.equal(bad.statusCode, 422);
      assert.match(bad.body, /id="resume-erreurs"/);
      assert.match(bad.body, /au moins 20 caractères/);
      assert.match(bad.body, />court<\/textarea>/, 'what was typed is kept');
      const text = 'Les rôles sont attribués par la direction,\r\nsur demande écrite du chef de service.';
      const ok = await post({ rolesPolicy: text, departuresPolicy: POLICY.departuresPolicy, otherRules: '' });
      assert.equal(ok.statusCode, 303);
      assert.equal(ok.headers.location, '/gid/politique-securite?fait=enregistree');
      const saved = await rt.ctx.db.selectFrom('security_policy').select('roles_policy').where('organisation_id', '=', org.formapro).executeTakeFirstOrThrow();
      assert.equal(saved.roles_policy, text.replace('\r\n', '\n'));
    });
  });
}
