// Fuzzing every API route (docs/fuzzing.md). Routes come from the app's route table, so a new
// route is fuzzed without anyone listing it. Each is called as an actor its rule lets through
// (validation is what is fuzzed, not the gate) with path parameters (real ids and hostile
// segments), query strings and JSON bodies generated from the route's zod schema (near-valid
// values with hostile leaves), then with raw hostile bodies. Never a 5xx; a refusal is a problem
// document and stores nothing. Fixed seed in CI; FUZZ_RUNS / FUZZ_SEED for longer runs (README).
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import fc from 'fast-check';
import type { FastifySchema, LightMyRequestResponse } from 'fastify';
import type { RouteEntry } from '../../src/http/auth.js';
import { candidateInputSchema } from '../../src/modules/candidates/schemas.js';
import { decisionSchema } from '../../src/modules/habilitations/access-review/rules.js';
import { approveSchema, rejectSchema } from '../../src/modules/habilitations/manager-change/rules.js';
import { grantSchema, listQuerySchema as userListQuery, newUserSchema, suspendSchema } from '../../src/modules/habilitations/users/rules.js';
import { policySchema } from '../../src/modules/habilitations/security-policy/rules.js';
import { membershipRequestSchema, parisDay } from '../../src/modules/onboarding/rules.js';
import { advisorDecisionSchema, candidateDecisionSchema } from '../../src/modules/quotes/decision/schemas.js';
import { quoteInputSchema, quotePatchSchema } from '../../src/modules/quotes/rules/quote-schema.js';
import { queueQuery } from '../../src/modules/quotes/queue/schemas.js';
import { templateCreateSchema, templateRenameSchema } from '../../src/modules/quotes/templates/schemas.js';
import { reinstateSchema } from '../../src/modules/security/schemas.js';
import { ownListSchema, queueSchema, replySchema, statusSchema, supportRequestSchema } from '../../src/modules/support/requests/schemas.js';
import {
  CSV_HEADER,
  attendanceBodySchema,
  correctionBodySchema,
  entryBodySchema,
  listQuerySchema as trainingListQuery,
  monthQuerySchema,
  reportBodySchema,
  withdrawalBodySchema,
} from '../../src/modules/training/index.js';
import {
  BROKEN_ENCODINGS,
  RAW_MARKER,
  arbitraryFromZod,
  fillPath,
  fuzzParameters,
  hostileObject,
  hostileSegment,
  hostileString,
  hostileValue,
  jsonText,
  pathParams,
  queryString,
  rarely,
  rawHostileBodies,
} from '../helpers/fuzz.js';
import { assertNothingStored, allowedActors, createFuzzWorld, randomIp, realParamSets, realValues, routeSchemas, storedState, type FuzzWorld, type StoredState } from '../helpers/fuzz-fixtures.js';
import { membershipRequest } from '../helpers/onboarding.js';
import { validQuote } from '../helpers/quotes.js';
import { ENGINES, startTestRuntime, type TestRuntime } from '../helpers/runtime.js';

/** How a route's input is generated: a zod schema (and a valid example), or the names it reads. */
interface InputSpec {
  schema?: unknown;
  example?: unknown;
  fields?: readonly string[];
  /** The body is a CSV file (text/csv), not JSON. */
  csv?: boolean;
}
interface RouteSpec {
  body?: InputSpec;
  query?: InputSpec;
}

/**
 * Schemas validated inside handlers (the Fastify schemas are read from the routes themselves),
 * with a valid example each so that mutations of one or two leaves reach the deep rules.
 */
function inHandlerSpecs(w: FuzzWorld, today: string): Record<string, RouteSpec> {
  const q = validQuote(today);
  const entry = { date: w.ids.trainingStart, period: 'am', status: 'present' };
  const orgUsers = '/api/v1/organisations/:orgId/users';
  return {
    'POST /api/v1/membership-requests': { body: { schema: membershipRequestSchema(today), example: membershipRequest() } },
    'POST /api/v1/me/password': { body: { example: { currentPassword: 'pas-le-bon-mot-de-passe', newPassword: 'Un-autre-mot-de-passe-2026' } } },
    'POST /api/v1/session': { body: { example: { login: 'fuzz.inconnu', password: 'Kairos-Demo-2026-secure', otp: '123456' } } },
    'POST /api/v1/activation': { body: { example: { login: 'fuzz.inconnu', activationCode: 'ABCD-EFGH-IJKL', password: 'Un-mot-de-passe-2026' } } },
    'POST /api/v1/activation/confirm': { body: { example: { login: 'fuzz.inconnu', otp: '123456' } } },
    'POST /api/v1/me/second-factor/confirm': { body: { example: { otp: '123456' } } },
    'POST /api/v1/membership-requests/:id/reject': { body: { example: { reason: 'Dossier incomplet : Qualiopi manquant.' } } },
    [`GET ${orgUsers}`]: { query: { schema: userListQuery, example: { q: 'Essai', status: 'pending' } } },
    [`POST ${orgUsers}`]: { body: { schema: newUserSchema, example: { lastName: 'Essai', firstName: 'Zoé', email: 'zoe.essai@organisme.example' } } },
    [`POST ${orgUsers}/:userId/suspend`]: { body: { schema: suspendSchema, example: { reason: 'Départ de l’organisme.' } } },
    [`POST ${orgUsers}/:userId/habilitations`]: { body: { schema: grantSchema, example: { application: 'kairos', role: 'attendance_officer' } } },
    'POST /api/v1/organisations/:orgId/access-review/decisions': { body: { schema: decisionSchema, example: { habilitationId: w.ids.habilitation, decision: 'confirmed' } } },
    'PUT /api/v1/organisations/:orgId/security-policy': { body: { schema: policySchema, example: { rolesPolicy: 'Chaque rôle est attribué par le responsable.', departuresPolicy: 'Les comptes sont supprimés le jour du départ.', otherRules: '' } } },
    'POST /api/v1/organisations/:orgId/account-manager-change': { body: { example: { newManagerId: w.ids.users[0], reason: 'Départ en retraite du responsable.' } } },
    'POST /api/v1/account-manager-changes/:id/approve': { body: { schema: approveSchema, example: { reason: 'Vérifié par téléphone.' } } },
    'POST /api/v1/account-manager-changes/:id/reject': { body: { schema: rejectSchema, example: { reason: 'Demande non justifiée.' } } },
    'POST /api/v1/candidates': { body: { schema: candidateInputSchema(() => today), example: { identifier: '7777777Z', lastName: 'Essai', firstName: 'Zoé', birthDate: '1990-01-01', email: 'zoe.essai@exemple.fr' } } },
    'GET /api/v1/candidates': { query: { fields: ['q'], example: { q: 'Martin' } } },
    'POST /api/v1/quotes': { body: { schema: quoteInputSchema, example: q } },
    'GET /api/v1/quotes': { query: { fields: ['status', 'q', 'page'], example: { status: 'draft', q: 'web', page: '1' } } },
    'PATCH /api/v1/quotes/:id': { body: { schema: quotePatchSchema, example: { training: q.training, costs: q.costs } } },
    'POST /api/v1/quotes/:id/cancel': { body: { fields: ['reason', 'version'], example: { reason: 'Le candidat renonce.', version: 1 } } },
    'POST /api/v1/quotes/:id/candidate-decision': { body: { schema: candidateDecisionSchema, example: { decision: 'decline', comment: 'Je ne suis plus disponible.' } } },
    'POST /api/v1/quotes/:id/decision': { body: { schema: advisorDecisionSchema, example: { decision: 'request_changes', reason: 'Précisez les horaires.' } } },
    'GET /api/v1/quote-queue': { query: { schema: queueQuery, example: { status: 'accepted', page: '1' } } },
    'POST /api/v1/quote-templates': { body: { schema: templateCreateSchema, example: { name: 'Modèle', quoteId: w.ids.draftQuote } } },
    'PATCH /api/v1/quote-templates/:id': { body: { schema: templateRenameSchema, example: { name: 'Nouveau nom' } } },
    'POST /api/v1/support-requests': { body: { schema: supportRequestSchema, example: { category: 'acces', subject: 'Accès refusé', description: 'Je ne peux pas ouvrir la page des devis.' } } },
    'GET /api/v1/support-requests': { query: { schema: ownListSchema, example: { status: 'open', page: '1' } } },
    'GET /api/v1/support/queue': { query: { schema: queueSchema, example: { status: 'open', category: 'acces', age: '0' } } },
    'POST /api/v1/support-requests/:id/messages': { body: { schema: replySchema, example: { body: 'Merci pour votre réponse.' } } },
    'POST /api/v1/support-requests/:id/status': { body: { schema: statusSchema, example: { status: 'closed' } } },
    'GET /api/v1/trainings': { query: { schema: trainingListQuery, example: { status: 'planned', page: '1' } } },
    'POST /api/v1/trainings/:id/entry': { body: { schema: entryBodySchema, example: { startDate: w.ids.trainingStart } } },
    'GET /api/v1/trainings/:id/attendance': { query: { schema: monthQuerySchema, example: { month: w.ids.trainingMonth } } },
    'GET /api/v1/me/trainings/:id/attendance': { query: { schema: monthQuerySchema, example: { month: w.ids.trainingMonth } } },
    'PUT /api/v1/trainings/:id/attendance': { body: { schema: attendanceBodySchema, example: { entries: [entry, { ...entry, period: 'pm', status: 'absent', reason: 'sickness', justified: true }] } } },
    'POST /api/v1/trainings/:id/statements/:month/corrections': { body: { schema: correctionBodySchema, example: { entry, reason: 'Erreur de saisie corrigée.' } } },
    'POST /api/v1/trainings/:id/withdrawal': { body: { schema: withdrawalBodySchema, example: { date: w.ids.trainingStart, reason: 'other', comment: 'Déménagement.' } } },
    'POST /api/v1/trainings/:id/report': { body: { schema: reportBodySchema, example: { outcome: 'completed', certification: 'full', skills: 'HTML', difficulties: 'Aucune', nextSteps: 'Emploi' } } },
    'POST /api/v1/attendance-imports': { body: { csv: true } },
    'POST /api/v1/security/alerts/:id/reinstate': { body: { schema: reinstateSchema, example: { note: 'Vérifié avec l’organisme par téléphone.' } } },
    'GET /api/v1/letters': { query: { example: { organisation: w.ids.ownOrg } } },
  };
}

const BODY_METHODS = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);
const key = (r: RouteEntry) => `${r.method} ${r.url}`;

function inputArbitrary(spec: InputSpec | undefined, fastifySchema: unknown): fc.Arbitrary<unknown> {
  const schema = spec?.schema ?? fastifySchema;
  if (schema) return arbitraryFromZod(schema, { example: spec?.example });
  const fields = spec?.fields ?? (spec?.example && typeof spec.example === 'object' ? Object.keys(spec.example) : []);
  return fc.oneof({ weight: 3, arbitrary: hostileObject(fields) }, { weight: 1, arbitrary: hostileValue() }, { weight: 1, arbitrary: fc.constant(spec?.example ?? {}) });
}

/** A CSV import: the real header, lines mixing valid cells and hostile ones (separators, quotes, line breaks). */
function csvArbitrary(w: FuzzWorld): fc.Arbitrary<string> {
  const cell = (valid: string) => fc.oneof({ weight: 3, arbitrary: fc.constant(valid) }, { weight: 1, arbitrary: hostileString() });
  const [y, m, d] = w.ids.trainingStart.split('-');
  const line = fc.tuple(cell('1234567A'), cell('SE_FUZZ'), cell(`${d}/${m}/${y}`), cell('matin'), cell('present'), cell(''), cell(''), cell('')).map((cells) => cells.join(';'));
  return fc.tuple(fc.oneof({ weight: 4, arbitrary: fc.constant(CSV_HEADER) }, { weight: 1, arbitrary: hostileString() }), fc.array(line, { maxLength: 4 })).map(([h, lines]) => [h, ...lines].join('\n'));
}

/** Query pairs: the schema's fields (near-valid) plus hostile keys, repeated keys, broken encodings. */
function queryArbitrary(spec: InputSpec | undefined, fastifySchema: unknown): fc.Arbitrary<string> {
  const known = spec || fastifySchema ? inputArbitrary(spec, fastifySchema) : fc.constant({});
  return fc
    .tuple(known, fc.oneof(fc.constant([]), fc.array(fc.tuple(hostileString(), hostileValue()), { minLength: 1, maxLength: 2 })), rarely(fc.constantFrom(...BROKEN_ENCODINGS), 5))
    .map(([value, extra, broken]) => {
      const pairs: Array<[string, unknown]> = value && typeof value === 'object' && !Array.isArray(value) ? Object.entries(value) : [['q', value]];
      return queryString([...pairs, ...extra], broken);
    });
}

for (const engine of ENGINES) {
  describe(`fuzzing every API route (${engine})`, () => {
    let rt: TestRuntime;
    let w: FuzzWorld;
    let specs: Record<string, RouteSpec>;
    let schemas: Map<string, FastifySchema>;
    /** The state after the previous call, reused as the next one's « before » while nothing else ran. */
    let lastState: StoredState | null = null;

    before(async () => {
      // Every guard as configured in production (bulk access, creation, throttling): the fuzzer
      // reads few distinct candidates, well under the bulk-access thresholds.
      rt = await startTestRuntime(engine, { env: { LOG_LEVEL: 'warn' } });
      w = await createFuzzWorld(rt);
      specs = inHandlerSpecs(w, parisDay(rt.clock.now()));
      schemas = await routeSchemas(rt.ctx);
    });
    after(() => rt?.stop());

    const apiRoutes = () => rt.app.routeTable.filter((r) => r.url.startsWith('/api/'));

    /** One request, and every property a response must have whatever the input. */
    async function send(route: RouteEntry, actor: string | null, request: { url: string; payload?: string | Buffer; contentType?: string }) {
      const res: LightMyRequestResponse = await rt.app.inject({
        method: route.method as 'GET',
        url: request.url,
        headers: { ...w.headers(actor), ...(request.contentType ? { 'content-type': request.contentType } : {}) },
        remoteAddress: actor ? '10.0.0.1' : randomIp(),
        ...(request.payload !== undefined ? { payload: request.payload } : {}),
      });
      const what = `${route.method} ${request.url.slice(0, 300)} as ${actor ?? 'anonymous'} with ${String(request.payload ?? '').slice(0, 300)}`;
      assert.ok(res.statusCode < 500, `${what} → ${res.statusCode} ${res.body.slice(0, 500)}`);
      const type = String(res.headers['content-type'] ?? '');
      if (res.statusCode >= 400) {
        assert.match(type, /^application\/problem\+json/, `${what} → ${res.statusCode} answered ${type}, not a problem document: ${res.body.slice(0, 300)}`);
        assert.equal(typeof res.json().detail, 'string', `${what}: a problem without detail`);
      }
      if (type.startsWith('text/html')) assert.doesNotMatch(res.body, RAW_MARKER, `${what}: input reflected unescaped`);
      return { res, what };
    }

    /** The fuzzer may sign its actor out (DELETE /api/v1/session) or end its sessions: sign in again. */
    async function keepSignedIn(route: RouteEntry, actor: string | null, res: LightMyRequestResponse) {
      if (actor && (res.statusCode === 401 || key(route) === 'DELETE /api/v1/session') && (await w.ensureSignedIn(actor))) lastState = null;
    }

    /** Answers by status class, per route: shows in the output how deep the generated input went. */
    const tally = new Map<string, Record<string, number>>();

    /** One request whose refusal must leave every business table as it was. */
    async function check(route: RouteEntry, actor: string | null, request: { url: string; payload?: string | Buffer; contentType?: string }) {
      const before = lastState ?? (await storedState(rt));
      const { res, what } = await send(route, actor, request);
      const counts = tally.get(key(route)) ?? {};
      counts[res.statusCode] = (counts[res.statusCode] ?? 0) + 1;
      tally.set(key(route), counts);
      lastState = await storedState(rt);
      if (res.statusCode >= 400) await assertNothingStored(rt, before, lastState, what);
      await keepSignedIn(route, actor, res);
      return res;
    }

    function bodyRequest(route: RouteEntry, body: unknown): { payload?: string; contentType?: string } {
      if (!BODY_METHODS.has(route.method) || body === undefined) return {};
      if (specs[key(route)]?.body?.csv) return { payload: String(body), contentType: 'text/csv; charset=utf-8' };
      return { payload: jsonText(body), contentType: 'application/json' };
    }

    it('every API route, as an actor it lets through: generated path parameters, queries and bodies never give a 5xx, and refusals store nothing', async (t) => {
      const routes = apiRoutes();
      assert.ok(routes.length >= 80, `only ${routes.length} API routes in the route table`);
      for (const route of routes) {
        const spec = specs[key(route)];
        const fastify = schemas.get(key(route)) as { body?: unknown; querystring?: unknown } | undefined;
        for (const actor of allowedActors(route.access)) {
          await t.test(`${key(route)} as ${actor ?? 'anonymous'}`, async () => {
            const params = fc.record(
              Object.fromEntries(pathParams(route.url).map((p) => [p, fc.oneof({ weight: 3, arbitrary: fc.constantFrom(...realValues(w.ids, route.url, p)) }, { weight: 2, arbitrary: hostileSegment() })])),
            );
            const body = !BODY_METHODS.has(route.method) ? fc.constant(undefined) : spec?.body?.csv ? csvArbitrary(w) : fc.option(inputArbitrary(spec?.body, fastify?.body), { freq: 10, nil: undefined });
            const query = route.method === 'GET' ? queryArbitrary(spec?.query, fastify?.querystring) : fc.oneof(fc.constant(''), queryArbitrary(spec?.query, fastify?.querystring));
            // First, deterministically, each kind of real id with the valid example (the deep path).
            const exampleQuery = spec?.query?.example ? queryString(Object.entries(spec.query.example as object)) : '';
            const examples = realParamSets(w.ids, route.url).map((p): [Record<string, string>, string, unknown] => [p, exampleQuery, spec?.body?.example]);
            await fc.assert(
              fc.asyncProperty(params, query, body, async (p, qs, b) => {
                await check(route, actor, { url: fillPath(route.url, p) + qs, ...bodyRequest(route, b) });
              }),
              { ...fuzzParameters(`${key(route)} ${actor}`), examples },
            );
            t.diagnostic(`${key(route)}: ${JSON.stringify(tally.get(key(route)))}`);
          });
        }
      }
    });

    it('every API route taking a body survives raw hostile bodies: invalid UTF-8, NUL, 10 000 levels, 2 MB, huge numbers, prototype keys, wrong types', async (t) => {
      for (const route of apiRoutes().filter((r) => BODY_METHODS.has(r.method))) {
        const actor = allowedActors(route.access)[0];
        const url = fillPath(route.url, Object.fromEntries(pathParams(route.url).map((p) => [p, realValues(w.ids, route.url, p)[0]])));
        await t.test(`${key(route)} as ${actor ?? 'anonymous'}`, async () => {
          const bodies = rawHostileBodies();
          // Bodies the parsers refuse are sent in one run, the state read before and after it;
          // should one of them be accepted after all, the run is sent again one request at a time.
          const parserLevel = bodies.filter((b) => !b.reachesHandler);
          const baseline = lastState ?? (await storedState(rt));
          let accepted = false;
          for (const raw of parserLevel) {
            const { res } = await send(route, actor, { url, payload: raw.payload, contentType: raw.contentType });
            if (raw.name === '2 MB string') assert.equal(res.statusCode, 413, `${key(route)}: a 2 MB body answered ${res.statusCode}`);
            accepted ||= res.statusCode < 400;
            await keepSignedIn(route, actor, res);
          }
          lastState = await storedState(rt);
          if (!accepted) await assertNothingStored(rt, baseline, lastState, `${key(route)} as ${actor}: one of ${parserLevel.map((b) => b.name).join(', ')}`);
          for (const raw of accepted ? bodies : bodies.filter((b) => b.reachesHandler)) await check(route, actor, { url, payload: raw.payload, contentType: raw.contentType });
        });
      }
    });

    it('covers what it claims: every API route was fuzzed and the fixtures still answer', async () => {
      const table = new Set(apiRoutes().map(key));
      for (const k of Object.keys(specs)) assert.ok(table.has(k), `spec for ${k}, which is no longer a route`);
      for (const login of w.sessions.keys()) await w.ensureSignedIn(login);
      assert.equal((await w.api('devis.demo', 'GET', '/api/v1/me')).statusCode, 200);
    });
  });
}
