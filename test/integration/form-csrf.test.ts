// CSRF on every state-changing route (docs/decisions/0004-csrf-tokens.md),
// enumerated from the route table so that a new route is covered without anyone listing it. Each
// is called by an actor its access rule lets in, on real objects, with a body that would be
// accepted — but without the session's token (missing, empty, wrong, another session's, the
// anonymous double-submit pair, the API header on a form, the form field on the API): it must be
// refused (403, with the CSRF message) and store nothing. Cross-site requests are refused even with
// the token. Public API routes, which have no session to borrow, refuse every body a cross-site
// form can send.
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { LightMyRequestResponse } from 'fastify';
import { DEMO_PASSWORD } from '../../src/demo/accounts.js';
import type { RouteEntry } from '../../src/http/auth.js';
import { isStateChanging } from '../../src/http/csrf.js';
import { parisDay } from '../../src/modules/onboarding/rules.js';
import { CSV_HEADER } from '../../src/modules/training/index.js';
import { multipart, quoteForm, screenshot } from '../helpers/audit-world.js';
import { accountIdByLogin, apiCall, approvedMembership, expectJson, grantHabilitation, organisationIdByName, pendingMembershipRequest, quoteTemplate, securityAlert, spareSession, staffUser } from '../helpers/fixtures.js';
import { allowedActors, assertNothingStored, storedState } from '../helpers/fuzz-fixtures.js';
import { membershipRequest } from '../helpers/onboarding.js';
import { validQuote } from '../helpers/quotes.js';
import { ENGINES, startTestRuntime, type TestRuntime } from '../helpers/runtime.js';
import { csrfFromHtml, signInAs, type SignedIn } from '../helpers/session.js';
import { createTraining } from '../helpers/trainings.js';

const CSRF_REFUSED = 'Jeton de sécurité (CSRF) absent ou invalide. Rechargez la page puis réessayez.';
/** Page forms that take files: their body is multipart, parsed before the `_csrf` field is checked. */
const MULTIPART_FORMS = new Set(['POST /support/demandes/nouvelle', 'POST /kairos/assiduite/import']);
const FAKE_TOKEN = 'jeton-invente-par-un-site-tiers-0123456789';

const routeKey = (r: Pick<RouteEntry, 'method' | 'url'>) => `${r.method} ${r.url}`;
const isApi = (r: Pick<RouteEntry, 'url'>) => r.url.startsWith('/api/');
const paramsOf = (url: string) => [...url.matchAll(/:([A-Za-z]+)/g)].map((m) => m[1]!);

/** The fixture a `:id` stands for, by the longest matching path prefix. */
const ID_PREFIXES: Array<[string, string]> = [
  ['/api/v1/me/passkeys/', 'passkey'],
  ['/compte/cles-d-acces/', 'passkey'],
  ['/api/v1/organisations/:orgId/webhooks/', 'webhook'],
  ['/gid/api/webhooks/', 'webhook'],
  ['/api/v1/support-requests/', 'supportRequest'],
  ['/support/demandes/', 'supportRequest'],
  ['/api/v1/quote-templates/', 'template'],
  ['/devis/modeles/', 'template'],
  ['/api/v1/quotes/', 'quote'],
  ['/devis/', 'quote'],
  ['/mon-espace/devis/', 'quote'],
  ['/conseiller/devis/', 'quote'],
  ['/api/v1/membership-requests/', 'membershipRequest'],
  ['/admin/adhesions/', 'membershipRequest'],
  ['/api/v1/letters/', 'letter'],
  ['/admin/courriers/', 'letter'],
  ['/api/v1/account-manager-changes/', 'managerChange'],
  ['/admin/changements-responsable/', 'managerChange'],
  ['/api/v1/security/alerts/', 'alert'],
  ['/securite/alertes/', 'alert'],
  ['/api/v1/attendance-sheets/', 'sheet'],
  ['/kairos/emargement/', 'sheet'],
  ['/api/v1/trainings/', 'training'],
  ['/kairos/formations/', 'training'],
  ['/api/v1/api-tokens/', 'apiToken'],
  ['/gid/api/', 'apiToken'],
  ['/admin/jetons-api/', 'apiToken'],
];
const PARAM_FIXTURES: Record<string, string> = { deliveryId: 'webhookDelivery', orgId: 'organisation', userId: 'user', habilitationId: 'habilitation', sessionId: 'session', month: 'month', tokenId: 'apiToken' };

function fixtureOf(url: string, param: string): string | null {
  if (param !== 'id') return PARAM_FIXTURES[param] ?? null;
  return ID_PREFIXES.filter(([prefix]) => url.startsWith(prefix)).sort((a, b) => b[0].length - a[0].length)[0]?.[1] ?? null;
}

/**
 * Bodies that would be accepted: were the token not required, these calls would change something,
 * which is what "nothing stored" then proves. Routes not listed get an empty body.
 */
function bodies(fx: Record<string, string>, today: string): Record<string, Record<string, unknown>> {
  const q = validQuote(today, 20);
  const m = membershipRequest();
  const user = { lastName: 'Forge', firstName: 'Camille', email: 'camille.forge@organisme.example' };
  const policy = { rolesPolicy: 'Chaque habilitation est validée par la direction.', departuresPolicy: 'Les comptes des partants sont supprimés le jour du départ.' };
  const support = { category: 'autre', subject: 'Demande forgée', description: 'Cette demande vient d’un site tiers.' };
  const report = { outcome: 'completed', certification: 'full', skills: 'Développement web.', difficulties: 'Aucune.', nextSteps: 'Recherche d’emploi.' };
  const membershipForm = { legalName: m.legalName, siret: m.siret, nda: m.nda, qualiopi: 'oui', qualiopiExpiry: m.qualiopiExpiry, address: m.address, 'accountManager.lastName': 'Essai', 'accountManager.firstName': 'Zoé', 'accountManager.email': m.accountManager.email, 'accountManager.phone': m.accountManager.phone };
  return {
    'POST /api/v1/session': { login: 'devis.demo', password: DEMO_PASSWORD, otp: '' },
    'POST /connexion': { login: 'devis.demo', password: DEMO_PASSWORD, otp: '' },
    'POST /api/v1/me/password': { currentPassword: DEMO_PASSWORD, newPassword: 'Une phrase de passe forgée par un tiers !' },
    'POST /compte/mot-de-passe': { currentPassword: DEMO_PASSWORD, newPassword: 'Une phrase de passe forgée par un tiers !' },
    'POST /api/v1/organisations/:orgId/users': user,
    'POST /gid/utilisateurs': user,
    'POST /api/v1/organisations/:orgId/users/:userId/habilitations': { application: 'kairos', role: 'quote_editor' },
    'POST /gid/utilisateurs/:userId/habilitations': { habilitation: 'kairos/quote_editor' },
    'POST /gid/utilisateurs/:userId/suppression': { confirmation: 'oui' },
    'PUT /api/v1/organisations/:orgId/security-policy': policy,
    'POST /gid/politique-securite': policy,
    'POST /api/v1/organisations/:orgId/api-tokens': { name: 'Jeton forgé', roles: ['reader'], expiresAt: fx.tokenExpiry, allowedIps: [] },
    'POST /gid/api': { name: 'Jeton forgé', roles: 'reader', expiresAt: fx.tokenExpiry.slice(0, 10), allowedIps: '' },
    'POST /api/v1/organisations/:orgId/account-manager-change': { newManagerId: fx.newManager, reason: 'Changement demandé par un tiers.' },
    'POST /gid/responsable': { newManagerId: fx.newManager, reason: 'Changement demandé par un tiers.' },
    'POST /api/v1/account-manager-changes/:id/reject': { reason: 'Refus forgé.' },
    'POST /admin/changements-responsable/:id/refuser': { reason: 'Refus forgé.' },
    'POST /api/v1/membership-requests': m,
    'POST /adhesion': membershipForm,
    'POST /api/v1/membership-requests/:id/reject': { reason: 'Refus forgé par un tiers.' },
    'POST /admin/adhesions/:id/refus': { reason: 'Refus forgé par un tiers.' },
    'POST /api/v1/candidates': { identifier: '8999999F', lastName: 'Forge', firstName: 'Sacha', birthDate: '1990-01-01', email: 'sacha.forge@exemple.fr' },
    'POST /api/v1/quotes': q,
    'POST /devis/nouveau': quoteForm(q),
    'POST /devis/:id': quoteForm(q, 'soumettre'),
    'PATCH /api/v1/quotes/:id': { type: 'AIF' },
    'POST /api/v1/quotes/:id/candidate-decision': { decision: 'accept' },
    'POST /mon-espace/devis/:id/decision': { decision: 'accept' },
    'POST /api/v1/quotes/:id/decision': { decision: 'refuse', reason: 'Refus forgé.' },
    'POST /conseiller/devis/:id/decision': { decision: 'refuse', reason: 'Refus forgé.' },
    'POST /api/v1/quote-templates': { name: 'Modèle forgé', quoteId: fx.quote },
    'PATCH /api/v1/quote-templates/:id': { name: 'Modèle forgé' },
    'POST /devis/modeles/:id/renommer': { name: 'Modèle forgé' },
    'POST /devis/:id/modele': { name: 'Modèle forgé' },
    'POST /api/v1/trainings/:id/entry': { startDate: fx.startDate },
    'POST /kairos/formations/:id/entree': { startDate: fx.startDate },
    'POST /api/v1/trainings/:id/report': report,
    'POST /kairos/formations/:id/bilan': report,
    'POST /api/v1/security/alerts/:id/reinstate': { note: 'Rétablissement forgé par un tiers.' },
    'POST /securite/alertes/:id/retablir': { note: 'Rétablissement forgé par un tiers.' },
    'POST /api/v1/support-requests': support,
    'POST /support/demandes/nouvelle': support,
    'POST /api/v1/support-requests/:id/messages': { body: 'Réponse forgée.' },
    'POST /support/demandes/:id/reponse': { body: 'Réponse forgée.' },
    'POST /api/v1/support-requests/:id/status': { status: 'closed' },
    'POST /support/demandes/:id/statut': { status: 'closed' },
    'POST /api/v1/organisations/:orgId/webhooks': { url: 'http://127.0.0.1:9/forge', events: ['quote.status_changed'] },
    'POST /gid/api/webhooks': { url: 'http://127.0.0.1:9/forge', events: 'quote.status_changed' },
    'PATCH /api/v1/organisations/:orgId/webhooks/:id': { enabled: false },
    'POST /api/v1/attendance-sheets/:id/close': { signature: { kind: 'confirmed' } },
    'POST /kairos/emargement/:id/cloture': { mode: 'confirmation' },
  };
}

for (const engine of ENGINES) {
  describe(`CSRF on every state-changing route (${engine})`, () => {
    let rt: TestRuntime;
    let attachmentsDir = '';
    const sessions = new Map<string, SignedIn>();
    /** Another user's session: its valid token must not do for this one's. */
    let stranger: SignedIn;
    let anonymous = { cookie: '', token: '' };
    const fx: Record<string, string> = {};
    let body: Record<string, Record<string, unknown>> = {};

    async function as(login: string): Promise<SignedIn> {
      if (!sessions.has(login)) sessions.set(login, await signInAs(rt.app, rt.clock, login));
      return sessions.get(login)!;
    }
    const id = async (res: Promise<LightMyRequestResponse>, status = 201) => (await expectJson<{ id: string }>(await res, status, 'fixture')).id;

    before(async () => {
      attachmentsDir = await mkdtemp(path.join(tmpdir(), 'kairos-csrf-'));
      rt = await startTestRuntime(engine, { env: { ATTACHMENTS_DIR: attachmentsDir, ACCOUNT_CREATIONS_PER_DAY: '100', HABILITATION_GRANTS_PER_DAY: '100', LOG_LEVEL: 'warn' } });
      stranger = await signInAs(rt.app, rt.clock, 'rgc.demo2');
      const page = await rt.app.inject({ url: '/connexion' });
      const set = page.cookies.find((c) => c.name.endsWith('kairos_csrf'))!;
      anonymous = { cookie: `${set.name}=${set.value}`, token: csrfFromHtml(page.body) };

      const today = parisDay(rt.clock.now());
      const [rgc, editor, admin] = [await as('rgc.demo'), await as('devis.demo'), await as('admin.agence')];
      fx.organisation = await organisationIdByName(rt, 'Formapro Démo');
      fx.user = (await staffUser(rt, rgc, fx.organisation)).id;
      fx.habilitation = await grantHabilitation(rt, rgc, fx.organisation, fx.user, 'kairos', 'reader');
      fx.newManager = await accountIdByLogin(rt, 'assiduite.demo');
      fx.quote = await id(apiCall(rt.app, editor, 'POST', '/api/v1/quotes', validQuote(today)));
      await expectJson(await apiCall(rt.app, editor, 'POST', `/api/v1/quotes/${fx.quote}/submit`), 200, 'submit');
      fx.template = await quoteTemplate(rt, editor, 'Modèle du contrôle CSRF', fx.quote);
      fx.supportRequest = await id(apiCall(rt.app, editor, 'POST', '/api/v1/support-requests', { category: 'autre', subject: 'Contrôle CSRF', description: 'Une demande pour le contrôle.' }));
      fx.membershipRequest = await pendingMembershipRequest(rt);
      fx.letter = (await approvedMembership(rt, admin)).letters.find((l) => l.kind === 'activation')!.id;
      fx.managerChange = await id(apiCall(rt.app, rgc, 'POST', `/api/v1/organisations/${fx.organisation}/account-manager-change`, { newManagerId: fx.newManager, reason: 'Départ du responsable actuel.' }));
      fx.alert = await securityAlert(rt, fx.user, fx.organisation, 'fixture');
      fx.tokenExpiry = new Date(rt.clock.now().getTime() + 60 * 86_400_000).toISOString();
      fx.apiToken = await id(apiCall(rt.app, rgc, 'POST', `/api/v1/organisations/${fx.organisation}/api-tokens`, { name: 'Jeton du contrôle CSRF', roles: ['reader'], expiresAt: fx.tokenExpiry, allowedIps: [] }));
      const quote = validQuote(today, 30);
      fx.startDate = quote.training.startDate;
      fx.month = fx.startDate.slice(0, 7);
      fx.training = (await createTraining(rt.ctx.db, { organisation: 'Formapro Démo', candidate: '1234567A', startDate: fx.startDate, endDate: quote.training.endDate, session: 'SE_CSRF', at: rt.clock.now() })).id;
      fx.session = (await spareSession(rt, 'devis.demo')).sessionId;
      fx.sheet = (
        await rt.ctx.db
          .insertInto('attendance_sheet')
          .values({ organisation_id: fx.organisation, carif_oref_session: 'SE_CSRF', date: fx.startDate, period: 'am', starts_at: '09:00', ends_at: '12:30', opened_by: fx.newManager, opened_at: rt.clock.now() })
          .returning('id')
          .executeTakeFirstOrThrow()
      ).id;
      fx.webhook = await id(apiCall(rt.app, rgc, 'POST', `/api/v1/organisations/${fx.organisation}/webhooks`, { url: 'http://127.0.0.1:9/csrf', events: ['quote.status_changed'] }));
      fx.webhookDelivery = (await rt.ctx.db.insertInto('webhook_delivery').values({ endpoint_id: fx.webhook, event_id: crypto.randomUUID(), event_type: 'quote.status_changed', body: '{}', status: 'failed', created_at: rt.clock.now() }).returning('id').executeTakeFirstOrThrow()).id;
      fx.passkey = (await rt.ctx.db.insertInto('passkey').values({ account_id: await accountIdByLogin(rt, 'devis.demo'), credential_id: 'cle-du-controle-csrf', public_key: 'pQECAyYgASFYIA', counter: 0, transports: '[]', name: 'Clé du contrôle CSRF', created_at: rt.clock.now(), last_used_at: null }).returning('id').executeTakeFirstOrThrow()).id;
      body = bodies(fx, today);
    });
    after(async () => {
      await rt?.stop();
      await rm(attachmentsDir, { recursive: true, force: true });
    });

    const changing = () => rt.app.routeTable.filter((r) => isStateChanging(r.method));
    const urlOf = (r: RouteEntry) => paramsOf(r.url).reduce((url, p) => url.replace(`:${p}`, encodeURIComponent(fx[fixtureOf(r.url, p) ?? ''] ?? `?${p}`)), r.url);
    const actorOf = (r: RouteEntry) => allowedActors(r.access)[0] ?? null;
    const formText = (fields: Record<string, unknown>) => new URLSearchParams(Object.entries(fields).map(([k, v]) => [k, String(v)])).toString();

    /** Sends `attempts`, expecting each refused as a CSRF failure (or 415 where allowed), and nothing stored. */
    async function refusedAll(r: RouteEntry, attempts: Array<{ label: string; send: () => Promise<LightMyRequestResponse>; or415?: boolean }>): Promise<string[]> {
      const failures: string[] = [];
      const before = await storedState(rt);
      for (const a of attempts) {
        const res = await a.send();
        const csrf = res.statusCode === 403 && res.body.includes(CSRF_REFUSED);
        if (!csrf && !(a.or415 && res.statusCode === 415)) failures.push(`${routeKey(r)} ${a.label}: ${res.statusCode} ${res.body.replace(/\s+/g, ' ').slice(0, 200)}`);
      }
      try {
        await assertNothingStored(rt, before, await storedState(rt), routeKey(r));
      } catch (err) {
        failures.push((err as Error).message.split('\n')[0]!);
      }
      return failures;
    }

    it('has a real object for every path parameter of every state-changing route', () => {
      const unresolved = changing().flatMap((r) => paramsOf(r.url).filter((p) => !fixtureOf(r.url, p)).map((p) => `${routeKey(r)} :${p}`));
      assert.deepEqual(unresolved, [], 'path parameters without a fixture (see ID_PREFIXES / PARAM_FIXTURES)');
    });

    it('refuses every page form posted without the session’s own _csrf field, storing nothing', async () => {
      const forms = changing().filter((r) => !isApi(r));
      assert.ok(forms.length > 40, `only ${forms.length} page forms`);
      const failures: string[] = [];
      for (const r of forms) {
        const url = urlOf(r);
        const fields = body[routeKey(r)] ?? {};
        const login = actorOf(r);
        const post = (cookie: string | null, payload: string, extra: Record<string, string> = {}) =>
          rt.app.inject({ method: r.method as 'POST', url, payload, headers: { ...(cookie ? { cookie } : {}), 'content-type': 'application/x-www-form-urlencoded', ...extra } });
        const postMultipart = async (cookie: string | null, csrf: string | null) => {
          const { payload, contentType } = await multipart({ ...(csrf === null ? {} : { _csrf: csrf }), ...(fields as Record<string, string>) }, [screenshot()]);
          return rt.app.inject({ method: r.method as 'POST', url, payload, headers: { ...(cookie ? { cookie } : {}), 'content-type': contentType } });
        };
        const mayRefuseType = !MULTIPART_FORMS.has(routeKey(r)); // a form that takes no files may answer 415 to multipart
        if (login === null) {
          // Public forms: the double-submit pair (cookie and field) must both be there and match.
          failures.push(
            ...(await refusedAll(r, [
              { label: 'without cookie or field', send: () => post(null, formText(fields)) },
              { label: 'with the cookie, without the field', send: () => post(anonymous.cookie, formText(fields)) },
              { label: 'with the field, without the cookie', send: () => post(null, formText({ _csrf: anonymous.token, ...fields })) },
              { label: 'with a field that does not match the cookie', send: () => post(anonymous.cookie, formText({ _csrf: FAKE_TOKEN, ...fields })) },
              { label: 'multipart without the field', send: () => postMultipart(anonymous.cookie, null), or415: mayRefuseType },
            ])),
          );
          continue;
        }
        const s = await as(login);
        failures.push(
          ...(await refusedAll(r, [
            { label: `as ${login} without the field`, send: () => post(s.cookie, formText(fields)) },
            { label: `as ${login} without a body`, send: () => rt.app.inject({ method: r.method as 'POST', url, headers: { cookie: s.cookie } }) },
            { label: `as ${login} with an empty field`, send: () => post(s.cookie, formText({ _csrf: '', ...fields })) },
            { label: `as ${login} with a made-up token`, send: () => post(s.cookie, formText({ _csrf: FAKE_TOKEN, ...fields })) },
            { label: `as ${login} with another user’s token`, send: () => post(s.cookie, formText({ _csrf: stranger.csrfToken, ...fields })) },
            { label: `as ${login} with the anonymous double-submit pair`, send: () => post(`${s.cookie}; ${anonymous.cookie}`, formText({ _csrf: anonymous.token, ...fields })) },
            { label: `as ${login} with the API header instead of the field`, send: () => post(s.cookie, formText(fields), { 'x-csrf-token': s.csrfToken }) },
            { label: `as ${login}, multipart without the field`, send: () => postMultipart(s.cookie, null), or415: mayRefuseType },
            { label: `as ${login}, multipart with a made-up token`, send: () => postMultipart(s.cookie, FAKE_TOKEN), or415: mayRefuseType },
          ])),
        );
      }
      assert.deepEqual(failures, [], `${failures.length} forged form post(s) not refused:\n${failures.join('\n')}`);
    });

    it('refuses every signed-in API change without the session’s X-CSRF-Token header, storing nothing', async () => {
      const routes = changing().filter((r) => isApi(r) && r.access.kind !== 'public');
      assert.ok(routes.length > 40, `only ${routes.length} API routes`);
      const failures: string[] = [];
      for (const r of routes) {
        const url = urlOf(r);
        const login = actorOf(r);
        assert.ok(login, `${routeKey(r)}: no signed-in actor for a non-public route`);
        const s = await as(login);
        const payload = body[routeKey(r)] ?? {};
        // Each route's own body type: the header check comes before the body is even read.
        const natural = async (): Promise<{ payload: string | Buffer; type: string }> => {
          if (routeKey(r) === 'POST /api/v1/attendance-imports') return { payload: `${CSV_HEADER}\n1234567A;SE_CSRF;01/01/2026;matin;present;;;\n`, type: 'text/csv' };
          if (routeKey(r) === 'POST /api/v1/support-requests') {
            const m = await multipart(payload as Record<string, string>, [screenshot()]);
            return { payload: m.payload, type: m.contentType };
          }
          return { payload: JSON.stringify(payload), type: 'application/json' };
        };
        const send = async (headers: Record<string, string>, extra: Record<string, unknown> = {}) => {
          const b = await natural();
          const p = Object.keys(extra).length ? JSON.stringify({ ...payload, ...extra }) : b.payload;
          return rt.app.inject({ method: r.method as 'POST', url, payload: r.method === 'DELETE' ? undefined : p, headers: { cookie: s.cookie, ...(r.method === 'DELETE' ? {} : { 'content-type': b.type }), ...headers } });
        };
        failures.push(
          ...(await refusedAll(r, [
            { label: `as ${login} without the header`, send: () => send({}) },
            { label: `as ${login} with an empty header`, send: () => send({ 'x-csrf-token': '' }) },
            { label: `as ${login} with a made-up token`, send: () => send({ 'x-csrf-token': FAKE_TOKEN }) },
            { label: `as ${login} with another user’s token`, send: () => send({ 'x-csrf-token': stranger.csrfToken }) },
            { label: `as ${login} with the token in the body instead of the header`, send: () => send({}, { _csrf: s.csrfToken }) },
          ])),
        );
      }
      assert.deepEqual(failures, [], `${failures.length} forged API call(s) not refused:\n${failures.join('\n')}`);
    });

    it('refuses every state-changing call a browser marks cross-site, even with the right token, storing nothing', async () => {
      const failures: string[] = [];
      for (const r of changing()) {
        const url = urlOf(r);
        const login = actorOf(r);
        const s = login ? await as(login) : null;
        const headers: Record<string, string> = { 'sec-fetch-site': 'cross-site' };
        let payload: string;
        if (isApi(r)) {
          Object.assign(headers, s ? s.headers : {}, { 'content-type': 'application/json' });
          payload = JSON.stringify(body[routeKey(r)] ?? {});
        } else {
          Object.assign(headers, { cookie: s ? s.cookie : anonymous.cookie, 'content-type': 'application/x-www-form-urlencoded' });
          payload = formText({ _csrf: s ? s.csrfToken : anonymous.token, ...(body[routeKey(r)] ?? {}) });
        }
        failures.push(...(await refusedAll(r, [{ label: `as ${login ?? 'anonymous'}`, send: () => rt.app.inject({ method: r.method as 'POST', url, headers, payload }) }])));
      }
      assert.deepEqual(failures, [], `${failures.length} cross-site call(s) not refused:\n${failures.join('\n')}`);
    });

    it('public API routes, which no session cookie empowers, refuse every body a cross-site form can send', async () => {
      // Decision 0004: they accept calls without a token, but only as application/json, which an
      // HTML form cannot send; what a form can send (urlencoded, multipart, text/plain) is a 415.
      const routes = changing().filter((r) => isApi(r) && r.access.kind === 'public');
      assert.deepEqual(routes.map(routeKey).sort(), [
        'POST /api/v1/activation',
        'POST /api/v1/activation/confirm',
        'POST /api/v1/membership-requests',
        'POST /api/v1/session',
        'POST /api/v1/session/passkey',
        'POST /api/v1/session/passkey/options',
      ]);
      const failures: string[] = [];
      for (const r of routes) {
        const fields = (body[routeKey(r)] ?? {}) as Record<string, string>;
        const before = await storedState(rt);
        const m = await multipart(fields);
        for (const [type, payload] of [
          ['application/x-www-form-urlencoded', formText(fields)],
          ['text/plain', JSON.stringify(fields)],
          [m.contentType, m.payload],
        ] as const) {
          const res = await rt.app.inject({ method: 'POST', url: r.url, payload, headers: { cookie: (await as('devis.demo')).cookie, 'content-type': type } });
          if (res.statusCode !== 415) failures.push(`${routeKey(r)} as ${type.split(';')[0]}: ${res.statusCode} ${res.body.slice(0, 200)}`);
        }
        await assertNothingStored(rt, before, await storedState(rt), routeKey(r));
      }
      assert.deepEqual(failures, [], failures.join('\n'));
    });

    it('left every session alive: the refused sign-outs, password changes and session ends did nothing', async () => {
      for (const [login, s] of sessions) assert.equal((await rt.app.inject({ url: '/api/v1/me', headers: { cookie: s.cookie } })).statusCode, 200, login);
      const spare = await rt.ctx.db.selectFrom('session').select(['ended_at']).where('id', '=', fx.session).executeTakeFirstOrThrow();
      assert.equal(spare.ended_at, null, 'the spare session named in the path is still live');
    });

    it('lets the same calls past the CSRF check with the right token: the refusals above were the token’s doing', async () => {
      // Last, as these calls do change things. A fresh session each, since some end theirs.
      const passwords = new Map<string, string>();
      const failures: string[] = [];
      for (const r of changing()) {
        const login = actorOf(r);
        const s = login ? await signInAs(rt.app, rt.clock, login, { password: passwords.get(login) }) : null;
        const fields = body[routeKey(r)] ?? {};
        const res = isApi(r)
          ? await rt.app.inject({ method: r.method as 'POST', url: urlOf(r), headers: { ...(s ? s.headers : {}), 'content-type': 'application/json' }, payload: JSON.stringify(fields) })
          : await rt.app.inject({
              method: r.method as 'POST',
              url: urlOf(r),
              headers: { cookie: s ? s.cookie : anonymous.cookie, 'content-type': 'application/x-www-form-urlencoded' },
              payload: formText({ _csrf: s ? s.csrfToken : anonymous.token, ...fields }),
            });
        if (res.statusCode === 403 && res.body.includes(CSRF_REFUSED)) failures.push(`${routeKey(r)} as ${login ?? 'anonymous'}: refused with the right token`);
        if (res.statusCode >= 500) failures.push(`${routeKey(r)} as ${login ?? 'anonymous'}: ${res.statusCode}`);
        if (login && 'newPassword' in fields && res.statusCode < 400) passwords.set(login, String(fields.newPassword));
      }
      assert.deepEqual(failures, [], failures.join('\n'));
    });
  });
}
