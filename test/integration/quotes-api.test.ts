// Quote drafts and submission through the API: creation, reading, patching,
// listing and submitting, tenant isolation (another organisation's quote is a 404) and roles.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { sql } from 'kysely';
import type { LightMyRequestResponse } from 'fastify';
import { verifyAuditChain } from '../../src/modules/audit/service.js';
import { parisDay } from '../../src/modules/onboarding/rules.js';
import { pedagogicalCostCents } from '../../src/modules/quotes/rules/money.js';
import { validQuote } from '../helpers/quotes.js';
import { ENGINES, startTestRuntime, type TestRuntime } from '../helpers/runtime.js';
import { signInAs, type SignedIn } from '../helpers/session.js';

type Method = 'GET' | 'POST' | 'PATCH';
const UNKNOWN_ID = '00000000-0000-4000-8000-000000000000';

/** The problem body without what differs per request (its id, its URL). */
const comparable = (res: LightMyRequestResponse) => {
  const { requestId: _r, instance: _i, ...rest } = res.json();
  return rest;
};

for (const engine of ENGINES) {
  describe(`quotes API (${engine})`, () => {
    let rt: TestRuntime;
    let today = '';
    const as: Record<string, SignedIn> = {};
    before(async () => {
      rt = await startTestRuntime(engine);
      today = parisDay(rt.clock.now());
      for (const login of ['devis.demo', 'devis.demo2', 'conseiller.demo', 'rgc.demo', 'candidat.demo']) as[login] = await signInAs(rt.app, rt.clock, login);
    });
    after(() => rt?.stop());

    const call = (who: string | null, method: Method, url: string, payload?: object): Promise<LightMyRequestResponse> =>
      rt.app.inject({ method, url, headers: who ? as[who].headers : {}, ...(payload ? { payload } : {}) });
    const count = async (table: 'quote' | 'quote_event') => Number((await rt.ctx.db.selectFrom(table).select(sql<number>`count(*)`.as('n')).executeTakeFirstOrThrow()).n);
    const auditCount = async (action: string, target?: string) => {
      let q = rt.ctx.db.selectFrom('audit_log').select(sql<number>`count(*)`.as('n')).where('action', '=', action);
      if (target) q = q.where('target_id', '=', target);
      return Number((await q.executeTakeFirstOrThrow()).n);
    };
    async function create(who = 'devis.demo', body: object = validQuote(today)) {
      const res = await call(who, 'POST', '/api/v1/quotes', body);
      assert.equal(res.statusCode, 201, res.body);
      return res.json();
    }

    it('creates a draft (201): the same shape out, plus the server fields; amounts stored as cents; audited', async () => {
      const input = validQuote(today);
      const q = await create('devis.demo', input);
      assert.deepEqual(
        Object.keys(q).sort(),
        ['agreementReference', 'candidate', 'costs', 'createdAt', 'funding', 'id', 'organisation', 'poei', 'status', 'submittedAt', 'timeline', 'training', 'trainingId', 'type', 'updatedAt', 'version', 'warnings'].sort(),
      );
      assert.equal(q.status, 'draft');
      assert.equal(q.version, 1);
      assert.equal(q.organisation.name, 'Formapro Démo');
      assert.deepEqual(q.candidate, input.candidate);
      assert.deepEqual(q.costs, input.costs);
      assert.deepEqual({ ...q.training, schedule: undefined }, { ...input.training, schedule: undefined });
      assert.deepEqual(q.warnings, []);
      const row = await rt.ctx.db.selectFrom('quote').selectAll().where('id', '=', q.id).executeTakeFirstOrThrow();
      assert.deepEqual((row.data as { costs: unknown }).costs, {
        hourlyRateCents: 1250,
        pedagogicalCostCents: Math.round(input.costs.pedagogicalCost * 100),
        otherLines: [{ label: 'Frais d’inscription', amountCents: 5050 }],
      });
      assert.equal(await auditCount('quote.created', q.id), 1);
      const got = await call('devis.demo', 'GET', `/api/v1/quotes/${q.id}`);
      assert.equal(got.statusCode, 200);
      assert.deepEqual(got.json().timeline.map((e: { action: string; actor: string; fromStatus: null; toStatus: string; version: number }) => [e.action, e.actor, e.fromStatus, e.toStatus, e.version]), [['create', 'devis.demo', null, 'draft', 1]]);
    });

    it('refuses bad input with French field errors, never a 5xx, storing nothing', async () => {
      const before = [await count('quote'), await count('quote_event')];
      const good = validQuote(today);
      const bad = {
        ...good,
        training: { ...good.training, title: 'x'.repeat(10_000), startDate: '14/09/2026', centreHours: -3, schedule: [{ weekday: 1, from: '09:00', to: '12:00' }, { weekday: 1, from: '11:00', to: '13:00' }] },
        costs: { ...good.costs, hourlyRate: 12.345, pedagogicalCost: 1e12 },
        surprise: true,
      };
      const res = await call('devis.demo', 'POST', '/api/v1/quotes', bad);
      assert.equal(res.statusCode, 422, res.body);
      const fields = (res.json().errors as Array<{ field: string }>).map((e) => e.field);
      for (const f of ['training.title', 'training.startDate', 'training.centreHours', 'costs.hourlyRate', 'costs.pedagogicalCost', 'surprise']) assert.ok(fields.includes(f), `${f} in ${fields.join(', ')}`);
      assert.ok(fields.some((f) => f.startsWith('training.schedule')), fields.join(', '));
      assert.match(res.json().errors.find((e: { field: string }) => e.field === 'training.title').message, /200 caractères au maximum/);
      for (const body of [{}, [], { type: 'AIF' }]) assert.equal((await call('devis.demo', 'POST', '/api/v1/quotes', body)).statusCode, 422);
      assert.deepEqual([await count('quote'), await count('quote_event')], before);
    });

    it('an identifier whose name or birth date does not match gets exactly the answer of an unknown identifier', async () => {
      const before = await count('quote');
      const good = validQuote(today);
      const answers = [];
      for (const candidate of [
        { identifier: '0000000X', lastName: 'Martin', birthDate: '1990-04-12' },
        { identifier: '1234567A', lastName: 'Bernard', birthDate: '1990-04-12' },
        { identifier: '1234567A', lastName: 'Martin', birthDate: '1990-04-13' },
        { identifier: '7654321B', lastName: 'Martin', birthDate: '1990-04-12' },
      ]) {
        const res = await call('devis.demo', 'POST', '/api/v1/quotes', { ...good, candidate });
        assert.equal(res.statusCode, 422, res.body);
        answers.push(comparable(res));
      }
      for (const a of answers.slice(1)) assert.deepEqual(a, answers[0]);
      assert.equal(answers[0].errors[0].field, 'candidate');
      assert.doesNotMatch(JSON.stringify(answers[0]), /Camille|Bernard|Inès/);
      assert.equal(await count('quote'), before);
      // Case, accents and spacing are how the same name gets typed differently: they still match.
      await create('devis.demo', { ...good, candidate: { identifier: '1234 567a', lastName: '  MARTÍN ', birthDate: '1990-04-12' } });
    });

    it('a draft with errors: submit 422 listing each field → PATCH fixes it → submit 200, timeline and audit', async () => {
      const good = validQuote(today, 8);
      const draft = await create('devis.demo', { ...good, training: { ...good.training, formacode: '', place: null }, costs: { ...good.costs, pedagogicalCost: 1 } });
      const refused = await call('devis.demo', 'POST', `/api/v1/quotes/${draft.id}/submit`);
      assert.equal(refused.statusCode, 422, refused.body);
      const errors = refused.json().errors as Array<{ field: string; code: string; message: string }>;
      assert.deepEqual(errors.map((e) => e.field).sort(), ['costs.pedagogicalCost', 'training.formacode', 'training.place']);
      assert.ok(errors.every((e) => e.code && e.message && !('severity' in e)));
      assert.equal((await call('devis.demo', 'GET', `/api/v1/quotes/${draft.id}`)).json().status, 'draft');

      const badPatch = await call('devis.demo', 'PATCH', `/api/v1/quotes/${draft.id}`, { costs: { hourlyRate: -1 } });
      assert.equal(badPatch.statusCode, 422);
      assert.equal((await call('devis.demo', 'PATCH', `/api/v1/quotes/${draft.id}`, {})).statusCode, 422);
      const patched = await call('devis.demo', 'PATCH', `/api/v1/quotes/${draft.id}`, { training: good.training, costs: { ...good.costs, hourlyRate: 40, pedagogicalCost: pedagogicalCostCents(Math.round(good.training.centreHours * 100), 4000) / 100 } });
      assert.equal(patched.statusCode, 200, patched.body);
      assert.deepEqual(patched.json().warnings.map((w: { code: string }) => w.code), ['hourly_rate_high']);
      assert.equal(await auditCount('quote.updated', draft.id), 1);

      const submitted = await call('devis.demo', 'POST', `/api/v1/quotes/${draft.id}/submit`);
      assert.equal(submitted.statusCode, 200, submitted.body);
      assert.equal(submitted.json().status, 'submitted');
      assert.deepEqual(submitted.json().timeline.map((e: { action: string; toStatus: string }) => `${e.action}:${e.toStatus}`), ['create:draft', 'submit:submitted']);
      assert.equal(await auditCount('quote.submitted', draft.id), 1);

      // Submitted versions are immutable, and a second submit is refused.
      const late = await call('devis.demo', 'PATCH', `/api/v1/quotes/${draft.id}`, { training: good.training });
      assert.equal(late.statusCode, 409);
      assert.equal((await call('devis.demo', 'POST', `/api/v1/quotes/${draft.id}/submit`)).statusCode, 409);

      // It now holds the candidate's period: an overlapping quote, of any organisation, cannot be submitted.
      const other = await create('devis.demo2', { ...good, training: { ...good.training, title: 'Autre' } });
      const overlap = await call('devis.demo2', 'POST', `/api/v1/quotes/${other.id}/submit`);
      assert.equal(overlap.statusCode, 422);
      assert.deepEqual(overlap.json().errors.map((e: { code: string }) => e.code), ['period_overlap']);
      assert.doesNotMatch(overlap.body, /Formapro/);

      // The advisor's candidate file now lists it (drafts stay the organisation's own).
      const file = await call('conseiller.demo', 'GET', '/api/v1/candidates/1234567A');
      assert.deepEqual(file.json().quotes.map((q: { id: string; status: string }) => [q.id, q.status]), [[draft.id, 'submitted']]);
    });

    it('PATCH of the candidate section checks the trio again, with the same answer for a mismatch', async () => {
      const q = await create('devis.demo');
      const wrong = await call('devis.demo', 'PATCH', `/api/v1/quotes/${q.id}`, { candidate: { identifier: '7654321B', lastName: 'Bernard', birthDate: '1985-11-04' } });
      const unknown = await call('devis.demo', 'POST', '/api/v1/quotes', { ...validQuote(today), candidate: { identifier: '0000000X', lastName: 'Bernard', birthDate: '1985-11-03' } });
      assert.equal(wrong.statusCode, 422);
      assert.deepEqual(comparable(wrong), comparable(unknown));
      const moved = await call('devis.demo', 'PATCH', `/api/v1/quotes/${q.id}`, { candidate: { identifier: '7654321B', lastName: 'bernard', birthDate: '1985-11-03' } });
      assert.equal(moved.statusCode, 200, moved.body);
      assert.deepEqual(moved.json().candidate, { identifier: '7654321B', lastName: 'Bernard', birthDate: '1985-11-03' });
      assert.deepEqual((await verifyAuditChain(rt.ctx.db)).ok, true);
    });

    it('lists the organisation’s own quotes only, with status, q and page filters', async () => {
      await create('devis.demo2', { ...validQuote(today, 20), training: { ...validQuote(today, 20).training, title: 'Cuisine collective' } });
      const mine = await call('devis.demo', 'GET', '/api/v1/quotes');
      assert.equal(mine.statusCode, 200, mine.body);
      const formaproCount = Number((await rt.ctx.db.selectFrom('quote').innerJoin('organisation', 'organisation.id', 'quote.organisation_id').select(sql<number>`count(*)`.as('n')).where('organisation.name', '=', 'Formapro Démo').executeTakeFirstOrThrow()).n);
      assert.equal(mine.json().total, formaproCount);
      assert.ok(mine.json().quotes.every((q: { title: string }) => q.title !== 'Cuisine collective'));
      const submitted = await call('devis.demo', 'GET', '/api/v1/quotes?status=submitted');
      assert.deepEqual([...new Set(submitted.json().quotes.map((q: { status: string }) => q.status))], ['submitted']);
      assert.equal((await call('devis.demo', 'GET', '/api/v1/quotes?q=cuisine')).json().total, 0);
      assert.equal((await call('devis.demo2', 'GET', '/api/v1/quotes?q=cuisine')).json().total, 1);
      assert.equal((await call('devis.demo2', 'GET', '/api/v1/quotes?q=1234567')).json().quotes[0].candidate.identifier, '1234567A');
      assert.deepEqual((await call('devis.demo', 'GET', '/api/v1/quotes?page=99')).json().quotes, []);
      for (const query of ['status=nope', 'page=0', 'page=abc', 'other=1']) {
        const bad = await call('devis.demo', 'GET', `/api/v1/quotes?${query}`);
        assert.equal(bad.statusCode, 422, query);
        assert.ok(bad.json().errors.length > 0);
      }
    });

    it('another organisation’s quote is a 404 identical to an unknown id, and nothing changes', async () => {
      const q = await create('devis.demo');
      const snapshot = async () => [await count('quote_event'), await auditCount('quote.updated'), await auditCount('quote.submitted'), JSON.stringify((await rt.ctx.db.selectFrom('quote').select(['data', 'status']).where('id', '=', q.id).executeTakeFirstOrThrow()))];
      const before = await snapshot();
      const routes: Array<[Method, string, object?]> = [
        ['GET', ''],
        ['PATCH', '', { training: validQuote(today).training }],
        ['POST', '/submit'],
      ];
      for (const [method, suffix, payload] of routes) {
        const theirs = await call('devis.demo2', method, `/api/v1/quotes/${q.id}${suffix}`, payload);
        const unknown = await call('devis.demo2', method, `/api/v1/quotes/${UNKNOWN_ID}${suffix}`, payload);
        const garbage = await call('devis.demo2', method, `/api/v1/quotes/pas-un-id${suffix}`, payload);
        for (const res of [theirs, unknown, garbage]) assert.equal(res.statusCode, 404, `${method} ${suffix}`);
        assert.deepEqual(comparable(theirs), comparable(unknown));
        assert.deepEqual(comparable(garbage), comparable(unknown));
        assert.doesNotMatch(theirs.body, /Martin|Formapro|1234567A/);
      }
      assert.deepEqual(await snapshot(), before);
    });

    it('the routes judge what they receive by their declared schemas: fields, query parameters and bodies they do not expect are named', async () => {
      const q = await create('devis.demo');
      const before = [await count('quote'), await count('quote_event')];
      const fieldsOf = (res: LightMyRequestResponse) => (res.json().errors as Array<{ field: string }>).map((e) => e.field);
      // No body at all is judged as {}: each missing section named, in the contract's order.
      const empty = await rt.app.inject({ method: 'POST', url: '/api/v1/quotes', headers: as['devis.demo'].headers });
      assert.equal(empty.statusCode, 422, empty.body);
      assert.deepEqual(fieldsOf(empty), ['type', 'candidate', 'training', 'costs', 'poei']);
      const badTemplate = await call('devis.demo', 'POST', '/api/v1/quotes', { ...validQuote(today), templateId: 'modele-1' });
      assert.equal(badTemplate.statusCode, 422);
      assert.deepEqual(badTemplate.json().errors, [{ field: 'templateId', message: 'Modèle (templateId) : identifiant de modèle invalide.' }]);
      // Actions without a body refuse one they would ignore; an empty one is fine.
      const surprise = await call('devis.demo', 'POST', `/api/v1/quotes/${q.id}/submit`, { surprise: true });
      assert.equal(surprise.statusCode, 422);
      assert.deepEqual(fieldsOf(surprise), ['surprise']);
      const query = await call('devis.demo', 'GET', `/api/v1/quotes/${q.id}?expand=all`);
      assert.equal(query.statusCode, 422);
      assert.deepEqual(fieldsOf(query), ['expand']);
      const cancel = await call('devis.demo', 'POST', `/api/v1/quotes/${q.id}/cancel`, { reason: 42, version: 'un' });
      assert.equal(cancel.statusCode, 422);
      assert.deepEqual(cancel.json().errors, [
        { field: 'reason', message: 'Motif (reason) : texte attendu.' },
        { field: 'version', message: 'Version (version) : nombre entier attendu.' },
      ]);
      assert.deepEqual([await count('quote'), await count('quote_event')], before);
      assert.equal((await call('devis.demo', 'GET', `/api/v1/quotes/${q.id}`)).json().status, 'draft');
    });

    it('wrong role is a 403 and no session a 401 on every quote route, storing nothing', async () => {
      const q = await create('devis.demo');
      const before = [await count('quote'), await count('quote_event')];
      const routes: Array<[Method, string, object?]> = [
        ['POST', '/api/v1/quotes', validQuote(today)],
        ['GET', '/api/v1/quotes'],
        ['GET', `/api/v1/quotes/${q.id}`],
        ['PATCH', `/api/v1/quotes/${q.id}`, { type: 'POEI' }],
        ['POST', `/api/v1/quotes/${q.id}/submit`],
      ];
      for (const [method, url, payload] of routes) {
        for (const who of ['conseiller.demo', 'rgc.demo', 'candidat.demo']) {
          const res = await call(who, method, url, payload);
          // The advisor and the candidate may read a quote once submitted: a draft is a 404 to them.
          const readsQuotes = method === 'GET' && url !== '/api/v1/quotes' && who !== 'rgc.demo';
          assert.equal(res.statusCode, readsQuotes ? 404 : 403, `${who} ${method} ${url}`);
          assert.doesNotMatch(res.body, /Martin|1234567A/);
        }
        assert.equal((await call(null, method, url, payload)).statusCode, 401, `${method} ${url}`);
      }
      assert.deepEqual([await count('quote'), await count('quote_event')], before);
      assert.equal((await call('devis.demo', 'GET', `/api/v1/quotes/${q.id}`)).json().status, 'draft');
    });
  });
}
