// « Brouillons avec erreurs »: the drafts that submit would refuse as they are, counted on the
// dashboard and listed by /devis?erreurs=oui (page and API). Hand-made drafts in an organisation
// of their own: a blocking error of the content counts, a warning alone does not, fixing the
// draft removes it; the errors that depend on the day, the Qualiopi certificate or another open
// quote count too. Every draft the list calls blocked is refused by submit, and only those.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { sql } from 'kysely';
import { parisDay } from '../../src/modules/onboarding/rules.js';
import { addDays } from '../../src/modules/quotes/rules/holidays.js';
import { pedagogicalCostCents } from '../../src/modules/quotes/rules/money.js';
import { apiCall, expectJson } from '../helpers/fixtures.js';
import { validQuote } from '../helpers/quotes.js';
import { ENGINES, startTestRuntime, type TestRuntime } from '../helpers/runtime.js';
import { signInAs, type SignedIn } from '../helpers/session.js';
import { createCandidate } from '../helpers/trainings.js';

const EDITOR = 'devis.demo2'; // Atelier Compétences Démo: no quote in the demo data
const OTHER = 'devis.demo'; // Formapro Démo

for (const engine of ENGINES) {
  describe(`drafts with errors on the dashboard and the quote list (${engine})`, () => {
    let rt: TestRuntime;
    let today = '';
    const as: Record<string, SignedIn> = {};
    before(async () => {
      rt = await startTestRuntime(engine);
      today = parisDay(rt.clock.now());
      for (const login of [EDITOR, OTHER, 'assiduite.demo']) as[login] = await signInAs(rt.app, rt.clock, login);
      await createCandidate(rt.ctx.db, '7700001B', 'Brouillon');
    });
    after(() => rt?.stop());

    const call = (who: string, method: 'GET' | 'POST' | 'PATCH', url: string, body?: object) => apiCall(rt.app, as[who]!, method, url, body);
    const ok = async (who: string, method: 'GET' | 'POST' | 'PATCH', url: string, body?: object, status = 200) => expectJson<any>(await call(who, method, url, body), status, `${method} ${url}`);
    const todo = async (who: string) => {
      const d = await ok(who, 'GET', '/api/v1/dashboard');
      return Object.fromEntries(d.organisation.todo.map((t: { code: string; count: number; href: string }) => [t.code, t]));
    };
    const blockedIds = async () => (await ok(EDITOR, 'GET', '/api/v1/quotes?status=draft&erreurs=oui')).quotes.map((q: { id: string }) => q.id).sort();
    const draft = async (quote: object) => (await ok(EDITOR, 'POST', '/api/v1/quotes', quote, 201)).id as string;
    const other = (q: ReturnType<typeof validQuote>) => ({ ...q, candidate: { identifier: '7700001B', lastName: 'Brouillon', birthDate: '1990-01-01' } });

    let wrongCost = '';
    let warned = '';
    let clean = '';
    let tooSoon = '';
    let overlapping = '';

    it('a blocking error of the content counts, a warning alone does not, and the link lists exactly those drafts', async () => {
      const otherBefore = (await todo(OTHER)).drafts_with_errors.count;
      const q = validQuote(today, 2);
      wrongCost = await draft({ ...q, costs: { ...q.costs, pedagogicalCost: q.costs.pedagogicalCost + 1 } });
      const hundredths = Math.round(q.training.centreHours * 100);
      warned = await draft({ ...q, costs: { ...q.costs, hourlyRate: 45, pedagogicalCost: pedagogicalCostCents(hundredths, 4500) / 100 } });
      clean = await draft(validQuote(today, 4));
      const t = await todo(EDITOR);
      assert.equal(t.drafts_with_errors.count, 1);
      assert.equal(t.drafts_with_errors.href, '/devis?status=draft&erreurs=oui');
      assert.equal(t.drafts_flagged.count, 1, 'the warned draft is counted under its own name');
      assert.deepEqual(await blockedIds(), [wrongCost]);
      const page = await rt.app.inject({ url: '/devis?status=draft&erreurs=oui', headers: as[EDITOR]!.headers });
      assert.equal(page.statusCode, 200);
      assert.match(page.body, new RegExp(`data-quote="${wrongCost}"`));
      assert.doesNotMatch(page.body, new RegExp(`data-quote="${warned}"`));
      assert.match(page.body, /id="filtre-erreurs"[^>]*checked/);
      assert.equal((await todo(OTHER)).drafts_with_errors.count, otherBefore, 'another organisation’s drafts are not counted');
    });

    it('the errors that depend on the day and on another open quote count too', async () => {
      const soon = validQuote(today);
      const start = addDays(today, 3);
      tooSoon = await draft(other({ ...soon, training: { ...soon.training, startDate: start, endDate: addDays(start, 25) } }));
      // An open (submitted) quote of the same candidate, then a draft over the same weeks.
      const submitted = await draft(validQuote(today, 8));
      await ok(EDITOR, 'POST', `/api/v1/quotes/${submitted}/submit`);
      overlapping = await draft(validQuote(today, 8));
      assert.deepEqual(await blockedIds(), [wrongCost, tooSoon, overlapping].sort());
      assert.equal((await todo(EDITOR)).drafts_with_errors.count, 3);
    });

    it('fixing a draft removes it; a row whose count was never computed is judged on first use', async () => {
      const q = validQuote(today, 2);
      await ok(EDITOR, 'PATCH', `/api/v1/quotes/${wrongCost}`, { costs: q.costs });
      assert.equal((await todo(EDITOR)).drafts_with_errors.count, 2);
      assert.ok(!(await blockedIds()).includes(wrongCost));
      // As a bulk SQL import would leave it: content with an error, no stored judgement.
      await sql`update quote set data = jsonb_set(data, '{training,formacode}', '"12"'), error_count = null where id = ${clean}`.execute(rt.ctx.db);
      assert.equal((await todo(EDITOR)).drafts_with_errors.count, 3);
      const stored = await rt.ctx.db.selectFrom('quote').select('error_count').where('id', '=', clean).executeTakeFirstOrThrow();
      assert.equal(stored.error_count, 1);
    });

    it('an expired Qualiopi certificate blocks every draft', async () => {
      const org = await rt.ctx.db.selectFrom('account').select('organisation_id').where('login', '=', EDITOR).executeTakeFirstOrThrow();
      const before = await rt.ctx.db.selectFrom('organisation').select('qualiopi_expiry').where('id', '=', org.organisation_id!).executeTakeFirstOrThrow();
      await rt.ctx.db.updateTable('organisation').set({ qualiopi_expiry: today }).where('id', '=', org.organisation_id!).execute();
      try {
        assert.equal((await todo(EDITOR)).drafts_with_errors.count, 5);
      } finally {
        await rt.ctx.db.updateTable('organisation').set({ qualiopi_expiry: before.qualiopi_expiry }).where('id', '=', org.organisation_id!).execute();
      }
    });

    it('submit refuses exactly the drafts listed as blocked', async () => {
      const drafts = (await ok(EDITOR, 'GET', '/api/v1/quotes?status=draft')).quotes.map((q: { id: string }) => q.id) as string[];
      assert.equal(drafts.length, 5);
      const outcomes = new Set<number>();
      for (const id of drafts) {
        // Asked again before each submit: a quote submitted just before can make the next one overlap.
        const blocked = new Set(await blockedIds());
        const res = await call(EDITOR, 'POST', `/api/v1/quotes/${id}/submit`);
        assert.equal(res.statusCode, blocked.has(id) ? 422 : 200, `${id}: ${res.body}`);
        outcomes.add(res.statusCode);
      }
      assert.deepEqual([...outcomes].sort(), [200, 422], 'both outcomes were seen');
      assert.equal((await todo(EDITOR)).drafts_with_errors.count, (await blockedIds()).length);
    });

    it('the filter: invalid value is a 422 naming it, nothing for other roles or without a session', async () => {
      const bad = await call(EDITOR, 'GET', '/api/v1/quotes?erreurs=peut-etre');
      assert.equal(bad.statusCode, 422);
      assert.match(bad.body, /Erreurs \(erreurs\)/);
      assert.equal((await rt.app.inject({ url: '/devis?erreurs=peut-etre', headers: as[EDITOR]!.headers })).statusCode, 200, 'the page reads it leniently');
      assert.equal((await apiCall(rt.app, null, 'GET', '/api/v1/quotes?erreurs=oui')).statusCode, 401);
      assert.equal((await call('assiduite.demo', 'GET', '/api/v1/quotes?erreurs=oui')).statusCode, 403);
      const theirs = await ok(OTHER, 'GET', '/api/v1/quotes?erreurs=oui');
      assert.ok(theirs.quotes.every((q: { id: string }) => ![wrongCost, warned, clean, tooSoon, overlapping].includes(q.id)));
    });
  });
}
