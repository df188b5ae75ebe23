// Organisation API tokens (docs/api-auth.md): issued by the account manager, listed and revoked by
// them or the agency; used as `Authorization: Bearer krs_…` with exactly their roles inside their
// organisation, from allowed addresses only, audited, revoked by bulk-access detection, and
// reminded to the account managers 14 days before they expire.
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import type { LightMyRequestResponse } from 'fastify';
import { remindExpiringTokens } from '../../src/modules/api-tokens/index.js';
import { verifyAuditChain } from '../../src/modules/audit/service.js';
import { parisDay } from '../../src/modules/onboarding/rules.js';
import { validQuote } from '../helpers/quotes.js';
import { ENGINES, startTestRuntime, type TestRuntime } from '../helpers/runtime.js';
import { csrfFromHtml, signInAs, type SignedIn } from '../helpers/session.js';

type Method = 'GET' | 'POST' | 'DELETE' | 'PATCH';
const DAY = 86_400_000;
const UNKNOWN_ID = '00000000-0000-4000-8000-000000000000';

for (const engine of ENGINES) {
  describe(`API tokens (${engine})`, () => {
    let rt: TestRuntime;
    const as: Record<string, SignedIn> = {};
    const org = { formapro: '', atelier: '' };
    let today = '';
    before(async () => {
      rt = await startTestRuntime(engine);
      today = parisDay(rt.clock.now());
      const byName = Object.fromEntries((await rt.ctx.db.selectFrom('organisation').select(['id', 'name']).execute()).map((o) => [o.name, o.id]));
      Object.assign(org, { formapro: byName['Formapro Démo'], atelier: byName['Atelier Compétences Démo'] });
      for (const login of ['rgc.demo', 'rgc.demo2', 'admin.agence', 'devis.demo']) as[login] = await signInAs(rt.app, rt.clock, login);
    });
    after(() => rt?.stop());
    /** Sessions end after an idle hour: sign in again after moving the clock that far. */
    const signInAgain = async () => {
      for (const login of Object.keys(as)) as[login] = await signInAs(rt.app, rt.clock, login);
    };

    const tokensUrl = (o: string) => `/api/v1/organisations/${o}/api-tokens`;
    const call = (who: string | null, method: Method, url: string, payload?: object, headers: Record<string, string> = {}): Promise<LightMyRequestResponse> =>
      rt.app.inject({ method, url, headers: { ...(who ? as[who].headers : {}), ...headers }, ...(payload ? { payload } : {}) });
    const withToken = (token: string, method: Method, url: string, payload?: object, extra: { headers?: Record<string, string>; ip?: string } = {}) =>
      rt.app.inject({ method, url, remoteAddress: extra.ip ?? '10.0.0.1', headers: { authorization: `Bearer ${token}`, ...extra.headers }, ...(payload ? { payload } : {}) });
    const inAYear = (days = 30) => new Date(rt.clock.now().getTime() + days * DAY).toISOString();
    const storedTokens = () => rt.ctx.db.selectFrom('api_token').selectAll().orderBy('created_at').execute();
    async function issue(body: Record<string, unknown>, who = 'rgc.demo', organisationId = org.formapro): Promise<{ id: string; token: string }> {
      const res = await call(who, 'POST', tokensUrl(organisationId), { expiresAt: inAYear(), allowedIps: [], ...body });
      assert.equal(res.statusCode, 201, res.body);
      return res.json();
    }

    it('issues a token (201): the secret shown once, prefixed krs_, 256 bits, stored only as its SHA-256; audited; listed without it', async () => {
      const res = await call('rgc.demo', 'POST', tokensUrl(org.formapro), { name: 'Logiciel de gestion', roles: ['reader'], expiresAt: inAYear(), allowedIps: ['192.0.2.10'] });
      assert.equal(res.statusCode, 201, res.body);
      const { id, token } = res.json() as { id: string; token: string };
      assert.deepEqual(Object.keys(res.json()).sort(), ['id', 'token']);
      assert.match(token, /^krs_[A-Za-z0-9_-]{43}$/);
      assert.equal(Buffer.from(token.slice(4), 'base64url').length, 32);
      const [row] = (await storedTokens()).filter((t) => t.id === id);
      assert.equal(row.secret_hash, createHash('sha256').update(token).digest('hex'));
      assert.ok(!JSON.stringify(row).includes(token.slice(4)), 'the secret itself is stored nowhere');
      const audit = await rt.ctx.db.selectFrom('audit_log').selectAll().where('action', '=', 'api_token.created').where('target_id', '=', id).executeTakeFirstOrThrow();
      assert.equal(audit.actor_login, 'rgc.demo');
      assert.ok(!JSON.stringify(audit).includes(token.slice(4)));
      const list = await call('rgc.demo', 'GET', tokensUrl(org.formapro));
      assert.equal(list.statusCode, 200);
      assert.ok(!list.body.includes(token.slice(4)), 'never shown again');
      const listed = list.json().tokens.find((t: { id: string }) => t.id === id);
      assert.deepEqual(
        { ...listed, createdAt: undefined, expiresAt: undefined },
        { id, organisationId: org.formapro, organisationName: 'Formapro Démo', name: 'Logiciel de gestion', roles: ['reader'], allowedIps: ['192.0.2.10'], createdAt: undefined, createdBy: 'Dominique Responsable', expiresAt: undefined, revokedAt: null, lastUsedAt: null, lastUsedIp: null, status: 'active' },
      );
    });

    it('refuses invalid input with 422 naming the field, storing nothing', async () => {
      const before = (await storedTokens()).length;
      const good = { name: 'Outil', roles: ['reader'], expiresAt: inAYear(), allowedIps: [] };
      const cases: Array<[Record<string, unknown>, string]> = [
        [{ ...good, name: '' }, 'name'],
        [{ ...good, name: 'x'.repeat(101) }, 'name'],
        [{ ...good, roles: [] }, 'roles'],
        [{ ...good, roles: ['advisor'] }, 'roles'],
        [{ ...good, roles: ['account_manager'] }, 'roles'],
        [{ ...good, roles: ['reader', 'reader'] }, 'roles'],
        [{ ...good, expiresAt: 'demain' }, 'expiresAt'],
        [{ ...good, expiresAt: new Date(rt.clock.now().getTime() - 1000).toISOString() }, 'expiresAt'],
        [{ ...good, expiresAt: inAYear(367) }, 'expiresAt'],
        [{ ...good, allowedIps: ['300.1.1.1'] }, 'allowedIps'],
        [{ ...good, allowedIps: ['10.0.0.0/33'] }, 'allowedIps'],
        [{ ...good, allowedIps: ['2001:db8::/129'] }, 'allowedIps'],
        [{ ...good, allowedIps: 'any' }, 'allowedIps'],
        [{ ...good, secret: 'krs_mine' }, 'secret'],
      ];
      for (const [payload, field] of cases) {
        const res = await call('rgc.demo', 'POST', tokensUrl(org.formapro), payload);
        assert.equal(res.statusCode, 422, `${JSON.stringify(payload)} → ${res.body}`);
        const fields = (res.json().errors as Array<{ field: string; message: string }>).map((e) => e.field);
        assert.ok(fields.some((f) => f === field || f.startsWith(`${field}.`)), `${field} in ${fields.join(',')}`);
      }
      const named = await call('rgc.demo', 'POST', tokensUrl(org.formapro), { ...good, allowedIps: ['10.0.0.0/33'] });
      assert.match(named.json().errors[0].message, /Adresses autorisées \(allowedIps\)/);
      assert.equal((await storedTokens()).length, before);
    });

    it('refuses strangers, other roles and other organisations (401, 403, 404), storing and leaking nothing', async () => {
      const { id } = await issue({ name: 'Pour les refus', roles: ['reader'] });
      const body = { name: 'Intrus', roles: ['reader'], expiresAt: inAYear(), allowedIps: [] };
      const before = (await storedTokens()).length;
      for (const [method, url] of [['POST', tokensUrl(org.formapro)], ['GET', tokensUrl(org.formapro)], ['DELETE', `${tokensUrl(org.formapro)}/${id}`], ['GET', '/api/v1/api-tokens'], ['DELETE', `/api/v1/api-tokens/${id}`]] as Array<[Method, string]>) {
        assert.equal((await call(null, method, url, method === 'POST' ? body : undefined)).statusCode, 401, `${method} ${url}`);
      }
      // A quote editor, the agency administrator (not the organisation's account manager) on the organisation's routes.
      for (const who of ['devis.demo', 'admin.agence']) {
        assert.equal((await call(who, 'POST', tokensUrl(org.formapro), body)).statusCode, 403, who);
        assert.equal((await call(who, 'GET', tokensUrl(org.formapro))).statusCode, 403, who);
        assert.equal((await call(who, 'DELETE', `${tokensUrl(org.formapro)}/${id}`)).statusCode, 403, who);
      }
      // The agency's routes are the agency's.
      assert.equal((await call('rgc.demo', 'GET', '/api/v1/api-tokens')).statusCode, 403);
      assert.equal((await call('rgc.demo', 'DELETE', `/api/v1/api-tokens/${id}`)).statusCode, 403);
      // Another organisation's account manager: 404 whatever the path or body.
      for (const res of [
        await call('rgc.demo2', 'POST', tokensUrl(org.formapro), body),
        await call('rgc.demo2', 'POST', tokensUrl(org.formapro), { nonsense: true }),
        await call('rgc.demo2', 'GET', tokensUrl(org.formapro)),
        await call('rgc.demo2', 'DELETE', `${tokensUrl(org.formapro)}/${id}`),
        await call('rgc.demo2', 'DELETE', `${tokensUrl(org.atelier)}/${id}`),
        await call('rgc.demo', 'DELETE', `${tokensUrl(org.formapro)}/${UNKNOWN_ID}`),
        await call('rgc.demo', 'DELETE', `${tokensUrl(org.formapro)}/pas-un-id`),
      ]) {
        assert.equal(res.statusCode, 404, res.body);
        assert.ok(!res.body.includes('Pour les refus'));
      }
      assert.ok(!(await call('rgc.demo2', 'GET', tokensUrl(org.atelier))).body.includes(id));
      assert.equal((await storedTokens()).length, before);
      assert.equal((await storedTokens()).find((t) => t.id === id)!.revoked_at, null);
    });

    it('lets the agency list every organisation’s tokens and revoke one', async () => {
      const mine = await issue({ name: 'Atelier sync', roles: ['attendance_officer'] }, 'rgc.demo2', org.atelier);
      const list = await call('admin.agence', 'GET', '/api/v1/api-tokens');
      assert.equal(list.statusCode, 200);
      const orgs = new Set((list.json().tokens as Array<{ organisationId: string }>).map((t) => t.organisationId));
      assert.ok(orgs.has(org.formapro) && orgs.has(org.atelier));
      assert.equal((await call('admin.agence', 'DELETE', `/api/v1/api-tokens/${mine.id}`)).statusCode, 204);
      assert.equal((await withToken(mine.token, 'GET', '/api/v1/trainings')).statusCode, 401);
      assert.equal((await call('admin.agence', 'DELETE', `/api/v1/api-tokens/${UNKNOWN_ID}`)).statusCode, 404);
      const audit = await rt.ctx.db.selectFrom('audit_log').selectAll().where('action', '=', 'api_token.revoked').where('target_id', '=', mine.id).executeTakeFirstOrThrow();
      assert.deepEqual([audit.actor_login, audit.organisation_id], ['admin.agence', org.atelier]);
    });

    it('acts with exactly the token’s roles: a reader reads but cannot write; GID, agency and personal routes are refused', async () => {
      const reader = await issue({ name: 'Lecteur', roles: ['reader'] });
      assert.equal((await withToken(reader.token, 'GET', '/api/v1/quotes')).statusCode, 200);
      assert.equal((await withToken(reader.token, 'POST', '/api/v1/quotes', validQuote(today))).statusCode, 403);
      for (const [method, url] of [
        ['GET', tokensUrl(org.formapro)],
        ['POST', tokensUrl(org.formapro)],
        ['GET', `/api/v1/organisations/${org.formapro}/security-policy`],
        ['GET', '/api/v1/api-tokens'],
        ['GET', '/api/v1/quote-queue'],
        ['GET', '/api/v1/me'],
        ['GET', '/api/v1/me/sessions'],
        ['GET', '/api/v1/me/quotes'],
      ] as Array<[Method, string]>) {
        assert.equal((await withToken(reader.token, method, url, method === 'POST' ? {} : undefined)).statusCode, 403, `${method} ${url}`);
      }
      // The bearer is for the API only: pages ignore it (no session: sign-in asked).
      const page = await rt.app.inject({ url: '/gid/api', headers: { authorization: `Bearer ${reader.token}` } });
      assert.notEqual(page.statusCode, 200);
    });

    it('writes without a CSRF token, audited with the token as actor; cookies are ignored when a bearer is present', async () => {
      const editor = await issue({ name: 'Éditeur', roles: ['quote_editor'] });
      const created = await withToken(editor.token, 'POST', '/api/v1/quotes', validQuote(today));
      assert.equal(created.statusCode, 201, created.body);
      const quoteId = created.json().id as string;
      const rows = await rt.ctx.db.selectFrom('audit_log').selectAll().where('target_id', '=', quoteId).execute();
      assert.ok(rows.length >= 1);
      for (const r of rows) assert.deepEqual([r.actor_id, r.actor_login, r.organisation_id], [editor.id, 'jeton:Éditeur', org.formapro]);
      const uses = await rt.ctx.db.selectFrom('audit_log').selectAll().where('action', '=', 'api_token.used').where('actor_id', '=', editor.id).execute();
      assert.equal(uses.length, 1);
      assert.deepEqual(uses[0].details, { method: 'POST', route: '/api/v1/quotes' });
      // A valid session cookie does not rescue an unknown token, nor add its roles to a valid one.
      const cookie = as['rgc.demo'].cookie;
      const unknown = await rt.app.inject({ url: tokensUrl(org.formapro), headers: { cookie, authorization: `Bearer krs_${'A'.repeat(43)}` } });
      assert.equal(unknown.statusCode, 401);
      assert.match(String(unknown.headers['www-authenticate']), /Bearer/);
      const mixed = await rt.app.inject({ url: tokensUrl(org.formapro), headers: { ...as['rgc.demo'].headers, authorization: `Bearer ${editor.token}` } });
      assert.equal(mixed.statusCode, 403);
      assert.equal((await verifyAuditChain(rt.ctx.db)).ok, true);
    });

    it('accepts calls only from allowed addresses: IPv4, IPv6, CIDR ranges of both (403 otherwise, audited)', async () => {
      const { id, token } = await issue({ name: 'Filtré', roles: ['reader'], allowedIps: ['192.0.2.10', '198.51.100.0/24', '2001:db8::1', '2001:db8:abcd::/48'] });
      for (const ip of ['192.0.2.10', '198.51.100.77', '::ffff:198.51.100.3', '2001:db8::1', '2001:db8:abcd:12::5']) {
        assert.equal((await withToken(token, 'GET', '/api/v1/quotes', undefined, { ip })).statusCode, 200, ip);
      }
      for (const ip of ['192.0.2.11', '198.51.101.1', '203.0.113.5', '2001:db8::2', '2001:db8:abce::1']) {
        const res = await withToken(token, 'GET', '/api/v1/quotes', undefined, { ip });
        assert.equal(res.statusCode, 403, ip);
        assert.match(res.json().detail, /adresse IP/);
      }
      const refused = await rt.ctx.db.selectFrom('audit_log').select(['ip', 'actor_login']).where('action', '=', 'api_token.refused_address').where('actor_id', '=', id).execute();
      assert.equal(refused.length, 5);
      assert.equal(refused[0].actor_login, 'jeton:Filtré');
    });

    it('notes the last use at most once a minute per address', async () => {
      const { id, token } = await issue({ name: 'Horodaté', roles: ['reader'] });
      const lastUse = async () => rt.ctx.db.selectFrom('api_token').select(['last_used_at', 'last_used_ip']).where('id', '=', id).executeTakeFirstOrThrow();
      await withToken(token, 'GET', '/api/v1/quotes', undefined, { ip: '10.1.1.1' });
      const first = await lastUse();
      assert.equal(first.last_used_ip, '10.1.1.1');
      rt.clock.advance(20_000);
      await withToken(token, 'GET', '/api/v1/quotes', undefined, { ip: '10.1.1.1' });
      assert.equal((await lastUse()).last_used_at!.getTime(), first.last_used_at!.getTime());
      await withToken(token, 'GET', '/api/v1/quotes', undefined, { ip: '10.1.1.2' });
      assert.equal((await lastUse()).last_used_ip, '10.1.1.2');
      rt.clock.advance(61_000);
      await withToken(token, 'GET', '/api/v1/quotes', undefined, { ip: '10.1.1.2' });
      assert.equal((await lastUse()).last_used_at!.getTime(), rt.clock.now().getTime());
      const listed = (await call('rgc.demo', 'GET', tokensUrl(org.formapro))).json().tokens.find((t: { id: string }) => t.id === id);
      assert.deepEqual([listed.lastUsedAt, listed.lastUsedIp], [rt.clock.now().toISOString(), '10.1.1.2']);
    });

    it('answers 401 to an expired, revoked, unknown or malformed token', async () => {
      const shortLived = await issue({ name: 'Court', roles: ['reader'], expiresAt: new Date(rt.clock.now().getTime() + 3_600_000).toISOString() });
      const revoked = await issue({ name: 'Révoqué', roles: ['reader'] });
      assert.equal((await withToken(shortLived.token, 'GET', '/api/v1/quotes')).statusCode, 200);
      assert.equal((await call('rgc.demo', 'DELETE', `${tokensUrl(org.formapro)}/${revoked.id}`)).statusCode, 204);
      assert.equal((await call('rgc.demo', 'DELETE', `${tokensUrl(org.formapro)}/${revoked.id}`)).statusCode, 204, 'revoking twice changes nothing');
      rt.clock.advance(3_600_001);
      await signInAgain();
      for (const bearer of [shortLived.token, revoked.token, `krs_${'B'.repeat(43)}`, 'krs_court', 'nimportequoi']) {
        const res = await rt.app.inject({ url: '/api/v1/quotes', headers: { authorization: `Bearer ${bearer}` } });
        assert.equal(res.statusCode, 401, bearer);
        assert.equal(res.headers['content-type'], 'application/problem+json; charset=utf-8');
      }
      const listed = (await call('rgc.demo', 'GET', tokensUrl(org.formapro))).json().tokens as Array<{ id: string; status: string; revokedAt: string | null }>;
      assert.equal(listed.find((t) => t.id === shortLived.id)!.status, 'expired');
      assert.ok(listed.find((t) => t.id === revoked.id)!.revokedAt);
      assert.equal((await rt.ctx.db.selectFrom('audit_log').select('id').where('action', '=', 'api_token.revoked').where('target_id', '=', revoked.id).execute()).length, 1);
    });

    it('mails the account managers once, 14 days before a token expires', async () => {
      const { id } = await issue({ name: 'Bientôt expiré', roles: ['reader'], expiresAt: inAYear(20) }, 'rgc.demo2', org.atelier);
      const mails = async () =>
        (await rt.ctx.db.selectFrom('job').select('payload').where('kind', '=', 'mail.send').execute()).map((j) => j.payload as { to: string; subject: string; text: string }).filter((m) => m.subject.includes('Bientôt expiré'));
      await remindExpiringTokens(rt.ctx);
      assert.equal((await mails()).length, 0);
      rt.clock.advance(7 * DAY);
      await signInAgain();
      await remindExpiringTokens(rt.ctx);
      const sent = await mails();
      assert.deepEqual(sent.map((m) => m.to), ['rgc.demo2@demo.kairos.example']);
      assert.match(sent[0].text, /\/gid\/api/);
      await remindExpiringTokens(rt.ctx);
      assert.equal((await mails()).length, 1, 'once per token');
      assert.ok((await rt.ctx.db.selectFrom('api_token').select('expiry_reminded_at').where('id', '=', id).executeTakeFirstOrThrow()).expiry_reminded_at);
    });

    it('pages: the account manager creates a token (secret shown once), sees the list and revokes; the agency’s page lists and revokes', async () => {
      const cookie = as['rgc.demo'].cookie;
      const page = await rt.app.inject({ url: '/gid/api', headers: { cookie } });
      assert.equal(page.statusCode, 200);
      const csrf = csrfFromHtml(page.body);
      const day = new Date(rt.clock.now().getTime() + 60 * DAY).toISOString().slice(0, 10);
      const form = (fields: string) => rt.app.inject({ method: 'POST', url: '/gid/api', headers: { cookie, 'content-type': 'application/x-www-form-urlencoded' }, payload: `_csrf=${encodeURIComponent(csrf)}&${fields}` });
      const bad = await form(`name=&expiresAt=${day}&allowedIps=${encodeURIComponent('10.0.0.0/99')}`);
      assert.equal(bad.statusCode, 422);
      assert.match(bad.body, /Nom \(name\)/);
      assert.match(bad.body, /Rôles \(roles\)/);
      assert.match(bad.body, /Adresses autorisées \(allowedIps\)/);
      const before = (await storedTokens()).length;
      assert.equal((await storedTokens()).length, before);
      const created = await form(`name=Page&roles=reader&roles=quote_editor&expiresAt=${day}&allowedIps=${encodeURIComponent('192.0.2.1\n2001:db8::/32')}`);
      assert.equal(created.statusCode, 201, created.body);
      const secret = /krs_[A-Za-z0-9_-]{43}/.exec(created.body)![0];
      const row = (await storedTokens()).find((t) => t.name === 'Page')!;
      assert.deepEqual([row.roles, row.allowed_ips], [['reader', 'quote_editor'], ['192.0.2.1', '2001:db8::/32']]);
      assert.equal(created.headers['cache-control'], 'no-store');
      const again = await rt.app.inject({ url: '/gid/api', headers: { cookie } });
      assert.ok(again.body.includes('Page') && !again.body.includes(secret), 'the secret is never shown again');
      const noCsrf = await rt.app.inject({ method: 'POST', url: `/gid/api/${row.id}/revoquer`, headers: { cookie, 'content-type': 'application/x-www-form-urlencoded' }, payload: '' });
      assert.equal(noCsrf.statusCode, 403);
      const revoke = await rt.app.inject({ method: 'POST', url: `/gid/api/${row.id}/revoquer`, headers: { cookie, 'content-type': 'application/x-www-form-urlencoded' }, payload: `_csrf=${encodeURIComponent(csrf)}` });
      assert.equal(revoke.statusCode, 303);
      assert.equal((await withToken(secret, 'GET', '/api/v1/quotes', undefined, { ip: '192.0.2.1' })).statusCode, 401);
      const other = await rt.app.inject({ method: 'POST', url: `/gid/api/${row.id}/revoquer`, headers: { cookie: as['rgc.demo2'].cookie, 'content-type': 'application/x-www-form-urlencoded' }, payload: `_csrf=${encodeURIComponent(csrfFromHtml((await rt.app.inject({ url: '/gid/api', headers: { cookie: as['rgc.demo2'].cookie } })).body))}` });
      assert.equal(other.statusCode, 404);
      assert.equal((await rt.app.inject({ url: '/gid/api', headers: { cookie: as['devis.demo'].cookie } })).statusCode, 403);
      assert.equal((await rt.app.inject({ url: '/gid/api' })).statusCode, 303);
      const admin = await rt.app.inject({ url: '/admin/jetons-api', headers: { cookie: as['admin.agence'].cookie } });
      assert.equal(admin.statusCode, 200);
      assert.match(admin.body, /Formapro Démo/);
      assert.equal((await rt.app.inject({ url: '/admin/jetons-api', headers: { cookie } })).statusCode, 403);
    });
  });

  describe(`API tokens and bulk-access detection (${engine})`, () => {
    let rt: TestRuntime;
    before(async () => {
      rt = await startTestRuntime(engine, { env: { BULK_ACCESS_THRESHOLD_PER_HOUR: '5' } });
    });
    after(() => rt?.stop());

    it('revokes a token reading too many candidates, raises an alert and mails the account managers; the issuing account stays active', async () => {
      const today = parisDay(rt.clock.now());
      let editor = await signInAs(rt.app, rt.clock, 'devis.demo');
      await rt.ctx.db
        .insertInto('candidate')
        .values(Array.from({ length: 6 }, (_, i) => ({ identifier: `${String(6_000_000 + i)}Z`, last_name: `Nom${i}`, first_name: 'Test', birth_date: '1990-01-01', email: `t${i}@example.test`, created_at: rt.clock.now() })))
        .execute();
      const formapro = (await rt.ctx.db.selectFrom('organisation').select('id').where('name', '=', 'Formapro Démo').executeTakeFirstOrThrow()).id;
      const quoteIds: string[] = [];
      for (let i = 0; i < 6; i++) {
        // Naming a candidate in a draft counts toward the editor's own window: three an hour stay under it.
        if (i === 3) {
          rt.clock.advance(61 * 60_000);
          editor = await signInAs(rt.app, rt.clock, 'devis.demo');
        }
        const res = await rt.app.inject({ method: 'POST', url: '/api/v1/quotes', headers: editor.headers, payload: { ...validQuote(today, i), candidate: { identifier: `${String(6_000_000 + i)}Z`, lastName: `Nom${i}`, birthDate: '1990-01-01' } } });
        assert.equal(res.statusCode, 201, res.body);
        quoteIds.push(res.json().id);
      }
      const rgc = await signInAs(rt.app, rt.clock, 'rgc.demo');
      const issued = await rt.app.inject({ method: 'POST', url: `/api/v1/organisations/${formapro}/api-tokens`, headers: rgc.headers, payload: { name: 'Aspirateur', roles: ['reader'], expiresAt: new Date(rt.clock.now().getTime() + 30 * DAY).toISOString(), allowedIps: [] } });
      const { id, token } = issued.json() as { id: string; token: string };
      const read = (quoteId: string) => rt.app.inject({ url: `/api/v1/quotes/${quoteId}`, headers: { authorization: `Bearer ${token}` } });
      for (const q of quoteIds.slice(0, 5)) assert.equal((await read(q)).statusCode, 200);
      const tripped = await read(quoteIds[5]);
      assert.equal(tripped.statusCode, 403);
      assert.match(tripped.json().detail, /révoqué/);
      assert.equal((await read(quoteIds[0])).statusCode, 401);
      const row = await rt.ctx.db.selectFrom('api_token').select(['revoked_at', 'revoke_reason']).where('id', '=', id).executeTakeFirstOrThrow();
      assert.ok(row.revoked_at);
      assert.equal(row.revoke_reason, 'bulk_access');
      const alert = await rt.ctx.db.selectFrom('security_alert').selectAll().executeTakeFirstOrThrow();
      assert.deepEqual((alert.details as { apiToken: unknown }).apiToken, { id, name: 'Aspirateur' });
      const mails = (await rt.ctx.db.selectFrom('job').select('payload').where('kind', '=', 'mail.send').execute()).map((j) => j.payload as { to: string; subject: string });
      assert.ok(mails.some((m) => m.to === 'rgc.demo@demo.kairos.example' && m.subject.includes('Aspirateur')));
      assert.equal((await rt.ctx.db.selectFrom('account').select('status').where('login', '=', 'rgc.demo').executeTakeFirstOrThrow()).status, 'active');
      const audit = await rt.ctx.db.selectFrom('audit_log').selectAll().where('action', '=', 'security.bulk_access_token_revoked').executeTakeFirstOrThrow();
      assert.deepEqual([audit.actor_id, audit.actor_login], [id, 'jeton:Aspirateur']);
    });
  });
}
