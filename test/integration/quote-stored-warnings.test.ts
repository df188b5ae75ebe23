// Warnings are stored with the content they judge and served as stored: a read runs no rule
// (a stored value that differs from what the rules would say is what every reader gets), and the
// advisor queue is complete, filtered and paginated in SQL (mine=true narrows it to the advisor's
// own candidates). Rows written by SQL outside the application get their warnings on first use.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { sql } from 'kysely';
import { parisDay } from '../../src/modules/onboarding/rules.js';
import { pedagogicalCostCents } from '../../src/modules/quotes/rules/money.js';
import { accountIdByLogin, apiCall, expectJson } from '../helpers/fixtures.js';
import { validQuote } from '../helpers/quotes.js';
import { ENGINES, startTestRuntime, type TestRuntime } from '../helpers/runtime.js';
import { signInAs, type SignedIn } from '../helpers/session.js';
import { createCandidate, createTraining } from '../helpers/trainings.js';

const MARKER = [{ field: 'costs.hourlyRate', code: 'stored_marker', message: 'Avertissement posé en base par le test.' }];
const VERSION_MARKER = [{ field: 'training.title', code: 'version_marker', message: 'Avertissement de la version figée.' }];

for (const engine of ENGINES) {
  describe(`stored quote warnings and the complete queue (${engine})`, () => {
    let rt: TestRuntime;
    let today = '';
    const as: Record<string, SignedIn> = {};
    before(async () => {
      rt = await startTestRuntime(engine);
      today = parisDay(rt.clock.now());
      for (const login of ['devis.demo', 'conseiller.demo', 'candidat.demo']) as[login] = await signInAs(rt.app, rt.clock, login);
    });
    after(() => rt?.stop());

    const ok = async (who: string, method: 'GET' | 'POST' | 'PATCH', url: string, body?: object, status = 200) =>
      expectJson<any>(await apiCall(rt.app, as[who]!, method, url, body), status, `${method} ${url}`);
    const storedWarnings = async (id: string) => (await rt.ctx.db.selectFrom('quote').select('warnings').where('id', '=', id).executeTakeFirstOrThrow()).warnings;
    const setWarnings = (id: string, warnings: object) => sql`update quote set warnings = ${JSON.stringify(warnings)}::jsonb where id = ${id}`.execute(rt.ctx.db);

    /** A quote at 45 €/h (above the 30 € threshold: one warning) that passes every other rule. */
    function expensive(weeksLater: number) {
      const q = validQuote(today, weeksLater);
      const hundredths = Math.round((q.training.centreHours + q.training.companyHours) * 100);
      return { ...q, costs: { ...q.costs, hourlyRate: 45, pedagogicalCost: pedagogicalCostCents(hundredths, 4500) / 100 } };
    }

    it('writes the warnings with the content: created, patched, frozen with the submitted version', async () => {
      const q = await ok('devis.demo', 'POST', '/api/v1/quotes', expensive(0), 201);
      assert.deepEqual(q.warnings.map((w: { code: string }) => w.code), ['hourly_rate_high']);
      assert.deepEqual((await storedWarnings(q.id))?.map((w) => w.code), ['hourly_rate_high']);
      const cheaper = validQuote(today);
      await ok('devis.demo', 'PATCH', `/api/v1/quotes/${q.id}`, { costs: cheaper.costs });
      assert.deepEqual(await storedWarnings(q.id), []);
      await ok('devis.demo', 'POST', `/api/v1/quotes/${q.id}/submit`);
      const version = await rt.ctx.db.selectFrom('quote_version').select('warnings').where('quote_id', '=', q.id).executeTakeFirstOrThrow();
      assert.deepEqual(version.warnings, []);
    });

    it('a read serves what is stored and runs no rule: organisation, advisor, queue and its warnings filter', async () => {
      const q = await ok('devis.demo', 'POST', '/api/v1/quotes', validQuote(today, 6), 201);
      assert.deepEqual(q.warnings, []);
      await ok('devis.demo', 'POST', `/api/v1/quotes/${q.id}/submit`);
      await ok('candidat.demo', 'POST', `/api/v1/quotes/${q.id}/candidate-decision`, { decision: 'accept' });
      await setWarnings(q.id, MARKER);
      assert.deepEqual((await ok('devis.demo', 'GET', `/api/v1/quotes/${q.id}`)).warnings, MARKER);
      assert.deepEqual((await ok('conseiller.demo', 'GET', `/api/v1/quotes/${q.id}`)).warnings, MARKER);
      assert.deepEqual((await ok('candidat.demo', 'GET', `/api/v1/quotes/${q.id}`)).warnings, [], 'the candidate is shown no warning');
      const inQueue = async (query: string) => (await ok('conseiller.demo', 'GET', `/api/v1/quote-queue${query}`)).quotes.find((x: { id: string }) => x.id === q.id);
      assert.deepEqual((await inQueue(''))?.warnings, MARKER);
      assert.ok(await inQueue('?warnings=with'));
      assert.equal(await inQueue('?warnings=without'), undefined);
    });

    it('while a new version is drafted, the advisor is served the frozen version’s stored warnings', async () => {
      const q = await ok('devis.demo', 'POST', '/api/v1/quotes', validQuote(today, 12), 201);
      await ok('devis.demo', 'POST', `/api/v1/quotes/${q.id}/submit`);
      await ok('candidat.demo', 'POST', `/api/v1/quotes/${q.id}/candidate-decision`, { decision: 'accept' });
      await ok('conseiller.demo', 'POST', `/api/v1/quotes/${q.id}/decision`, { decision: 'request_changes', reason: 'Précisez le lieu.' });
      await ok('devis.demo', 'POST', `/api/v1/quotes/${q.id}/new-version`);
      await sql`update quote_version set warnings = ${JSON.stringify(VERSION_MARKER)}::jsonb where quote_id = ${q.id} and version = 1`.execute(rt.ctx.db);
      await setWarnings(q.id, MARKER);
      const seen = await ok('conseiller.demo', 'GET', `/api/v1/quotes/${q.id}`);
      assert.equal(seen.version, 1);
      assert.deepEqual(seen.warnings, VERSION_MARKER);
      assert.deepEqual((await ok('devis.demo', 'GET', `/api/v1/quotes/${q.id}`)).warnings, MARKER);
    });

    it('a quote written by SQL has its warnings computed on first read, then stored', async () => {
      const { quoteId } = await createTraining(rt.ctx.db, { organisation: 'Formapro Démo', candidate: '1234567A', session: 'SQL-1', startDate: '2027-03-01', endDate: '2027-03-26' });
      assert.equal(await storedWarnings(quoteId), null);
      assert.deepEqual((await ok('devis.demo', 'GET', `/api/v1/quotes/${quoteId}`)).warnings, []);
      assert.deepEqual(await storedWarnings(quoteId), []);
    });

    it('the queue is complete: every waiting quote on some page, a true total, mine=true, SQL-written rows included', async () => {
      const advisorId = await accountIdByLogin(rt, 'conseiller.demo');
      const ids: string[] = [];
      for (let i = 0; i < 45; i++) {
        const identifier = `88${String(i).padStart(5, '0')}Q`;
        await createCandidate(rt.ctx.db, identifier, `File${i}`);
        if (i % 3 === 0) await rt.ctx.db.updateTable('candidate').set({ created_by: advisorId }).where('identifier', '=', identifier).execute();
        const { quoteId } = await createTraining(rt.ctx.db, { organisation: 'Formapro Démo', candidate: identifier, session: `Q-${i}`, startDate: '2027-05-03', endDate: '2027-05-28' });
        // Waiting, written by SQL (no warnings yet); every fifth one above the hourly threshold.
        await sql`update quote set status = 'accepted', decided_at = null, decided_by = null, accepted_at = ${new Date(Date.UTC(2026, 0, 1, 0, i))},
          data = jsonb_set(data, '{costs,hourlyRateCents}', ${i % 5 === 0 ? '4000' : '1250'}::jsonb) where id = ${quoteId}`.execute(rt.ctx.db);
        ids.push(quoteId);
      }
      const first = await ok('conseiller.demo', 'GET', '/api/v1/quote-queue');
      assert.ok(first.total >= 45, `total ${first.total}`);
      const seen: string[] = [];
      for (let page = 1; page <= Math.ceil(first.total / first.pageSize); page++) {
        const p = await ok('conseiller.demo', 'GET', `/api/v1/quote-queue?page=${page}`);
        assert.equal(p.total, first.total);
        seen.push(...p.quotes.map((q: { id: string }) => q.id));
      }
      assert.equal(new Set(seen).size, first.total, 'no quote twice, none missing');
      for (const id of ids) assert.ok(seen.includes(id));
      // Oldest acceptance first: the SQL rows keep their order.
      const order = seen.filter((id) => ids.includes(id));
      assert.deepEqual(order, ids);
      const past = await ok('conseiller.demo', 'GET', `/api/v1/quote-queue?page=${Math.ceil(first.total / first.pageSize) + 1}`);
      assert.deepEqual([past.quotes.length, past.total], [0, first.total]);

      const allPages = async (query: string) => {
        const firstPage = await ok('conseiller.demo', 'GET', `/api/v1/quote-queue?${query}`);
        const quotes = [...firstPage.quotes];
        for (let page = 2; page <= Math.ceil(firstPage.total / firstPage.pageSize); page++) quotes.push(...(await ok('conseiller.demo', 'GET', `/api/v1/quote-queue?${query}&page=${page}`)).quotes);
        assert.equal(quotes.length, firstPage.total, query);
        return quotes as Array<{ id: string; warnings: Array<{ code: string }> }>;
      };
      const warned = await allPages('warnings=with');
      const unwarned = await allPages('warnings=without');
      assert.equal(warned.length + unwarned.length, first.total);
      assert.ok(warned.every((q) => q.warnings.length > 0) && unwarned.every((q) => q.warnings.length === 0));
      assert.deepEqual(warned.map((q) => q.id).filter((id) => ids.includes(id)), ids.filter((_, i) => i % 5 === 0));

      const mine = await ok('conseiller.demo', 'GET', '/api/v1/quote-queue?mine=true');
      const expectedMine = ids.filter((_, i) => i % 3 === 0);
      assert.equal(mine.total, expectedMine.length);
      assert.deepEqual(mine.quotes.map((q: { id: string }) => q.id), expectedMine);
      assert.equal((await ok('conseiller.demo', 'GET', '/api/v1/quote-queue?mine=false')).total, first.total);
      assert.equal((await apiCall(rt.app, as['conseiller.demo']!, 'GET', '/api/v1/quote-queue?mine=oui')).statusCode, 422);
    });

    it('the queue page: « Mes candidats » and page links that keep the filters, without JavaScript', async () => {
      const res = await apiCall(rt.app, as['conseiller.demo']!, 'GET', '/conseiller/devis?mine=true');
      assert.equal(res.statusCode, 200);
      assert.match(res.body, /<input[^>]*type="checkbox"[^>]*checked[^>]*>|<input[^>]*checked[^>]*type="checkbox"[^>]*>/);
      assert.match(res.body, /<label class="form-check-label" for="mine">Mes candidats<\/label>/);
      assert.match(res.body, /15 devis correspondent à ces critères/);
      const all = await apiCall(rt.app, as['conseiller.demo']!, 'GET', '/conseiller/devis?warnings=without');
      assert.match(all.body, /href="\/conseiller\/devis\?warnings=without&amp;page=2"[^>]*>Page suivante/);
      assert.match(all.body, /Dernière page/);
      const refused = await apiCall(rt.app, as['conseiller.demo']!, 'GET', '/conseiller/devis?mine=peut-etre');
      assert.equal(refused.statusCode, 422);
      assert.match(refused.body, /Mes candidats \(mine\)/);
    });
  });
}
