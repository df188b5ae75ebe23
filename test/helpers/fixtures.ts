/**
 * Shared fixture builders for tests that need real objects behind every kind of path parameter
 * (the access-control matrix, the fuzz tests): each goes through the public API as its user
 * would, so the objects are in the state the product itself leaves them in. Only what has no
 * API of its own (a security alert) is written to the database directly.
 */
import { randomUUID } from 'node:crypto';
import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import { runAccessReviewSweep } from '../../src/modules/habilitations/index.js';
import { tinyPng } from '../../src/modules/support/requests/test-images.js';
import { sessionIdFromToken } from '../../src/modules/identity/sessions/session-rules.js';
import { parisDay } from '../../src/modules/onboarding/rules.js';
import { membershipRequest } from './onboarding.js';
import { validQuote } from './quotes.js';
import type { TestRuntime } from './runtime.js';
import { signInAs, type SignedIn } from './session.js';

type Method = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

/** A JSON API call as `who` (null: anonymous). */
export function apiCall(app: FastifyInstance, who: SignedIn | null, method: Method, url: string, payload?: unknown): Promise<LightMyRequestResponse> {
  return app.inject({ method, url, headers: who ? who.headers : {}, ...(payload === undefined ? {} : { payload: payload as object }) });
}

/** The JSON answer of a call that must succeed with `status`; throws with the body otherwise. */
export async function expectJson<T = Record<string, unknown>>(response: LightMyRequestResponse, status: number, what: string): Promise<T> {
  if (response.statusCode !== status) throw new Error(`${what}: expected ${status}, got ${response.statusCode} ${response.body.slice(0, 500)}`);
  return (response.body ? response.json() : null) as T;
}

export async function signInEach(rt: TestRuntime, logins: readonly string[]): Promise<Record<string, SignedIn>> {
  const out: Record<string, SignedIn> = {};
  for (const login of logins) out[login] = await signInAs(rt.app, rt.clock, login);
  return out;
}

/** A second session of `login` (for calls that end it) and its id as the session list shows it. */
export async function spareSession(rt: TestRuntime, login: string): Promise<{ session: SignedIn; sessionId: string }> {
  const session = await signInAs(rt.app, rt.clock, login);
  const token = decodeURIComponent(session.cookie.slice(session.cookie.indexOf('=') + 1));
  return { session, sessionId: sessionIdFromToken(token) };
}

export async function organisationIdByName(rt: TestRuntime, name: string): Promise<string> {
  return (await rt.ctx.db.selectFrom('organisation').select('id').where('name', '=', name).executeTakeFirstOrThrow()).id;
}

export async function accountIdByLogin(rt: TestRuntime, login: string): Promise<string> {
  return (await rt.ctx.db.selectFrom('account').select('id').where('login', '=', login).executeTakeFirstOrThrow()).id;
}

export interface QuoteParties {
  editor: SignedIn;
  candidate: SignedIn;
  advisor: SignedIn;
}

/**
 * A quote taken the whole way: created by the editor, submitted, accepted by the candidate and
 * approved by the advisor, so that its training record and agreement PDF exist.
 * `quote` defaults to `validQuote` for candidate 1234567A; `weeksLater` keeps periods apart.
 */
export async function approvedQuote(rt: TestRuntime, parties: QuoteParties, options: { quote?: object; weeksLater?: number } = {}) {
  const body = options.quote ?? validQuote(parisDay(rt.clock.now()), options.weeksLater ?? 0);
  const created = await expectJson<{ id: string }>(await apiCall(rt.app, parties.editor, 'POST', '/api/v1/quotes', body), 201, 'create quote');
  await expectJson(await apiCall(rt.app, parties.editor, 'POST', `/api/v1/quotes/${created.id}/submit`), 200, 'submit quote');
  await expectJson(await apiCall(rt.app, parties.candidate, 'POST', `/api/v1/quotes/${created.id}/candidate-decision`, { decision: 'accept' }), 200, 'accept quote');
  const approved = await expectJson<{ trainingId: string }>(
    await apiCall(rt.app, parties.advisor, 'POST', `/api/v1/quotes/${created.id}/decision`, { decision: 'approve' }),
    200,
    'approve quote',
  );
  return { quoteId: created.id, trainingId: approved.trainingId };
}

/** A draft quote (not submitted): only its organisation sees it. */
export async function draftQuote(rt: TestRuntime, editor: SignedIn, quote: object): Promise<string> {
  return (await expectJson<{ id: string }>(await apiCall(rt.app, editor, 'POST', '/api/v1/quotes', quote), 201, 'draft quote')).id;
}

export async function quoteTemplate(rt: TestRuntime, editor: SignedIn, name: string, quoteId: string): Promise<string> {
  return (await expectJson<{ id: string }>(await apiCall(rt.app, editor, 'POST', '/api/v1/quote-templates', { name, quoteId }), 201, 'template')).id;
}

/** A support request with one screenshot, sent as the browser form does (multipart). */
export async function supportRequestWithScreenshot(rt: TestRuntime, who: SignedIn, fields: { category: string; subject: string; description: string }) {
  const form = new FormData();
  for (const [k, v] of Object.entries(fields)) form.append(k, v);
  form.append('screenshots', new Blob([new Uint8Array(tinyPng())], { type: 'image/png' }), 'capture.png');
  const request = new Request('http://localhost/', { method: 'POST', body: form });
  const payload = Buffer.from(await request.arrayBuffer());
  const response = await rt.app.inject({ method: 'POST', url: '/api/v1/support-requests', payload, headers: { ...who.headers, 'content-type': request.headers.get('content-type')! } });
  const { id } = await expectJson<{ id: string }>(response, 201, 'support request');
  const view = await expectJson<{ attachments: Array<{ id: string }> }>(await apiCall(rt.app, who, 'GET', `/api/v1/support-requests/${id}`), 200, 'support request view');
  return { id, attachmentId: view.attachments[0]!.id };
}

let userCounter = 0;
/** A new (not yet activated) staff account of the manager's organisation. */
export async function staffUser(rt: TestRuntime, manager: SignedIn, organisationId: string, lastName = 'Fixture'): Promise<{ id: string; login: string }> {
  userCounter += 1;
  // Names take letters only: the counter is spelt in letters (1 → b, 2 → c, 26 → ba…).
  const letters = userCounter.toString(26).replace(/./g, (d) => String.fromCharCode(97 + parseInt(d, 26)));
  const body = { lastName, firstName: `Essai${letters}`, email: `essai.${process.pid}.${userCounter}@organisme.example` };
  return expectJson(await apiCall(rt.app, manager, 'POST', `/api/v1/organisations/${organisationId}/users`, body), 201, 'staff user');
}

export async function grantHabilitation(rt: TestRuntime, manager: SignedIn, organisationId: string, userId: string, application: string, role: string): Promise<string> {
  const url = `/api/v1/organisations/${organisationId}/users/${userId}/habilitations`;
  return (await expectJson<{ id: string }>(await apiCall(rt.app, manager, 'POST', url, { application, role }), 201, 'grant')).id;
}

/** The reference (request id) of an error `who` met, as shown on the error page. */
export async function errorReference(rt: TestRuntime, who: SignedIn): Promise<string> {
  const response = await apiCall(rt.app, who, 'GET', '/api/v1/quotes/00000000-0000-4000-8000-000000000000');
  if (response.statusCode !== 404) throw new Error(`error reference: expected a 404, got ${response.statusCode}`);
  return String(response.headers['x-request-id']);
}

/** A pending adhesion request (public form), with a fresh SIRET. */
export async function pendingMembershipRequest(rt: TestRuntime): Promise<string> {
  return (await expectJson<{ id: string }>(await apiCall(rt.app, null, 'POST', '/api/v1/membership-requests', membershipRequest()), 201, 'membership request')).id;
}

/** An approved adhesion: a new organisation and its two letters, generated by the job worker. */
export async function approvedMembership(rt: TestRuntime, admin: SignedIn): Promise<{ organisationId: string; letters: Array<{ id: string; kind: string }> }> {
  const id = await pendingMembershipRequest(rt);
  const { organisationId } = await expectJson<{ organisationId: string }>(await apiCall(rt.app, admin, 'POST', `/api/v1/membership-requests/${id}/approve`), 200, 'approve membership');
  while ((await rt.worker.runDue()) > 0);
  const { letters } = await expectJson<{ letters: Array<{ id: string; kind: string }> }>(
    await apiCall(rt.app, admin, 'GET', `/api/v1/letters?organisation=${organisationId}`),
    200,
    'letters',
  );
  return { organisationId, letters };
}

/** A bulk-access alert on `accountId` (written directly: tripping the detector takes 100 candidates). */
export async function securityAlert(rt: TestRuntime, accountId: string, organisationId: string, login: string): Promise<string> {
  const row = await rt.ctx.db
    .insertInto('security_alert')
    .values({ kind: 'bulk_access', at: rt.clock.now(), account_id: accountId, organisation_id: organisationId, details: JSON.stringify({ kind: 'read', count: 101, threshold: 100, windowMinutes: 60, login }) })
    .returning('id')
    .executeTakeFirstOrThrow();
  return row.id;
}

/**
 * A training followed for its first month, as its attendance officer does it: entry on the agreed
 * start, every half-day of that month present, the month submitted (its statement and PDF exist).
 * The clock must already be past the end of that month.
 */
export async function followedFirstMonth(rt: TestRuntime, officer: SignedIn, trainingId: string, startDate: string): Promise<string> {
  const month = startDate.slice(0, 7);
  const base = `/api/v1/trainings/${trainingId}`;
  await expectJson(await apiCall(rt.app, officer, 'POST', `${base}/entry`, { startDate }), 200, 'entry');
  const { halfDays } = await expectJson<{ halfDays: Array<{ date: string; period: string }> }>(await apiCall(rt.app, officer, 'GET', `${base}/attendance?month=${month}`), 200, 'attendance');
  const entries = halfDays.map((h) => ({ date: h.date, period: h.period, status: 'present' }));
  await expectJson(await apiCall(rt.app, officer, 'PUT', `${base}/attendance`, { entries }), 200, 'attendance declared');
  await expectJson(await apiCall(rt.app, officer, 'POST', `${base}/statements/${month}/submit`), 200, 'statement');
  return month;
}

// ---------------------------------------------------------------------------------------------
// A whole world for route-wide tests: one object of organisation A (Formapro Démo) or of
// candidate A (1234567A) behind every kind of path parameter, each named by a fixture key.

/** Distinctive texts the world's objects carry, so a test can look for them in any answer. */
export const WORLD_MARKERS = {
  quoteTitle: 'Formation Matrice Alpha',
  templateName: 'Modèle Matrice Alpha',
  supportSubject: 'Demande Matrice Alpha',
  userLastName: 'Matriceur',
} as const;

/** What the world needs from the configuration (many accounts and grants, public forms from one address, A's access review due). */
export const WORLD_ENV: Record<string, string> = {
  ACCOUNT_CREATIONS_PER_DAY: '10000',
  HABILITATION_GRANTS_PER_DAY: '10000',
  PUBLIC_FORM_RATE_LIMIT_PER_HOUR: '10000',
  ACCESS_REVIEW_DAYS: '30',
};

export const WORLD_ORGANISATIONS = { A: 'Formapro Démo', B: 'Atelier Compétences Démo', agency: 'France Travail' } as const;

/** Fixture keys that `fresh` can create anew (for calls that change or delete their object). */
export type FreshKey = 'templateA' | 'userA' | 'habilitationA' | 'sessionA' | 'webhookA' | 'passkeyA';

export interface World {
  /** A session of each login given to buildWorld. */
  as: Record<string, SignedIn>;
  /** Fixture key → the id (or value) to put in a path: see buildWorld for the list. */
  fx: Record<string, string>;
  /** Creates a new object for `key`, stores it in `fx` and returns it. */
  fresh(key: FreshKey): Promise<string>;
}

const DAY = 86_400_000;

/**
 * Builds, through the API: quoteA (devis.demo → candidat.demo, approved by conseiller.demo) and
 * its trainingA, whose first `month` is entered, declared and submitted after the clock jumps 70
 * days (so every session is signed in again); templateA; supportRequestA of devis.demo with its
 * attachmentA; userA (a new account of A) and habilitationA (its kairos/reader); sessionA (a spare
 * session of candidat.demo); alertA (a bulk-access alert on userA); managerChangeA (pending);
 * membershipRequest (pending); letter (the identifier letter of a newly approved organisation);
 * errorReferenceA (an error devis.demo met); apiTokenA (a reader token of A); A's security policy and open access review;
 * passkeyA (a passkey of candidat.demo);
 * webhookA (of A, to a closed local port) and webhookDeliveryA (a failed delivery of it); sheetA (an open
 * attendance sheet of trainingA's session); and the
 * values candidateA (1234567A), helpArticle and organisationA. Needs WORLD_ENV and ATTACHMENTS_DIR.
 * `logins` must include devis.demo, candidat.demo, conseiller.demo, assiduite.demo, rgc.demo and admin.agence.
 */
export async function buildWorld(rt: TestRuntime, logins: readonly string[]): Promise<World> {
  let as = await signInEach(rt, logins);
  const fx: Record<string, string> = {};
  const organisationA = await organisationIdByName(rt, WORLD_ORGANISATIONS.A);
  fx.organisationA = organisationA;
  const world: World = {
    get as() {
      return as;
    },
    fx,
    async fresh(key) {
      switch (key) {
        case 'templateA':
          fx.templateA = await quoteTemplate(rt, as['devis.demo']!, `${WORLD_MARKERS.templateName} ${Math.random().toString(36).slice(2, 8)}`, fx.quoteA!);
          break;
        case 'userA':
          fx.userA = (await staffUser(rt, as['rgc.demo']!, organisationA, WORLD_MARKERS.userLastName)).id;
          break;
        case 'habilitationA':
          fx.habilitationA = await grantHabilitation(rt, as['rgc.demo']!, organisationA, fx.userA!, 'kairos', 'reader');
          break;
        case 'sessionA':
          fx.sessionA = (await spareSession(rt, 'candidat.demo')).sessionId;
          break;
        case 'passkeyA':
          fx.passkeyA = await passkeyRow(rt, 'candidat.demo');
          break;
        case 'webhookA': {
          const hook = await webhook(rt, as['rgc.demo']!, organisationA);
          fx.webhookA = hook.webhookId;
          fx.webhookDeliveryA = hook.deliveryId;
          break;
        }
      }
      return fx[key]!;
    },
  };

  const quote = validQuote(parisDay(rt.clock.now())) as ReturnType<typeof validQuote>;
  const approved = await approvedQuote(rt, { editor: as['devis.demo']!, candidate: as['candidat.demo']!, advisor: as['conseiller.demo']! }, {
    quote: { ...quote, training: { ...quote.training, title: WORLD_MARKERS.quoteTitle } },
  });
  fx.quoteA = approved.quoteId;
  fx.trainingA = approved.trainingId;
  rt.clock.advance(70 * DAY);
  as = await signInEach(rt, logins);
  fx.month = await followedFirstMonth(rt, as['assiduite.demo']!, fx.trainingA, quote.training.startDate);
  await runAccessReviewSweep(rt.ctx);

  await world.fresh('templateA');
  const support = await supportRequestWithScreenshot(rt, as['devis.demo']!, { category: 'devis', subject: WORLD_MARKERS.supportSubject, description: 'Le bouton Envoyer affiche une erreur.' });
  fx.supportRequestA = support.id;
  fx.attachmentA = support.attachmentId;
  await world.fresh('userA');
  await world.fresh('habilitationA');
  await world.fresh('sessionA');
  fx.alertA = await securityAlert(rt, fx.userA!, organisationA, 'fixture');
  const change = await apiCall(rt.app, as['rgc.demo']!, 'POST', `/api/v1/organisations/${organisationA}/account-manager-change`, {
    newManagerId: await accountIdByLogin(rt, 'assiduite.demo'),
    reason: 'Départ en retraite du responsable actuel.',
  });
  fx.managerChangeA = (await expectJson<{ id: string }>(change, 201, 'manager change')).id;
  fx.membershipRequest = await pendingMembershipRequest(rt);
  const { letters } = await approvedMembership(rt, as['admin.agence']!);
  fx.letter = letters.find((l) => l.kind === 'identifier')!.id;
  fx.errorReferenceA = await errorReference(rt, as['devis.demo']!);
  fx.candidateA = '1234567A';
  fx.helpArticle = 'contacter-assistance';
  fx.apiTokenA = (await expectJson<{ id: string }>(await apiCall(rt.app, as['rgc.demo']!, 'POST', `/api/v1/organisations/${organisationA}/api-tokens`, {
    name: 'Jeton Matrice', roles: ['reader'], expiresAt: new Date(rt.clock.now().getTime() + 300 * DAY).toISOString(), allowedIps: [],
  }), 201, 'API token')).id;
  await expectJson(
    await apiCall(rt.app, as['rgc.demo']!, 'PUT', `/api/v1/organisations/${organisationA}/security-policy`, {
      rolesPolicy: 'Chaque habilitation est validée par la direction avant attribution.',
      departuresPolicy: 'Les comptes des partants sont supprimés le jour du départ.',
    }),
    200,
    'security policy',
  );
  await world.fresh('webhookA');
  await world.fresh('passkeyA');
  fx.sheetA = await attendanceSheet(rt, organisationA, fx.trainingA);
  return world;
}

/**
 * A passkey of the account, written as enrolment stores one (enrolment itself, with a real
 * authenticator, is test/integration/passkeys.test.ts): the object of the removal routes.
 */
async function passkeyRow(rt: TestRuntime, login: string): Promise<string> {
  const row = await rt.ctx.db
    .insertInto('passkey')
    .values({
      account_id: await accountIdByLogin(rt, login),
      credential_id: randomUUID().replaceAll('-', ''),
      public_key: 'pQECAyYgASFYIA',
      counter: 0,
      transports: JSON.stringify(['internal']),
      name: 'Clé de la matrice',
      created_at: rt.clock.now(),
      last_used_at: null,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return row.id;
}

/** An open attendance sheet of A for trainingA's first half-day (written directly: opening one depends on the hour). */
async function attendanceSheet(rt: TestRuntime, organisationId: string, trainingId: string): Promise<string> {
  const training = await rt.ctx.db.selectFrom('training').select('carif_oref_session').where('id', '=', trainingId).executeTakeFirstOrThrow();
  const half = await rt.ctx.db.selectFrom('training_session').selectAll().where('training_id', '=', trainingId).orderBy('date').orderBy('period').executeTakeFirstOrThrow();
  const sheet = await rt.ctx.db
    .insertInto('attendance_sheet')
    .values({
      organisation_id: organisationId,
      carif_oref_session: training.carif_oref_session,
      date: half.date,
      period: half.period,
      starts_at: half.starts_at,
      ends_at: half.ends_at,
      opened_by: await accountIdByLogin(rt, 'assiduite.demo'),
      opened_at: rt.clock.now(),
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return sheet.id;
}

/** A webhook of the organisation (to a closed local port: nothing listens) and a failed delivery of it, as the job would leave it. */
async function webhook(rt: TestRuntime, manager: SignedIn, organisationId: string): Promise<{ webhookId: string; deliveryId: string }> {
  const created = await apiCall(rt.app, manager, 'POST', `/api/v1/organisations/${organisationId}/webhooks`, { url: 'http://127.0.0.1:9/matrice', events: ['quote.status_changed'] });
  const webhookId = (await expectJson<{ id: string }>(created, 201, 'webhook')).id;
  const now = rt.clock.now();
  const eventId = randomUUID();
  const body = JSON.stringify({ id: eventId, type: 'quote.status_changed', occurredAt: now.toISOString(), organisationId, data: { quoteId: randomUUID(), status: 'submitted', version: 1 } });
  const delivery = await rt.ctx.db
    .insertInto('webhook_delivery')
    .values({ endpoint_id: webhookId, event_id: eventId, event_type: 'quote.status_changed', body, status: 'failed', attempts: 8, last_error: 'connect ECONNREFUSED', created_at: now, last_attempt_at: now })
    .returning('id')
    .executeTakeFirstOrThrow();
  return { webhookId, deliveryId: delivery.id };
}

/** The anonymous visitor's double-submit CSRF cookie and token (public forms), from the sign-in page. */
export async function anonymousFormToken(app: FastifyInstance): Promise<{ cookie: string; token: string }> {
  const page = await app.inject({ method: 'GET', url: '/connexion' });
  const set = page.cookies.find((c) => c.name.endsWith('kairos_csrf'));
  const m = /name="_csrf" value="([^"]+)"/.exec(page.body);
  if (!m) throw new Error('no CSRF field on /connexion');
  return { cookie: set ? `${set.name}=${set.value}` : '', token: m[1]! };
}
