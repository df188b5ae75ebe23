import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { ENGINES, startTestRuntime, type TestRuntime } from '../helpers/runtime.js';
import { spareSession } from '../helpers/fixtures.js';
import { signInAs } from '../helpers/session.js';

const EXPECTED_APPS: Record<string, string[]> = {
  'admin.agence': ['kairos', 'gid'],
  'conseiller.demo': ['kairos'],
  'support.demo': ['support'],
  'rgc.demo': ['gid', 'support'],
  'devis.demo': ['kairos', 'support'],
  'assiduite.demo': ['kairos', 'support'],
  'rgc.demo2': ['gid', 'support'],
  'devis.demo2': ['kairos', 'support'],
  'candidat.demo': [],
  'candidat.demo2': [],
};
const PATHS: Record<string, string> = { kairos: '/kairos', gid: '/gid', support: '/assistance' };

function tilesOf(html: string): string[] {
  return [...html.matchAll(/data-application="(\w+)"/g)].map((m) => m[1]);
}

for (const engine of ENGINES) {
  describe(`partner portal (${engine})`, () => {
    let rt: TestRuntime;
    before(async () => {
      rt = await startTestRuntime(engine);
    });
    after(async () => {
      await rt?.stop();
    });

    for (const [login, apps] of Object.entries(EXPECTED_APPS)) {
      it(`${login} sees exactly the applications of their habilitations: ${apps.join(', ') || 'none'}`, async () => {
        const s = await signInAs(rt.app, rt.clock, login);
        const page = await rt.app.inject({ url: '/portail', headers: { cookie: s.cookie } });
        assert.equal(page.statusCode, 200);
        assert.deepEqual(tilesOf(page.body), apps);
        if (apps.length === 0) assert.match(page.body, /aucune application/);
        const api = await rt.app.inject({ url: '/api/v1/me/applications', headers: { cookie: s.cookie } });
        assert.deepEqual(api.json().applications.map((a: { code: string }) => a.code), apps);
        for (const [code, path] of Object.entries(PATHS)) {
          const res = await rt.app.inject({ url: path, headers: { cookie: s.cookie } });
          assert.equal(res.statusCode, apps.includes(code) ? 200 : 403, `${login} → ${path}`);
        }
      });
    }

    it('sends anonymous visitors of the portal to the sign-in page, and the API answers 401', async () => {
      const page = await rt.app.inject({ url: '/portail' });
      assert.equal(page.statusCode, 303);
      assert.equal(page.headers.location, '/connexion?suite=%2Fportail');
      const api = await rt.app.inject({ url: '/api/v1/me' });
      assert.equal(api.statusCode, 401);
      assert.equal(api.headers['content-type'], 'application/problem+json; charset=utf-8');
    });

    it('shows the previous sign-in and the open sessions', async () => {
      await signInAs(rt.app, rt.clock, 'rgc.demo', { ip: '192.0.2.10' });
      const s = await signInAs(rt.app, rt.clock, 'rgc.demo', { ip: '192.0.2.11' });
      const page = await rt.app.inject({ url: '/portail', headers: { cookie: s.cookie } });
      assert.match(page.body, /Connexion précédente : le \d\d\/\d\d\/\d{4} à \d\d:\d\d, depuis l’adresse IP 192\.0\.2\.10/);
      assert.match(page.body, /Session actuelle/);
      assert.match(page.body, /Terminer/);
    });

    it('ends one of one’s own sessions by form; a malformed, unknown or someone else’s session is a 404', async () => {
      const { session: other, sessionId: otherId } = await spareSession(rt, 'rgc.demo2');
      const { session: mine, sessionId: mineId } = await spareSession(rt, 'rgc.demo');
      const s = await signInAs(rt.app, rt.clock, 'rgc.demo');
      const end = (sessionId: string) =>
        rt.app.inject({
          method: 'POST',
          url: `/portail/sessions/${sessionId}/fin`,
          headers: { cookie: s.cookie, 'content-type': 'application/x-www-form-urlencoded' },
          payload: new URLSearchParams({ _csrf: s.csrfToken }).toString(),
        });
      for (const refused of ['pas-une-session', 'f'.repeat(64), otherId]) {
        const res = await end(refused);
        assert.equal(res.statusCode, 404, refused);
        assert.match(res.body, /Cette session est introuvable ou déjà terminée/);
      }
      assert.equal((await rt.app.inject({ url: '/api/v1/me', headers: { cookie: other.cookie } })).statusCode, 200, 'the other account’s session still works');
      const ended = await end(mineId);
      assert.equal(ended.statusCode, 303);
      assert.equal((await rt.app.inject({ url: '/api/v1/me', headers: { cookie: mine.cookie } })).statusCode, 401);
    });

    it('answers the applications API with its schema, naming an unknown query parameter', async () => {
      const s = await signInAs(rt.app, rt.clock, 'rgc.demo');
      const res = await rt.app.inject({ url: '/api/v1/me/applications?tri=nom', headers: { cookie: s.cookie } });
      assert.equal(res.statusCode, 422);
      assert.equal(res.json().errors[0].field, 'tri');
    });

    it('shows the demo outbox to agency administrators only', async () => {
      const admin = await signInAs(rt.app, rt.clock, 'admin.agence');
      const res = await rt.app.inject({ url: '/api/v1/outbox', headers: { cookie: admin.cookie } });
      assert.equal(res.statusCode, rt.ctx.config.demoMode ? 200 : 404);
      if (rt.ctx.config.demoMode) assert.ok(Array.isArray(res.json().messages));
      const rgc = await signInAs(rt.app, rt.clock, 'rgc.demo');
      assert.equal((await rt.app.inject({ url: '/api/v1/outbox', headers: { cookie: rgc.cookie } })).statusCode, 403);
      assert.equal((await rt.app.inject({ url: '/api/v1/outbox' })).statusCode, 401);
      assert.equal((await rt.app.inject({ url: '/api/v1/outbox?page=2', headers: { cookie: admin.cookie } })).statusCode, 422);
    });

    it('ignores a habilitation row of another organisation and agency roles held outside the agency', async () => {
      const s = await signInAs(rt.app, rt.clock, 'devis.demo2');
      const account = await rt.ctx.db.selectFrom('account').select(['id', 'organisation_id']).where('login', '=', 'devis.demo2').executeTakeFirstOrThrow();
      const formapro = await rt.ctx.db.selectFrom('organisation').select('id').where('name', '=', 'Formapro Démo').executeTakeFirstOrThrow();
      await rt.ctx.db
        .insertInto('habilitation')
        .values([
          { account_id: account.id, organisation_id: formapro.id, application: 'gid', role: 'account_manager', granted_by: null },
          { account_id: account.id, organisation_id: account.organisation_id!, application: 'kairos', role: 'advisor', granted_by: null },
          { account_id: account.id, organisation_id: account.organisation_id!, application: 'support', role: 'agent', granted_by: null },
        ])
        .execute();
      const me = await rt.app.inject({ url: '/api/v1/me', headers: { cookie: s.cookie } });
      assert.deepEqual(me.json().habilitations, [
        { application: 'kairos', role: 'quote_editor' },
        { application: 'support', role: 'user' },
      ]);
      assert.equal((await rt.app.inject({ url: '/gid', headers: { cookie: s.cookie } })).statusCode, 403);
    });

    it('applies a revoked habilitation on the very next request', async () => {
      const s = await signInAs(rt.app, rt.clock, 'assiduite.demo');
      assert.equal((await rt.app.inject({ url: '/kairos', headers: { cookie: s.cookie } })).statusCode, 200);
      const account = await rt.ctx.db.selectFrom('account').select('id').where('login', '=', 'assiduite.demo').executeTakeFirstOrThrow();
      await rt.ctx.db.deleteFrom('habilitation').where('account_id', '=', account.id).where('application', '=', 'kairos').execute();
      assert.equal((await rt.app.inject({ url: '/kairos', headers: { cookie: s.cookie } })).statusCode, 403);
      const page = await rt.app.inject({ url: '/portail', headers: { cookie: s.cookie } });
      assert.deepEqual(tilesOf(page.body), ['support']);
    });

    it('the public home page does not link to the partners’ sign-in page and shows the official address', async () => {
      const home = await rt.app.inject({ url: '/' });
      assert.equal(home.statusCode, 200);
      assert.doesNotMatch(home.body, /href="\/connexion/);
      assert.match(home.body, /href="\/adhesion"/);
      assert.match(home.body, /href="\/activation"/);
      assert.match(home.body, /Adresse officielle de Kairos : <strong>localhost:3000<\/strong>/);
    });
  });
}
