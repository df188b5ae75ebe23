// Candidates: advisors register and look up; every read audited; a candidate
// reads their own profile; training organisations never browse candidates.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { sql } from 'kysely';
import type { LightMyRequestResponse } from 'fastify';
import { ENGINES, startTestRuntime, type TestRuntime } from '../helpers/runtime.js';
import { signInAs, type SignedIn } from '../helpers/session.js';

const NEW = { identifier: '2345678C', lastName: 'Lefèvre', firstName: 'Jeanne-Marie', birthDate: '1992-02-29', email: 'jeanne.lefevre@example.org' };

for (const engine of ENGINES) {
  describe(`candidates (${engine})`, () => {
    let rt: TestRuntime;
    const as: Record<string, SignedIn> = {};
    before(async () => {
      rt = await startTestRuntime(engine);
      for (const login of ['conseiller.demo', 'devis.demo', 'rgc.demo', 'candidat.demo', 'candidat.demo2']) as[login] = await signInAs(rt.app, rt.clock, login);
    });
    after(() => rt?.stop());

    const call = (who: string | null, method: 'GET' | 'POST', url: string, payload?: object): Promise<LightMyRequestResponse> =>
      rt.app.inject({ method, url, headers: who ? as[who].headers : {}, ...(payload ? { payload } : {}) });
    const count = async (table: 'candidate' | 'audit_log', action?: string) => {
      let q = rt.ctx.db.selectFrom(table as 'audit_log').select(sql<number>`count(*)`.as('n'));
      if (action) q = q.where('action', '=', action);
      return Number((await q.executeTakeFirstOrThrow()).n);
    };

    it('an advisor registers a candidate (201), audited; a duplicate identifier is a 409', async () => {
      const res = await call('conseiller.demo', 'POST', '/api/v1/candidates', { ...NEW, identifier: ' 2345678c ' });
      assert.equal(res.statusCode, 201, res.body);
      assert.deepEqual(res.json(), NEW);
      const row = await rt.ctx.db.selectFrom('candidate').selectAll().where('identifier', '=', NEW.identifier).executeTakeFirstOrThrow();
      assert.equal(row.account_id, null);
      const audit = await rt.ctx.db.selectFrom('audit_log').selectAll().where('action', '=', 'candidate.created').where('target_id', '=', row.id).execute();
      assert.equal(audit.length, 1);
      const before = await count('candidate');
      const dup = await call('conseiller.demo', 'POST', '/api/v1/candidates', { ...NEW, lastName: 'Autre' });
      assert.equal(dup.statusCode, 409);
      assert.equal(await count('candidate'), before);
    });

    it('refuses invalid input with French field errors and stores nothing', async () => {
      const before = await count('candidate');
      const res = await call('conseiller.demo', 'POST', '/api/v1/candidates', {
        identifier: '123A',
        lastName: 'x'.repeat(10_000),
        firstName: '',
        birthDate: '2100-13-01',
        email: 'pas-un-courriel',
        extra: 1,
      });
      assert.equal(res.statusCode, 422, res.body);
      const fields = (res.json().errors as Array<{ field: string; message: string }>).map((e) => e.field).sort();
      assert.deepEqual(fields, ['birthDate', 'email', 'extra', 'firstName', 'identifier', 'lastName']);
      assert.match(res.json().errors.find((e: { field: string }) => e.field === 'identifier').message, /7 chiffres suivis d’une lettre/);
      const future = await call('conseiller.demo', 'POST', '/api/v1/candidates', { ...NEW, identifier: '3456789D', birthDate: '2999-01-01' });
      assert.equal(future.statusCode, 422);
      assert.equal(await count('candidate'), before);
    });

    it('search by name or identifier (max 50), each result audited as candidate.viewed', async () => {
      const before = await count('audit_log', 'candidate.viewed');
      const byName = await call('conseiller.demo', 'GET', '/api/v1/candidates?q=mart');
      assert.equal(byName.statusCode, 200, byName.body);
      assert.deepEqual(byName.json().candidates.map((c: { identifier: string }) => c.identifier), ['1234567A']);
      assert.equal(byName.json().candidates[0].email, 'candidat.demo@demo.kairos.example');
      const byId = await call('conseiller.demo', 'GET', '/api/v1/candidates?q=7654');
      assert.deepEqual(byId.json().candidates.map((c: { lastName: string }) => c.lastName), ['Bernard']);
      const none = await call('conseiller.demo', 'GET', '/api/v1/candidates?q=%25%25');
      assert.deepEqual(none.json().candidates, [], 'LIKE wildcards typed by the user are literal');
      assert.equal(await count('audit_log', 'candidate.viewed'), before + 2);
      for (const q of ['', 'a', 'x'.repeat(101)]) {
        const bad = await call('conseiller.demo', 'GET', `/api/v1/candidates?q=${q}`);
        assert.equal(bad.statusCode, 422, q);
        assert.equal(bad.json().errors[0].field, 'q');
      }
      for (let i = 0; i < 55; i++) {
        await rt.ctx.db.insertInto('candidate').values({ identifier: `99${String(i).padStart(5, '0')}Z`, last_name: 'Nombreux', first_name: 'Test', birth_date: '1980-01-01', email: 'n@example.org', account_id: null, created_at: new Date(), created_by: null }).execute();
      }
      const many = await call('conseiller.demo', 'GET', '/api/v1/candidates?q=nombreux');
      assert.equal(many.json().candidates.length, 50);
    });

    it('the candidate file has quotes and trainings, is audited, and an unknown identifier is a 404', async () => {
      const before = await count('audit_log', 'candidate.viewed');
      const res = await call('conseiller.demo', 'GET', '/api/v1/candidates/1234567a');
      assert.equal(res.statusCode, 200, res.body);
      assert.deepEqual(res.json(), {
        identifier: '1234567A', lastName: 'Martin', firstName: 'Camille', birthDate: '1990-04-12', email: 'candidat.demo@demo.kairos.example', quotes: [], trainings: [],
      });
      assert.equal(await count('audit_log', 'candidate.viewed'), before + 1);
      for (const id of ['0000000A', 'not-an-id']) assert.equal((await call('conseiller.demo', 'GET', `/api/v1/candidates/${id}`)).statusCode, 404);
      assert.equal(await count('audit_log', 'candidate.viewed'), before + 1);
    });

    it('a candidate reads their own profile, and only that', async () => {
      const me = await call('candidat.demo2', 'GET', '/api/v1/me/profile');
      assert.equal(me.statusCode, 200, me.body);
      assert.deepEqual(me.json(), { identifier: '7654321B', lastName: 'Bernard', firstName: 'Inès', birthDate: '1985-11-03', email: 'candidat.demo2@demo.kairos.example' });
      for (const who of ['conseiller.demo', 'devis.demo']) assert.equal((await call(who, 'GET', '/api/v1/me/profile')).statusCode, 403);
      assert.equal((await call(null, 'GET', '/api/v1/me/profile')).statusCode, 401);
    });

    it('training organisations and candidates never list, search or register candidates (403); strangers get 401', async () => {
      const before = await count('candidate');
      const routes: Array<['GET' | 'POST', string, object?]> = [
        ['POST', '/api/v1/candidates', { ...NEW, identifier: '5555555E' }],
        ['GET', '/api/v1/candidates?q=mart'],
        ['GET', '/api/v1/candidates/1234567A'],
      ];
      for (const [method, url, payload] of routes) {
        for (const who of ['devis.demo', 'rgc.demo', 'candidat.demo']) {
          const res = await call(who, method, url, payload);
          assert.equal(res.statusCode, 403, `${who} ${method} ${url}`);
          assert.doesNotMatch(res.body, /Martin|Camille/);
        }
        assert.equal((await call(null, method, url, payload)).statusCode, 401);
      }
      assert.equal(await count('candidate'), before);
    });
  });
}
