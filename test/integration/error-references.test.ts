import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { sql } from 'kysely';
import { purgeRequestErrors } from '../../src/modules/support/error-references/repository.js';
import { ENGINES, startTestRuntime, type TestRuntime } from '../helpers/runtime.js';
import { signInAs, type SignedIn } from '../helpers/session.js';

for (const engine of ENGINES) {
  describe(`error references and incident journal (${engine})`, () => {
    let rt: TestRuntime;
    let agent: SignedIn;
    before(async () => {
      rt = await startTestRuntime(engine);
      agent = await signInAs(rt.app, rt.clock, 'support.demo');
    });
    after(async () => {
      await rt?.stop();
    });

    const lookup = (ref: string, headers: Record<string, string> = agent.headers) => rt.app.inject({ url: `/api/v1/support/references/${ref}`, headers });

    it('a refused request leaves a reference that support finds, with the route pattern and no path data', async () => {
      const editor = await signInAs(rt.app, rt.clock, 'devis.demo');
      const quoteId = randomUUID();
      const refused = await rt.app.inject({ url: `/api/v1/quotes/${quoteId}`, headers: { cookie: editor.cookie } });
      assert.equal(refused.statusCode, 404);
      const ref = refused.json().requestId;
      assert.equal(ref, String(refused.headers['x-request-id']));
      const found = await lookup(ref);
      assert.equal(found.statusCode, 200);
      const body = found.json();
      assert.deepEqual({ ...body, at: undefined, organisationId: undefined }, {
        requestId: ref,
        at: undefined,
        method: 'GET',
        route: '/api/v1/quotes/:id',
        status: 404,
        user: { login: 'devis.demo' },
        organisationId: undefined,
        errorClass: 'HttpProblem',
        message: refused.json().detail,
      });
      assert.ok(!JSON.stringify(body).includes(quoteId), 'the id in the path is not kept');
    });

    it('an unexpected error (500) is recorded with its class and a scrubbed message, and the page shows the reference', async () => {
      const admin = await signInAs(rt.app, rt.clock, 'admin.agence');
      await sql`alter table mail_outbox rename to mail_outbox_hidden`.execute(rt.ctx.db);
      try {
        const page = await rt.app.inject({ url: '/admin/courriels', headers: { cookie: admin.cookie } });
        assert.equal(page.statusCode, 500);
        const ref = String(page.headers['x-request-id']);
        assert.match(page.body, new RegExp(`Référence à communiquer à l’assistance : <strong class="font-monospace">${ref}</strong>`));
        const found = (await lookup(ref)).json();
        assert.equal(found.status, 500);
        assert.equal(found.route, '/admin/courriels');
        assert.match(found.errorClass, /error|Error/);
        assert.match(found.message, /mail_outbox/);
      } finally {
        await sql`alter table mail_outbox_hidden rename to mail_outbox`.execute(rt.ctx.db);
      }
    });

    it('is for support agents only; unknown and malformed references are 404', async () => {
      const editor = await signInAs(rt.app, rt.clock, 'devis.demo2');
      const res = await rt.app.inject({ url: '/nexiste-pas', headers: { cookie: editor.cookie } });
      const ref = String(res.headers['x-request-id']);
      assert.equal((await rt.app.inject({ url: `/api/v1/support/references/${ref}` })).statusCode, 401);
      assert.equal((await lookup(ref, editor.headers)).statusCode, 403);
      assert.equal((await lookup(randomUUID())).statusCode, 404);
      const malformed = await lookup('pas-une-reference');
      assert.equal(malformed.statusCode, 404);
      assert.equal(malformed.json().detail, (await lookup(randomUUID())).json().detail, 'a malformed reference reads as an unknown one');
      assert.equal((await lookup(ref)).statusCode, 200);
      assert.equal((await lookup(ref.toUpperCase())).statusCode, 200, 'case does not matter');
      const unknownParameter = await rt.app.inject({ url: `/api/v1/support/references/${ref}?details=1`, headers: agent.headers });
      assert.equal(unknownParameter.statusCode, 422);
      assert.equal(unknownParameter.json().errors[0].field, 'details');
    });

    it('lists a user’s own incidents only, and forgets them after 30 days', async () => {
      const rgc = await signInAs(rt.app, rt.clock, 'rgc.demo');
      const res = await rt.app.inject({ url: '/api/v1/organisations/00000000-0000-4000-8000-000000000000/users', headers: { cookie: rgc.cookie } });
      assert.equal(res.statusCode, 404);
      const ref = String(res.headers['x-request-id']);
      const journal = await rt.app.inject({ url: '/compte/incidents', headers: { cookie: rgc.cookie } });
      assert.equal(journal.statusCode, 200);
      assert.ok(journal.body.includes(ref));
      const other = await signInAs(rt.app, rt.clock, 'rgc.demo2');
      const theirs = await rt.app.inject({ url: '/compte/incidents', headers: { cookie: other.cookie } });
      assert.ok(!theirs.body.includes(ref));
      assert.equal((await rt.app.inject({ url: '/compte/incidents' })).statusCode, 303);

      rt.clock.advance(31 * 86_400_000);
      const agentLater = await signInAs(rt.app, rt.clock, 'support.demo');
      assert.equal((await lookup(ref, agentLater.headers)).statusCode, 404, 'older than 30 days: no longer shown');
      assert.ok((await purgeRequestErrors(rt.ctx.db, new Date(rt.clock.now().getTime() - 30 * 86_400_000))) >= 1);
      const left = await rt.ctx.db.selectFrom('request_error').select('request_id').where('request_id', '=', ref).execute();
      assert.deepEqual(left, []);
    });
  });
}
