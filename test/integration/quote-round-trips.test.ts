// Database round trips of the most used quote reads, on both engines, part by part: the session
// and actor in one statement, the quote with its view and timeline in one, bulk-access detection
// in one, an audited view in one (no transaction around it), the same one as the bulk-access
// count for staff.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { sql } from 'kysely';
import { parisDay } from '../../src/modules/onboarding/rules.js';
import { apiCall, expectJson } from '../helpers/fixtures.js';
import { countQueries, tally } from '../helpers/query-counter.js';
import { validQuote } from '../helpers/quotes.js';
import { ENGINES, startTestRuntime, type TestRuntime } from '../helpers/runtime.js';
import { signInAs, type SignedIn } from '../helpers/session.js';

/** The session with its account and habilitations. */
const SESSION_ACTOR = 1;
/** Bulk-access on staff reads: the upsert and the count in one statement. */
const BULK_ACCESS = 1;

for (const engine of ENGINES) {
  describe(`quote read round trips (${engine})`, () => {
    let rt: TestRuntime;
    let editor: SignedIn;
    let advisor: SignedIn;
    let candidate: SignedIn;
    let quoteId = '';
    before(async () => {
      rt = await startTestRuntime(engine);
      editor = await signInAs(rt.app, rt.clock, 'devis.demo');
      advisor = await signInAs(rt.app, rt.clock, 'conseiller.demo');
      candidate = await signInAs(rt.app, rt.clock, 'candidat.demo');
      quoteId = (await expectJson<{ id: string }>(await apiCall(rt.app, editor, 'POST', '/api/v1/quotes', validQuote(parisDay(rt.clock.now()))), 201, 'create')).id;
      await expectJson(await apiCall(rt.app, editor, 'POST', `/api/v1/quotes/${quoteId}/submit`), 200, 'submit');
      await expectJson(await apiCall(rt.app, candidate, 'POST', `/api/v1/quotes/${quoteId}/candidate-decision`, { decision: 'accept' }), 200, 'accept');
    });
    after(() => rt?.stop());

    async function measure(who: SignedIn, url: string) {
      // A first call warms what is cached per session (the last-seen refresh happens at most once a minute).
      await apiCall(rt.app, who, 'GET', url);
      const { result, statements } = await countQueries(() => apiCall(rt.app, who, 'GET', url));
      assert.equal(result.statusCode, 200, result.body);
      const counts = tally(statements);
      const detail = `${url}:\n${statements.map((s) => `  ${s.replace(/\s+/g, ' ').slice(0, 120)}`).join('\n')}`;
      assert.equal(counts.session, SESSION_ACTOR, `session and actor part — ${detail}`);
      assert.equal(counts.job, 0, detail);
      return { counts, detail, statements, json: result.json() };
    }

    it('GET /api/v1/quotes/:id by its organisation: the quote and its view in 1 statement, no rule, 3 in all', async () => {
      const { counts, detail } = await measure(editor, `/api/v1/quotes/${quoteId}`);
      assert.equal(counts.other, 1, detail);
      assert.equal(counts.bulk_access, BULK_ACCESS, detail);
      assert.equal(counts.audit + counts.transaction, 0, detail);
    });

    it('GET /api/v1/quotes/:id by the advisor and the candidate: 1 for the quote, plus the audited view in 1', async () => {
      const viewed = async () => Number((await sql<{ n: number }>`select count(*)::int as n from audit_log where action = 'quote.viewed'`.execute(rt.ctx.db)).rows[0]!.n);
      // The advisor's view is counted and audited in one statement; the candidate's is not counted.
      for (const [who, bulk, audit] of [[advisor, BULK_ACCESS, 0], [candidate, 0, 1]] as const) {
        const before = await viewed();
        const { counts, detail, statements } = await measure(who, `/api/v1/quotes/${quoteId}`);
        assert.equal(counts.other, 1, detail);
        assert.equal(counts.bulk_access, bulk, detail);
        assert.equal(counts.audit, audit, detail);
        // The view's audit row: one call of audit_append in its own statement, or of guard_reads (the count's, which appends it).
        assert.equal(statements.filter((s) => /\b(audit_append|guard_reads)\(/.test(s)).length, 1, detail);
        assert.equal(counts.transaction, 0, detail);
        assert.equal(counts.session + counts.other + counts.bulk_access + counts.audit, 3, detail);
        // Two reads (measure warms up with one): two rows.
        assert.equal((await viewed()) - before, 2, detail);
      }
    });

    it('GET /api/v1/quotes (the organisation’s list): one statement for the page and its total', async () => {
      const { counts, detail, json } = await measure(editor, '/api/v1/quotes');
      assert.ok(json.total >= 1);
      assert.equal(counts.other, 1, detail);
      assert.equal(counts.bulk_access, BULK_ACCESS, detail);
    });

    it('GET /api/v1/quote-queue: a probe for missing warnings and one statement for the page and its total', async () => {
      const { counts, detail, json, statements } = await measure(advisor, '/api/v1/quote-queue');
      assert.ok(json.quotes.some((q: { id: string }) => q.id === quoteId));
      assert.equal(counts.other, 2, detail);
      assert.equal(counts.bulk_access, BULK_ACCESS, detail);
      // The audited view goes with the count, in the same statement (guard_reads).
      assert.equal(counts.audit, 0, detail);
      assert.equal(statements.filter((s) => /\bguard_reads\(/.test(s)).length, 1, detail);
      assert.equal(counts.transaction, 0, detail);
    });

    it('GET /api/v1/me/quotes: one statement', async () => {
      const { counts, detail } = await measure(candidate, '/api/v1/me/quotes');
      assert.equal(counts.other, 1, detail);
      assert.equal(counts.bulk_access + counts.audit + counts.transaction, 0, detail);
    });
  });
}
