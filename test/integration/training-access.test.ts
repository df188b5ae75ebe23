// Who reaches which training route: no session → 401; a role without the right → 403;
// another organisation's training, another advisor's trainee or another candidate's record → the
// same 404 as an unknown id, leaking nothing and changing nothing; bad input never a 5xx.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { LightMyRequestResponse } from 'fastify';
import { sql } from 'kysely';
import { ManualClock } from '../../src/clock.js';
import { CSV_HEADER } from '../../src/modules/training/index.js';
import { ENGINES, startTestRuntime, type TestRuntime } from '../helpers/runtime.js';
import { signInAs, type SignedIn } from '../helpers/session.js';
import { createTraining, grantKairosRole } from '../helpers/trainings.js';

type Method = 'GET' | 'POST' | 'PUT';
interface Route {
  method: Method;
  url: (id: string) => string;
  payload?: unknown;
  csv?: boolean;
  kind: 'read' | 'write' | 'alerts' | 'me';
  /** The route names a training (so another tenant's id must be a 404). */
  byId: boolean;
}
const UNKNOWN_ID = '00000000-0000-4000-8000-000000000000';
const REPORT = { outcome: 'completed', certification: 'full', skills: 'Tout.', difficulties: 'Aucune.', nextSteps: 'Emploi.', employmentOutcome: null };
const ENTRY = { date: '2026-03-31', period: 'pm', status: 'absent', reason: 'sickness', justified: true };

const ROUTES: Route[] = [
  { method: 'GET', url: () => '/api/v1/trainings', kind: 'read', byId: false },
  { method: 'GET', url: (id) => `/api/v1/trainings/${id}`, kind: 'read', byId: true },
  { method: 'GET', url: (id) => `/api/v1/trainings/${id}/attendance?month=2026-03`, kind: 'read', byId: true },
  { method: 'GET', url: (id) => `/api/v1/trainings/${id}/statements/2026-03`, kind: 'read', byId: true },
  { method: 'GET', url: (id) => `/api/v1/trainings/${id}/statements/2026-03.pdf`, kind: 'read', byId: true },
  { method: 'POST', url: (id) => `/api/v1/trainings/${id}/entry`, payload: { startDate: '2026-03-02' }, kind: 'write', byId: true },
  { method: 'PUT', url: (id) => `/api/v1/trainings/${id}/attendance`, payload: { entries: [{ date: '2026-03-31', period: 'am', status: 'present' }] }, kind: 'write', byId: true },
  { method: 'POST', url: (id) => `/api/v1/trainings/${id}/statements/2026-03/submit`, kind: 'write', byId: true },
  { method: 'POST', url: (id) => `/api/v1/trainings/${id}/statements/2026-03/corrections`, payload: { entry: ENTRY, reason: 'Certificat médical reçu.' }, kind: 'write', byId: true },
  { method: 'POST', url: (id) => `/api/v1/trainings/${id}/withdrawal`, payload: { date: '2026-03-31', reason: 'health', comment: '' }, kind: 'write', byId: true },
  { method: 'POST', url: (id) => `/api/v1/trainings/${id}/exit`, kind: 'write', byId: true },
  { method: 'POST', url: (id) => `/api/v1/trainings/${id}/report`, payload: REPORT, kind: 'write', byId: true },
  { method: 'POST', url: () => '/api/v1/attendance-imports', payload: `${CSV_HEADER}\n1234567A;SESS-A;31/03/2026;matin;present;;;\n`, csv: true, kind: 'write', byId: false },
  { method: 'GET', url: () => '/api/v1/training-alerts', kind: 'alerts', byId: false },
  { method: 'GET', url: () => '/api/v1/me/trainings', kind: 'me', byId: false },
  { method: 'GET', url: (id) => `/api/v1/me/trainings/${id}`, kind: 'me', byId: true },
  { method: 'GET', url: (id) => `/api/v1/me/trainings/${id}/attendance?month=2026-03`, kind: 'me', byId: true },
  { method: 'GET', url: (id) => `/api/v1/me/trainings/${id}/statements/2026-03.pdf`, kind: 'me', byId: true },
];

/** What each account may do: the route kinds that let it through (others are 403). */
const ALLOWED: Record<string, Route['kind'][]> = {
  'assiduite.demo': ['read', 'write'],
  'rgc.demo': ['read'], // granted kairos/reader below
  'conseiller.demo': ['read', 'alerts'],
  'devis.demo': [], // quote editors do not follow trainings
  'candidat.demo': ['me'],
};

for (const engine of ENGINES) {
  describe(`training routes: roles and tenants (${engine})`, () => {
    let rt: TestRuntime;
    const as: Record<string, SignedIn> = {};
    let a = ''; // Formapro, 1234567A, approved by conseiller.demo, March submitted
    let c = ''; // Atelier, 7654321B, approved by nobody known

    const call = (who: string | null, r: Route, id: string): Promise<LightMyRequestResponse> => {
      const headers: Record<string, string> = { ...(who ? as[who].headers : {}), ...(r.csv ? { 'content-type': 'text/csv' } : {}) };
      const payload = r.payload === undefined ? undefined : r.csv ? (r.payload as string) : JSON.stringify(r.payload);
      if (payload !== undefined && !r.csv) headers['content-type'] = 'application/json';
      return rt.app.inject({ method: r.method, url: r.url(id), headers, ...(payload !== undefined ? { payload } : {}) });
    };
    const snapshot = async () => {
      const n = async (table: 'attendance' | 'monthly_statement' | 'attendance_correction' | 'training_report' | 'training_session') =>
        Number((await rt.ctx.db.selectFrom(table).select(sql<number>`count(*)`.as('n')).executeTakeFirstOrThrow()).n);
      const trainings = await rt.ctx.db.selectFrom('training').select(['id', 'status', 'entry_date', 'withdrawal_date', 'exit_date']).orderBy('id').execute();
      const writes = await rt.ctx.db.selectFrom('audit_log').select(sql<number>`count(*)`.as('n')).where('action', 'not in', ['candidate.viewed', 'auth.sign_in', 'session.created']).where('action', 'not like', 'auth.%').executeTakeFirstOrThrow();
      return JSON.stringify([await n('attendance'), await n('monthly_statement'), await n('attendance_correction'), await n('training_report'), await n('training_session'), trainings, Number(writes.n)]);
    };
    const comparable = (res: LightMyRequestResponse) => {
      const { requestId: _r, instance: _i, ...rest } = res.json();
      return rest;
    };

    before(async () => {
      rt = await startTestRuntime(engine, { clock: new ManualClock('2026-04-01T08:00:00Z') });
      await grantKairosRole(rt.ctx.db, 'rgc.demo', 'reader');
      await grantKairosRole(rt.ctx.db, 'rgc.demo2', 'attendance_officer');
      a = (await createTraining(rt.ctx.db, { organisation: 'Formapro Démo', candidate: '1234567A', startDate: '2026-03-02', endDate: '2026-03-31', session: 'SESS-A', at: rt.clock.now() })).id;
      c = (await createTraining(rt.ctx.db, { organisation: 'Atelier Compétences Démo', candidate: '7654321B', startDate: '2026-03-02', endDate: '2026-03-31', session: 'SESS-C', approvedBy: null, at: rt.clock.now() })).id;
      for (const login of [...Object.keys(ALLOWED), 'rgc.demo2', 'candidat.demo2']) as[login] = await signInAs(rt.app, rt.clock, login);
      // A: entered, March fully declared and submitted, so every read route has something to show.
      const officer = { method: 'POST' as const, headers: as['assiduite.demo'].headers };
      assert.equal((await rt.app.inject({ ...officer, url: `/api/v1/trainings/${a}/entry`, payload: { startDate: '2026-03-02' } })).statusCode, 200);
      const entries = (await rt.ctx.db.selectFrom('training_session').select(['date', 'period']).where('training_id', '=', a).execute()).map((s) => ({ ...s, status: 'present' }));
      assert.equal((await rt.app.inject({ ...officer, method: 'PUT', url: `/api/v1/trainings/${a}/attendance`, payload: { entries } })).statusCode, 200);
      assert.equal((await rt.app.inject({ ...officer, url: `/api/v1/trainings/${a}/statements/2026-03/submit` })).statusCode, 200);
      const atelier = { method: 'POST' as const, headers: as['rgc.demo2'].headers };
      assert.equal((await rt.app.inject({ ...atelier, url: `/api/v1/trainings/${c}/entry`, payload: { startDate: '2026-03-02' } })).statusCode, 200);
    });
    after(() => rt?.stop());

    it('without a session every route answers 401', async () => {
      for (const r of ROUTES) assert.equal((await call(null, r, a)).statusCode, 401, `${r.method} ${r.url(a)}`);
    });

    it('each role reaches exactly its routes; the others answer 403 and change nothing', async () => {
      const before = await snapshot();
      for (const [login, kinds] of Object.entries(ALLOWED)) {
        for (const r of ROUTES.filter((x) => !kinds.includes(x.kind))) {
          const res = await call(login, r, a);
          assert.equal(res.statusCode, 403, `${login} ${r.method} ${r.url(a)}: ${res.body}`);
          assert.doesNotMatch(res.body, /Martin|1234567A/);
        }
      }
      assert.equal(await snapshot(), before);
      for (const [login, kinds] of Object.entries(ALLOWED)) {
        for (const r of ROUTES.filter((x) => kinds.includes(x.kind) && x.kind !== 'write')) {
          const res = await call(login, r, a);
          assert.equal(res.statusCode, 200, `${login} ${r.method} ${r.url(a)}: ${res.body.slice(0, 300)}`);
        }
      }
      // The attendance officer's writes get past the access rules (the training's state decides).
      for (const r of ROUTES.filter((x) => x.kind === 'write')) {
        const res = await call('assiduite.demo', r, a);
        assert.ok(![401, 403, 404].includes(res.statusCode) && res.statusCode < 500, `${r.method} ${r.url(a)}: ${res.statusCode} ${res.body}`);
      }
    });

    it('another organisation’s training is a 404 identical to an unknown id, on every route naming one', async () => {
      const before = await snapshot();
      for (const r of ROUTES.filter((x) => x.byId && (x.kind === 'read' || x.kind === 'write'))) {
        const theirs = await call('rgc.demo2', r, a);
        const unknown = await call('rgc.demo2', r, UNKNOWN_ID);
        const garbage = await call('rgc.demo2', r, 'pas-un-id');
        for (const res of [theirs, unknown, garbage]) assert.equal(res.statusCode, 404, `${r.method} ${r.url(a)}: ${res.body}`);
        assert.deepEqual(comparable(theirs), comparable(unknown));
        assert.deepEqual(comparable(garbage), comparable(unknown));
        assert.doesNotMatch(theirs.body, /Martin|1234567A|Formapro/);
      }
      assert.equal(await snapshot(), before);
      const list = await call('rgc.demo2', ROUTES[0], a);
      assert.deepEqual(list.json().trainings.map((t: { id: string }) => t.id), [c]);
      const formapro = await call('assiduite.demo', ROUTES[0], a);
      assert.ok(!formapro.json().trainings.some((t: { id: string }) => t.id === c));
    });

    it('an advisor reaches only their candidates’ trainings: another trainee is a 404', async () => {
      for (const r of ROUTES.filter((x) => x.byId && x.kind === 'read')) {
        const res = await call('conseiller.demo', r, c);
        assert.equal(res.statusCode, 404, r.url(c));
        assert.doesNotMatch(res.body, /Bernard|7654321B|Atelier/);
      }
      assert.deepEqual((await call('conseiller.demo', ROUTES[0], a)).json().trainings.map((t: { id: string }) => t.id), [a]);
    });

    it('a candidate reaches only their own record: another’s is a 404', async () => {
      for (const r of ROUTES.filter((x) => x.byId && x.kind === 'me')) {
        assert.equal((await call('candidat.demo2', r, a)).statusCode, 404, r.url(a));
        assert.equal((await call('candidat.demo', r, c)).statusCode, 404, r.url(c));
      }
      assert.deepEqual((await call('candidat.demo2', ROUTES.find((r) => r.kind === 'me')!, a)).json().trainings.map((t: { id: string }) => t.id), [c]);
    });

    it('hostile or malformed input gets a French 4xx, never a 5xx', async () => {
      const officer = as['assiduite.demo'].headers;
      const attempts: Array<[Method, string, unknown]> = [
        ['PUT', `/api/v1/trainings/${a}/attendance`, { entries: [{ date: '2026-02-30', period: 'am', status: 'present' }] }],
        ['PUT', `/api/v1/trainings/${a}/attendance`, { entries: [{ date: '2026-03-02', period: 'am', status: 'late', lateMinutes: 1e12 }] }],
        ['PUT', `/api/v1/trainings/${a}/attendance`, { entries: Array(2001).fill({ date: '2026-03-02', period: 'am', status: 'present' }) }],
        ['PUT', `/api/v1/trainings/${a}/attendance`, { entries: [{ date: { $gt: '' }, period: ['am'], status: null }] }],
        ['POST', `/api/v1/trainings/${a}/report`, { ...REPORT, skills: 'x'.repeat(100_000) }],
        ['POST', `/api/v1/trainings/${a}/withdrawal`, 'pas du json'],
        ['POST', `/api/v1/trainings/${a}/statements/9999-99/submit`, undefined],
        ['GET', `/api/v1/trainings/${a}/statements/2026-03.pdfx`, undefined],
        ['GET', `/api/v1/trainings/${a}/attendance?month[]=x`, undefined],
        ['GET', `/api/v1/trainings?session=${'x'.repeat(500)}`, undefined],
      ];
      for (const [method, url, payload] of attempts) {
        const res = await rt.app.inject({ method, url, headers: officer, ...(payload !== undefined ? { payload: payload as object } : {}) });
        assert.ok(res.statusCode >= 400 && res.statusCode < 500, `${method} ${url}: ${res.statusCode} ${res.body.slice(0, 200)}`);
        assert.match(res.json().detail, /[éèàç]|vous|Vérifiez|invalide|champ/i);
      }
    });

    it('a month in the path is a value: a malformed one is a 422 naming it (after a malformed id’s 404); an absent body names each required field', async () => {
      const before = await snapshot();
      const inject = (who: string, method: Method, url: string, payload?: object) => rt.app.inject({ method, url, headers: as[who].headers, ...(payload ? { payload } : {}) });
      for (const [who, method, url] of [
        ['assiduite.demo', 'POST', `/api/v1/trainings/${a}/statements/mars/submit`],
        ['assiduite.demo', 'GET', `/api/v1/trainings/${a}/statements/2026-13`],
        ['conseiller.demo', 'GET', `/api/v1/trainings/${a}/statements/2026-3.pdf`],
        ['candidat.demo', 'GET', `/api/v1/me/trainings/${a}/statements/mars.pdf`],
      ] as const) {
        const res = await inject(who, method, url);
        assert.equal(res.statusCode, 422, url);
        assert.deepEqual(res.json().errors, [{ field: 'month', message: 'Mois (month) : mois invalide, au format aaaa-mm attendu (exemple : 2026-03).' }]);
      }
      const both = await inject('assiduite.demo', 'POST', '/api/v1/trainings/pas-un-id/statements/mars/submit');
      assert.deepEqual([both.statusCode, both.json().detail], [404, 'Cette formation est introuvable.']);
      const report = await inject('assiduite.demo', 'POST', `/api/v1/trainings/${a}/report`);
      assert.equal(report.statusCode, 422);
      assert.deepEqual(report.json().errors.map((e: { field: string }) => e.field), ['outcome', 'certification', 'skills', 'difficulties', 'nextSteps']);
      assert.match(report.json().errors[0].message, /^Résultat \(outcome\) : champ obligatoire/);
      // An action without a body takes nothing, or an empty object; anything else is named.
      const exit = await inject('assiduite.demo', 'POST', `/api/v1/trainings/${a}/exit`, { date: '2026-03-31' });
      assert.deepEqual([exit.statusCode, exit.json().errors[0].field], [422, 'date']);
      assert.equal(await snapshot(), before);
    });
  });
}
