// Idempotency-Key on /api/v1 writes (docs/api-auth.md): the first answer is kept 24 hours per key
// and caller and replayed for the same request; another request under the key is a 422, a key
// whose first request is still running a 409, a malformed key a 400.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { sql } from 'kysely';
import type { LightMyRequestResponse } from 'fastify';
import { KEY_LIFETIME_MS, purgeExpiredKeys } from '../../src/modules/idempotency/index.js';
import { requestFingerprint } from '../../src/modules/idempotency/service.js';
import { parisDay } from '../../src/modules/onboarding/rules.js';
import { validQuote } from '../helpers/quotes.js';
import { ENGINES, startTestRuntime, type TestRuntime } from '../helpers/runtime.js';
import { signInAs, type SignedIn } from '../helpers/session.js';

const POLICY = {
  rolesPolicy: 'Seuls les conseillers en formation rédigent les devis ; la direction valide chaque habilitation.',
  departuresPolicy: 'Le jour du départ, le responsable retire toutes les habilitations et suspend le compte.',
  otherRules: '',
};

for (const engine of ENGINES) {
  describe(`idempotency keys (${engine})`, () => {
    let rt: TestRuntime;
    const as: Record<string, SignedIn> = {};
    let today = '';
    let formapro = '';
    let token = '';
    before(async () => {
      rt = await startTestRuntime(engine);
      today = parisDay(rt.clock.now());
      formapro = (await rt.ctx.db.selectFrom('organisation').select('id').where('name', '=', 'Formapro Démo').executeTakeFirstOrThrow()).id;
      for (const login of ['devis.demo', 'devis.demo2', 'rgc.demo']) as[login] = await signInAs(rt.app, rt.clock, login);
      const issued = await rt.app.inject({
        method: 'POST',
        url: `/api/v1/organisations/${formapro}/api-tokens`,
        headers: as['rgc.demo'].headers,
        payload: { name: 'Synchronisation', roles: ['quote_editor'], expiresAt: new Date(rt.clock.now().getTime() + 90 * 86_400_000).toISOString(), allowedIps: [] },
      });
      token = issued.json().token;
    });
    after(() => rt?.stop());

    const post = (who: string, url: string, payload: unknown, key?: string, method: 'POST' | 'PUT' | 'PATCH' = 'POST'): Promise<LightMyRequestResponse> =>
      rt.app.inject({
        method,
        url,
        headers: { ...(who === 'token' ? { authorization: `Bearer ${token}` } : as[who].headers), ...(key !== undefined ? { 'idempotency-key': key } : {}), 'content-type': 'application/json' },
        payload: typeof payload === 'string' ? payload : JSON.stringify(payload),
      });
    const quotes = async () => Number((await rt.ctx.db.selectFrom('quote').select(sql<number>`count(*)`.as('n')).executeTakeFirstOrThrow()).n);
    const keyRows = () => rt.ctx.db.selectFrom('idempotency_key').selectAll().execute();

    it('replays the first answer to the same request: same status, same body, Idempotent-Replayed; nothing done twice', async () => {
      const body = validQuote(today);
      const before = await quotes();
      const first = await post('devis.demo', '/api/v1/quotes', body, 'creation-1');
      assert.equal(first.statusCode, 201, first.body);
      assert.equal(first.headers['idempotent-replayed'], undefined);
      const again = await post('devis.demo', '/api/v1/quotes', body, 'creation-1');
      assert.equal(again.statusCode, 201);
      assert.equal(again.body, first.body);
      assert.equal(again.headers['idempotent-replayed'], 'true');
      assert.match(String(again.headers['content-type']), /^application\/json/);
      // The same JSON with its keys in another order is the same request.
      const reordered = Object.fromEntries(Object.entries(body).reverse());
      const third = await post('devis.demo', '/api/v1/quotes', reordered, 'creation-1');
      assert.equal(third.headers['idempotent-replayed'], 'true');
      assert.equal(await quotes(), before + 1);
      // PUT too, and an answer that refused the body is kept like any other.
      const put = await post('rgc.demo', `/api/v1/organisations/${formapro}/security-policy`, POLICY, 'politique', 'PUT');
      assert.equal(put.statusCode, 200, put.body);
      const putAgain = await post('rgc.demo', `/api/v1/organisations/${formapro}/security-policy`, POLICY, 'politique', 'PUT');
      assert.deepEqual([putAgain.statusCode, putAgain.body, putAgain.headers['idempotent-replayed']], [200, put.body, 'true']);
      const refused = await post('devis.demo', '/api/v1/quotes', { nope: 1 }, 'refus');
      assert.equal(refused.statusCode, 422);
      const refusedAgain = await post('devis.demo', '/api/v1/quotes', { nope: 1 }, 'refus');
      assert.deepEqual([refusedAgain.statusCode, refusedAgain.headers['idempotent-replayed']], [422, 'true']);
    });

    it('answers 422 naming the header when the key comes back with another request, doing nothing', async () => {
      const before = await quotes();
      assert.equal((await post('devis.demo', '/api/v1/quotes', validQuote(today, 1), 'creation-2')).statusCode, 201);
      const other = await post('devis.demo', '/api/v1/quotes', validQuote(today, 2), 'creation-2');
      assert.equal(other.statusCode, 422);
      assert.equal(other.json().errors[0].field, 'Idempotency-Key');
      assert.match(other.json().detail, /Idempotency-Key/);
      // Another path under the same key is another request as well.
      assert.equal((await post('rgc.demo', `/api/v1/organisations/${formapro}/security-policy`, POLICY, 'creation-2', 'PUT')).statusCode, 200, 'a key is per caller');
      assert.equal(await quotes(), before + 1);
    });

    it('answers 409 while the first request under the key is still running', async () => {
      const body = validQuote(today, 3);
      const accountId = (await rt.ctx.db.selectFrom('account').select('id').where('login', '=', 'devis.demo').executeTakeFirstOrThrow()).id;
      const now = rt.clock.now();
      await rt.ctx.db
        .insertInto('idempotency_key')
        .values({ principal: `account:${accountId}`, key: 'en-cours', request_hash: requestFingerprint('POST', '/api/v1/quotes', body), created_at: now, expires_at: new Date(now.getTime() + KEY_LIFETIME_MS) })
        .execute();
      const before = await quotes();
      const res = await post('devis.demo', '/api/v1/quotes', body, 'en-cours');
      assert.equal(res.statusCode, 409);
      assert.match(res.json().detail, /encore en cours/);
      assert.equal(await quotes(), before);
    });

    it('refuses a malformed key with 400 naming the header, doing nothing', async () => {
      const before = await quotes();
      for (const key of ['', 'a b', 'x'.repeat(256), 'tab\there']) {
        const res = await post('devis.demo', '/api/v1/quotes', validQuote(today), key);
        assert.equal(res.statusCode, 400, JSON.stringify(key));
        assert.match(res.json().detail, /Idempotency-Key/);
      }
      assert.equal((await post('devis.demo', '/api/v1/quotes', validQuote(today, 4), 'x'.repeat(255))).statusCode, 201, '255 characters are fine');
      assert.equal(await quotes(), before + 1);
    });

    it('keeps answers per caller: the same key from another account or from a token is a request of its own', async () => {
      const before = await quotes();
      const a = await post('devis.demo', '/api/v1/quotes', validQuote(today, 5), 'partagee');
      const b = await post('devis.demo2', '/api/v1/quotes', validQuote(today, 5), 'partagee');
      const c = await post('token', '/api/v1/quotes', validQuote(today, 5), 'partagee');
      for (const res of [a, b, c]) {
        assert.equal(res.statusCode, 201, res.body);
        assert.equal(res.headers['idempotent-replayed'], undefined);
      }
      assert.equal(new Set([a, b, c].map((r) => r.json().id)).size, 3);
      const replay = await post('token', '/api/v1/quotes', validQuote(today, 5), 'partagee');
      assert.deepEqual([replay.headers['idempotent-replayed'], replay.json().id], ['true', c.json().id]);
      assert.equal(await quotes(), before + 3);
      // Public calls have no caller: nothing is kept for them.
      const rows = (await keyRows()).length;
      await rt.app.inject({ method: 'POST', url: '/api/v1/session', headers: { 'idempotency-key': 'connexion' }, payload: { login: 'x', password: 'y', otp: '000000' } });
      assert.equal((await keyRows()).length, rows);
    });

    it('forgets an answer after 24 hours (the key serves again) and the purge removes expired ones', async () => {
      const body = validQuote(today, 6);
      const first = await post('token', '/api/v1/quotes', body, 'un-jour');
      assert.equal(first.statusCode, 201);
      rt.clock.advance(KEY_LIFETIME_MS - 1000);
      assert.equal((await post('token', '/api/v1/quotes', body, 'un-jour')).headers['idempotent-replayed'], 'true');
      rt.clock.advance(2000);
      const later = await post('token', '/api/v1/quotes', body, 'un-jour');
      assert.equal(later.statusCode, 201, later.body);
      assert.equal(later.headers['idempotent-replayed'], undefined);
      assert.notEqual(later.json().id, first.json().id);
      const purged = await purgeExpiredKeys(rt.ctx);
      assert.ok(purged >= 1);
      const left = await keyRows();
      assert.ok(left.every((r) => r.expires_at.getTime() > rt.clock.now().getTime()));
      assert.ok(left.some((r) => r.key === 'un-jour'));
    });
  });
}
