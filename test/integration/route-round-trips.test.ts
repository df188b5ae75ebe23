// Database round trips of the most used authenticated reads, on both engines. Each route is held
// to its budget — the session and actor in one statement, the record and its view in one or two,
// bulk-access detection in one, an audited view in one — and lists must not grow with their rows:
// the same list is measured with one and with two trainees, and must cost the same.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { parisDay } from '../../src/modules/onboarding/rules.js';
import { ManualClock } from '../../src/clock.js';
import { apiCall, expectJson } from '../helpers/fixtures.js';
import { countQueries, tally } from '../helpers/query-counter.js';
import { validQuote } from '../helpers/quotes.js';
import { ENGINES, startTestRuntime, type TestRuntime } from '../helpers/runtime.js';
import { signInAs, type SignedIn } from '../helpers/session.js';
import { createTraining } from '../helpers/trainings.js';

for (const engine of ENGINES) {
  describe(`route round trips (${engine})`, () => {
    let rt: TestRuntime;
    const as: Record<string, SignedIn> = {};
    let quoteId = '';
    let trainingId = '';

    before(async () => {
      rt = await startTestRuntime(engine, { clock: new ManualClock('2026-03-04T08:00:00Z') });
      for (const login of ['devis.demo', 'conseiller.demo', 'candidat.demo', 'assiduite.demo']) as[login] = await signInAs(rt.app, rt.clock, login);
      quoteId = (await expectJson<{ id: string }>(await apiCall(rt.app, as['devis.demo'], 'POST', '/api/v1/quotes', validQuote(parisDay(rt.clock.now()))), 201, 'create')).id;
      await expectJson(await apiCall(rt.app, as['devis.demo'], 'POST', `/api/v1/quotes/${quoteId}/submit`), 200, 'submit');
      await expectJson(await apiCall(rt.app, as['candidat.demo'], 'POST', `/api/v1/quotes/${quoteId}/candidate-decision`, { decision: 'accept' }), 200, 'accept');
      trainingId = (await createTraining(rt.ctx.db, { organisation: 'Formapro Démo', candidate: '1234567A', startDate: '2026-03-02', endDate: '2026-03-31', session: 'SESS-P', at: rt.clock.now() })).id;
    });
    after(() => rt?.stop());

    async function measure(login: string, url: string) {
      const who = as[login];
      const call = () => rt.app.inject({ method: 'GET', url, headers: { cookie: who.cookie } });
      // A first call warms what is refreshed at most every 30 s (the session's last-seen time).
      await call();
      const { result, statements } = await countQueries(call);
      assert.equal(result.statusCode, 200, `${url}: ${result.body.slice(0, 300)}`);
      const detail = `${login} GET ${url}: ${statements.length}\n${statements.map((s) => `  ${s.replace(/\s+/g, ' ').slice(0, 160)}`).join('\n')}`;
      return { counts: tally(statements), total: statements.length, detail, result: result.body };
    }

    // [who, url, budget in round trips, what the budget is made of]
    const BUDGETS: Array<[string, () => string, number, string]> = [
      ['devis.demo', () => '/api/v1/me', 1, 'session and actor'],
      ['devis.demo', () => `/api/v1/quotes/${quoteId}`, 3, 'session and actor, quote with its view and timeline, bulk-access'],
      ['conseiller.demo', () => `/api/v1/quotes/${quoteId}`, 3, 'session and actor, quote, bulk-access with the audited view'],
      ['candidat.demo', () => `/api/v1/quotes/${quoteId}`, 3, 'session and actor, quote, audited view'],
      ['devis.demo', () => '/api/v1/quotes', 3, 'session and actor, page with its total, bulk-access'],
      ['conseiller.demo', () => '/api/v1/quote-queue', 4, 'session and actor, missing-warnings probe, page with its total, bulk-access with the audited view'],
      ['assiduite.demo', () => '/api/v1/trainings', 3, 'session and actor, page with its total, bulk-access with the audited views of every trainee'],
      ['assiduite.demo', () => `/api/v1/trainings/${trainingId}/attendance?month=2026-03`, 3, 'session and actor, training with its month (half-days, attendance, lock, corrections), bulk-access with the audited view'],
      ['candidat.demo', () => `/api/v1/me/trainings/${trainingId}/attendance?month=2026-03`, 2, 'session and actor, training with its month'],
      ['assiduite.demo', () => '/kairos/assiduite?session=SESS-P&mois=2026-03', 3, 'session and actor, the sessions offered, the grid'],
      ['candidat.demo', () => '/api/v1/me/trainings', 4, 'session and actor, trainings, their statements, their reports'],
      ['candidat.demo', () => '/mon-espace', 5, 'session and actor, quotes, trainings, their statements, their reports'],
    ];

    for (const [login, url, budget, parts] of BUDGETS) {
      it(`${login} GET ${url().replace(/\/\//, '/:id/').replace(/\/$/, '/:id')}: ${budget} round trips (${parts})`, async () => {
        const { counts, total, detail } = await measure(login, url());
        assert.equal(total, budget, detail);
        assert.equal(counts.session, 1, detail);
        assert.ok(counts.bulk_access <= 1 && counts.audit <= 1 && counts.transaction === 0 && counts.job === 0, detail);
      });
    }

    it('the attendance grid reads every trainee with their month at once: a second trainee adds no statement', async () => {
      const grid = '/kairos/assiduite?session=SESS-G&mois=2026-03';
      const enter = async (candidate: string) => {
        const { id } = await createTraining(rt.ctx.db, { organisation: 'Formapro Démo', candidate, startDate: '2026-03-02', endDate: '2026-03-31', session: 'SESS-G', at: rt.clock.now() });
        await expectJson(await apiCall(rt.app, as['assiduite.demo'], 'POST', `/api/v1/trainings/${id}/entry`, { startDate: '2026-03-02' }), 200, 'entry');
        await expectJson(await apiCall(rt.app, as['assiduite.demo'], 'PUT', `/api/v1/trainings/${id}/attendance`, { entries: [{ date: '2026-03-02', period: 'am', status: 'present' }] }), 200, 'attendance');
      };
      await enter('1234567A');
      const one = await measure('assiduite.demo', grid);
      assert.equal(one.total, 4, `session and actor, the sessions offered, the grid with every month, bulk-access with the audited views\n${one.detail}`);
      assert.match(one.result, /Martin/);
      await enter('7654321B');
      const two = await measure('assiduite.demo', grid);
      assert.equal(two.total, one.total, two.detail);
    });

    it('lists cost the same whatever their number of rows: a second trainee adds no statement', async () => {
      const before = (await measure('assiduite.demo', '/api/v1/trainings')).total;
      const ownBefore = (await measure('candidat.demo', '/api/v1/me/trainings')).total;
      await createTraining(rt.ctx.db, { organisation: 'Formapro Démo', candidate: '1234567A', startDate: '2026-04-06', endDate: '2026-04-30', session: 'SESS-P2', at: rt.clock.now() });
      const listed = await measure('assiduite.demo', '/api/v1/trainings');
      assert.equal(listed.total, before, listed.detail);
      const own = await measure('candidat.demo', '/api/v1/me/trainings');
      assert.equal(own.total, ownBefore, own.detail);
    });
  });
}
