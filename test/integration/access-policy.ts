/**
 * The declared access policy of every route, read by access-matrix.test.ts.
 *
 * Who: eleven actors — anonymous, two candidates, the staff of organisation A (Formapro Démo),
 * two staff of organisation B (Atelier Compétences Démo) and three agency roles.
 * What: every path parameter names an object of organisation A or candidate A (FIXTURES).
 *
 * The expected answer of a cell is computed, then overridden:
 * 1. from the route's access rule, evaluated HERE against the roster below (not by the product's
 *    own decideAccess, so a bug there cannot hide itself): no session → sign-in (401 for the API,
 *    a redirect to /connexion for pages), a session without the right → 403;
 * 2. an actor the rule lets in but who does not REACH the object named in the path (another
 *    organisation, another candidate…) → 404, the same answer as an unknown id;
 * 3. otherwise `ok` for reads, `allowed` for writes (the matrix sends harmless, often invalid,
 *    bodies: a 4xx validation or conflict answer proves the call got past the access checks);
 * 4. then the route's entry in POLICY overrides single cells, each with its reason.
 * Every route must have an entry, even `{}`: a new route fails the matrix until someone states
 * its policy here.
 */
import type { AccessRule } from '../../src/modules/habilitations/policy.js';

export const ACTORS = [
  'anonymous',
  'candidat.demo',
  'candidat.demo2',
  'rgc.demo',
  'devis.demo',
  'assiduite.demo',
  'rgc.demo2',
  'devis.demo2',
  'admin.agence',
  'conseiller.demo',
  'support.demo',
] as const;
export type ActorName = (typeof ACTORS)[number];
export type SignedInActor = Exclude<ActorName, 'anonymous'>;

interface Profile {
  kind: 'candidate' | 'staff';
  organisation: 'A' | 'B' | 'agency' | null;
  /** `application/role`, as the demo seed grants them (checked against /api/v1/me by the test). */
  habilitations: string[];
}

export const PROFILES: Record<SignedInActor, Profile> = {
  'candidat.demo': { kind: 'candidate', organisation: null, habilitations: [] },
  'candidat.demo2': { kind: 'candidate', organisation: null, habilitations: [] },
  'rgc.demo': { kind: 'staff', organisation: 'A', habilitations: ['gid/account_manager', 'support/user'] },
  'devis.demo': { kind: 'staff', organisation: 'A', habilitations: ['kairos/quote_editor', 'support/user'] },
  'assiduite.demo': { kind: 'staff', organisation: 'A', habilitations: ['kairos/attendance_officer', 'support/user'] },
  'rgc.demo2': { kind: 'staff', organisation: 'B', habilitations: ['gid/account_manager', 'support/user'] },
  'devis.demo2': { kind: 'staff', organisation: 'B', habilitations: ['kairos/quote_editor', 'support/user'] },
  'admin.agence': { kind: 'staff', organisation: 'agency', habilitations: ['gid/agency_admin', 'kairos/agency_admin'] },
  'conseiller.demo': { kind: 'staff', organisation: 'agency', habilitations: ['kairos/advisor'] },
  'support.demo': { kind: 'staff', organisation: 'agency', habilitations: ['support/agent'] },
};

const ORG_A: ActorName[] = ['rgc.demo', 'devis.demo', 'assiduite.demo'];
/** Actors who must never see anything of organisation A or candidate A. */
export const OUTSIDERS: readonly ActorName[] = ['anonymous', 'candidat.demo2', 'rgc.demo2', 'devis.demo2'];

/** The objects the matrix creates before it runs (see access-matrix.test.ts), and who reaches each. */
export const FIXTURES = {
  organisationA: [...ORG_A, 'admin.agence'],
  userA: [...ORG_A, 'admin.agence'], // a staff account of A (not yet activated)
  habilitationA: [...ORG_A, 'admin.agence'], // a habilitation of that account
  quoteA: [...ORG_A, 'conseiller.demo', 'candidat.demo'], // approved: agreement and training exist
  templateA: ORG_A,
  trainingA: [...ORG_A, 'conseiller.demo', 'candidat.demo'], // created by the approval of quoteA
  month: null, // the first month of trainingA
  supportRequestA: ['devis.demo', 'support.demo'], // devis.demo's, with a screenshot
  attachmentA: ['devis.demo', 'support.demo'],
  sessionA: ['candidat.demo'], // a spare session of candidat.demo
  alertA: ['rgc.demo', 'admin.agence'], // a bulk-access alert on userA
  managerChangeA: ['admin.agence'], // a pending change of account manager of A
  membershipRequest: ['admin.agence'], // a pending adhesion request
  letter: ['admin.agence'], // a letter of a newly approved organisation
  errorReferenceA: null, // an error met by devis.demo (support agents see all)
  candidateA: null, // identifier 1234567A (advisors see all candidates)
  helpArticle: null, // a help article's slug (public)
  webhookA: ['rgc.demo'], // a webhook of A (its account manager only)
  webhookDeliveryA: ['rgc.demo'], // a failed delivery of webhookA
  apiTokenA: ['rgc.demo', 'admin.agence'], // an API token of A (reader)
  passkeyA: ['candidat.demo'], // a passkey of candidat.demo (each account reaches its own only)
  sheetA: ORG_A, // an open attendance sheet of trainingA's session
} satisfies Record<string, readonly ActorName[] | null>;
export type FixtureKey = keyof typeof FIXTURES;

/** Path parameter → fixture: by name, and for `:id` by the longest matching path prefix. */
const PARAM_FIXTURES: Record<string, FixtureKey> = {
  orgId: 'organisationA',
  userId: 'userA',
  habilitationId: 'habilitationA',
  sessionId: 'sessionA',
  attachmentId: 'attachmentA',
  requestId: 'errorReferenceA',
  identifier: 'candidateA',
  slug: 'helpArticle',
  month: 'month',
  deliveryId: 'webhookDeliveryA',
  tokenId: 'apiTokenA',
};
const ID_PREFIXES: Array<[string, FixtureKey]> = [
  ['/api/v1/me/passkeys/', 'passkeyA'],
  ['/compte/cles-d-acces/', 'passkeyA'],
  ['/api/v1/organisations/:orgId/webhooks/', 'webhookA'],
  ['/gid/api/webhooks/', 'webhookA'],
  ['/api/v1/support-requests/', 'supportRequestA'],
  ['/support/demandes/', 'supportRequestA'],
  ['/api/v1/quote-templates/', 'templateA'],
  ['/devis/modeles/', 'templateA'],
  ['/api/v1/quotes/', 'quoteA'],
  ['/devis/', 'quoteA'],
  ['/mon-espace/devis/', 'quoteA'],
  ['/conseiller/devis/', 'quoteA'],
  ['/api/v1/membership-requests/', 'membershipRequest'],
  ['/admin/adhesions/', 'membershipRequest'],
  ['/api/v1/letters/', 'letter'],
  ['/admin/courriers/', 'letter'],
  ['/api/v1/account-manager-changes/', 'managerChangeA'],
  ['/admin/changements-responsable/', 'managerChangeA'],
  ['/api/v1/security/alerts/', 'alertA'],
  ['/securite/alertes/', 'alertA'],
  ['/api/v1/api-tokens/', 'apiTokenA'],
  ['/gid/api/', 'apiTokenA'],
  ['/admin/jetons-api/', 'apiTokenA'],
  ['/api/v1/attendance-sheets/', 'sheetA'],
  ['/kairos/emargement/', 'sheetA'],
  ['/api/v1/trainings/', 'trainingA'],
  ['/api/v1/me/trainings/', 'trainingA'],
  ['/kairos/formations/', 'trainingA'],
  ['/mon-espace/formations/', 'trainingA'],
];

export const routeKey = (r: { method: string; url: string }) => `${r.method} ${r.url}`;
/** The names of a route's path parameters (`:month.pdf` gives `month`). */
export const paramsOf = (url: string) => [...url.matchAll(/:([A-Za-z]+)/g)].map((m) => m[1]!);

/** The fixture a path parameter stands for, or null when the policy knows none (the test then fails). */
export function fixtureFor(url: string, param: string): FixtureKey | null {
  if (param !== 'id') return PARAM_FIXTURES[param] ?? null;
  const match = ID_PREFIXES.filter(([prefix]) => url.startsWith(prefix)).sort((a, b) => b[0].length - a[0].length)[0];
  return match ? match[1] : null;
}

/**
 * What a cell must answer:
 * - `ok`: 2xx or 3xx (not a redirect to the sign-in page);
 * - `allowed`: past every access check — anything but 401, 403, 404, 405, 429, a redirect to
 *   sign-in or a 5xx (a 400/409/410/415/422 to a deliberately harmless body is fine);
 * - `signIn`: 401 for the API, a 303 to /connexion?suite=… for pages;
 * - a number: exactly that status; a list: one of them.
 */
export type Expect = 'ok' | 'allowed' | 'signIn' | number | number[];

export interface RoutePolicy {
  /** Who reaches this route's object when it differs from its fixtures' (see FIXTURES). */
  reach?: readonly ActorName[];
  /** Single cells that differ from the computed expectation. */
  cells?: Partial<Record<ActorName, Expect>>;
  /** Query string to add (without `?`); `{fixture}` stands for a fixture's value. */
  query?: string;
  /** JSON body for the API, form fields for pages (the CSRF field is added); default `{}`. */
  body?: Record<string, unknown>;
  /** Each call ends the session it is made with: it is made with a spare session of the actor. */
  endsSession?: true;
  /** The call may delete or change its object: these fixtures are created anew for every cell (in this order). */
  fresh?: Array<'templateA' | 'userA' | 'habilitationA' | 'sessionA' | 'webhookA' | 'passkeyA'>;
  /** Why the entry says what it says. */
  why?: string;
}

// Shorthands for the entries below.
const everyone = (e: Expect): Partial<Record<ActorName, Expect>> => Object.fromEntries(ACTORS.map((a) => [a, e]));
const signedInActors = (e: Expect): Partial<Record<ActorName, Expect>> => Object.fromEntries(ACTORS.filter((a) => a !== 'anonymous').map((a) => [a, e]));

const CREDENTIALS = 'public credential forms: empty credentials get the one generic refusal (401) or, after a few, the throttle (429) — never in';
const STEP_UP = 'adding or removing a passkey needs a sign-in or confirmation of identity of the last minutes: 403 past them, whoever asks';
const AGENCY_READS = 'the agency administrator reads, suspends and reactivates accounts of an organisation, but creating, deleting and granting are its account manager’s (service refusal)';

export const POLICY: Record<string, RoutePolicy> = {
  // Platform and help (public).
  'GET /healthz': {},
  'GET /readyz': {},
  'GET /api/openapi.json': {},
  'GET /api/docs': {},
  'GET /metrics': { why: 'the matrix calls from loopback, where Prometheus scrapes: every actor alike; other peers get 404 (metrics.test.ts)' },
  'GET /aide': {},
  'GET /confidentialite': {},
  'GET /aide/recherche': { query: 'q=devis' },
  'GET /aide/:slug': {},
  'GET /api/v1/help/articles': {},

  // Support: error references, requests, the agents' queue.
  'GET /api/v1/support/references/:requestId': {},
  'GET /compte/incidents': {},
  'POST /api/v1/support-requests': {},
  'GET /api/v1/support-requests': {},
  'GET /api/v1/support/queue': { query: 'organisation={organisationA}' },
  'GET /api/v1/support-requests/:id': {},
  // Valid bodies: these routes check the body before looking the request up (a 422 that tells a
  // stranger nothing, whatever the id), so only a valid one shows the tenant's 404.
  'POST /api/v1/support-requests/:id/messages': { body: { body: 'Message de contrôle de la matrice.' } },
  'POST /api/v1/support-requests/:id/status': { body: { status: 'closed' } },
  'GET /api/v1/support-requests/:id/attachments/:attachmentId': {},
  'GET /support/demandes/nouvelle': {},
  'POST /support/demandes/nouvelle': {},
  'GET /support/demandes': {},
  'GET /support/demandes/:id': {},
  'POST /support/demandes/:id/reponse': { body: { body: 'Réponse de contrôle de la matrice.' } },
  'POST /support/demandes/:id/statut': { body: { status: 'closed' } },
  'GET /support/file': {},

  // Sign-in, sessions, account.
  'POST /api/v1/session': {},
  'DELETE /api/v1/session': { endsSession: true },
  'GET /api/v1/me': {},
  'GET /api/v1/me/sessions': {},
  'DELETE /api/v1/me/sessions/:sessionId': { fresh: ['sessionA'] },
  'POST /api/v1/me/password': {},
  'GET /connexion': {},
  'POST /connexion': { cells: everyone([401, 429]), why: CREDENTIALS },
  'POST /deconnexion': { endsSession: true, cells: { ...signedInActors(303) }, why: 'signing out redirects to the sign-in page' },
  'GET /compte/mot-de-passe': {},
  'POST /compte/mot-de-passe': {},
  'POST /api/v1/me/second-factor': {},
  'POST /api/v1/me/second-factor/confirm': {},
  'GET /compte/double-authentification': {},
  'POST /compte/double-authentification': {},
  'POST /compte/double-authentification/confirmation': {},
  'POST /api/v1/session/passkey/options': {},
  'POST /api/v1/session/passkey': {},
  'GET /api/v1/me/passkeys': {},
  'POST /api/v1/me/passkeys/options': { cells: signedInActors([200, 403]), why: STEP_UP },
  'POST /api/v1/me/passkeys': {},
  'DELETE /api/v1/me/passkeys/:id': { fresh: ['passkeyA'], cells: { 'candidat.demo': [204, 403] }, why: `one's own passkey only (anyone else's is a 404); ${STEP_UP}` },
  'GET /compte/cles-d-acces': {},
  'POST /compte/cles-d-acces/:id/suppression': { fresh: ['passkeyA'], cells: { 'candidat.demo': [303, 403] }, why: `one's own passkey only (anyone else's is a 404); ${STEP_UP}` },
  'POST /compte/confirmation-identite': { cells: signedInActors([401, 429]), why: 'an empty password and code confirm nothing: the one refusal (401) or, after a few, the throttle (429)' },

  // Portal.
  'GET /api/v1/me/applications': {},
  'GET /': {},
  'GET /portail': {},
  'POST /portail/sessions/:sessionId/fin': { fresh: ['sessionA'] },
  'GET /kairos': {},
  'GET /api/v1/dashboard': {},
  // Spreadsheet exports: the access rule of the list each one exports; filters keep them to the matrix's own objects.
  'GET /api/v1/exports/quotes.csv': { query: 'q=Matrice' },
  'GET /api/v1/exports/quotes.xlsx': { query: 'q=Matrice' },
  'GET /api/v1/exports/trainings.csv': { query: 'session=SE_0000123456' },
  'GET /api/v1/exports/trainings.xlsx': { query: 'session=SE_0000123456' },
  'GET /api/v1/exports/attendance.csv': { query: 'session=SE_0000123456&month={month}' },
  'GET /api/v1/exports/attendance.xlsx': { query: 'session=SE_0000123456&month={month}' },
  'GET /api/v1/exports/statistics.csv': {},
  'GET /api/v1/exports/statistics.xlsx': {},
  'GET /assistance': {},
  'GET /api/v1/outbox': {},
  'GET /admin/courriels': {},

  // GID: users and habilitations of organisation A.
  'GET /api/v1/organisations/:orgId/users': { query: 'q=Matric' },
  'POST /api/v1/organisations/:orgId/users': { cells: { 'admin.agence': 403 }, why: AGENCY_READS },
  'POST /api/v1/organisations/:orgId/users/:userId/suspend': { fresh: ['userA'] },
  'POST /api/v1/organisations/:orgId/users/:userId/reactivate': { fresh: ['userA'] },
  'DELETE /api/v1/organisations/:orgId/users/:userId': { fresh: ['userA'], cells: { 'admin.agence': 403 }, why: AGENCY_READS },
  'POST /api/v1/organisations/:orgId/users/:userId/habilitations': { cells: { 'admin.agence': 403 }, why: AGENCY_READS },
  'DELETE /api/v1/organisations/:orgId/users/:userId/habilitations/:habilitationId': { fresh: ['userA', 'habilitationA'], cells: { 'admin.agence': 403 }, why: AGENCY_READS },
  'GET /gid': {},
  'POST /gid/utilisateurs': { cells: { 'admin.agence': 403 }, why: AGENCY_READS },
  'GET /gid/utilisateurs/:userId': {},
  'POST /gid/utilisateurs/:userId/habilitations': { cells: { 'admin.agence': 403 }, why: AGENCY_READS },
  'POST /gid/utilisateurs/:userId/habilitations/:habilitationId/retrait': { fresh: ['userA', 'habilitationA'], cells: { 'admin.agence': 403 }, why: AGENCY_READS },
  'POST /gid/utilisateurs/:userId/suspension': { fresh: ['userA'] },
  'POST /gid/utilisateurs/:userId/reactivation': { fresh: ['userA'] },
  'POST /gid/utilisateurs/:userId/suppression': { fresh: ['userA'], body: { confirmation: 'oui' }, cells: { 'admin.agence': 403 }, why: AGENCY_READS },

  // GID governance: access review, security policy, change of account manager, audit trail.
  'GET /api/v1/organisations/:orgId/access-review': {},
  'POST /api/v1/organisations/:orgId/access-review/decisions': {},
  'GET /gid/revue': {},
  'POST /gid/revue': {},
  'GET /api/v1/organisations/:orgId/security-policy': {},
  'PUT /api/v1/organisations/:orgId/security-policy': {},
  'GET /api/v1/security-policies/missing': {},
  'GET /gid/politique-securite': {},
  'POST /gid/politique-securite': {},
  'GET /admin/politiques-securite': {},
  'POST /api/v1/organisations/:orgId/account-manager-change': {},
  // Webhooks: the account manager of the organisation only; deleting or replaying uses up its object.
  'POST /api/v1/organisations/:orgId/webhooks': {},
  'GET /api/v1/organisations/:orgId/webhooks': {},
  'PATCH /api/v1/organisations/:orgId/webhooks/:id': {},
  'DELETE /api/v1/organisations/:orgId/webhooks/:id': { fresh: ['webhookA'] },
  'GET /api/v1/organisations/:orgId/webhooks/:id/deliveries': {},
  'POST /api/v1/organisations/:orgId/webhooks/:id/deliveries/:deliveryId/replay': { fresh: ['webhookA'] },
  'GET /gid/api/webhooks': {},
  'POST /gid/api/webhooks': {},
  'GET /gid/api/webhooks/:id': {},
  'POST /gid/api/webhooks/:id/supprimer': { fresh: ['webhookA'] },
  'POST /gid/api/webhooks/:id/envois/:deliveryId/rejouer': { fresh: ['webhookA'] },
  'GET /api/v1/account-manager-changes': {},
  'POST /api/v1/account-manager-changes/:id/approve': { body: { reason: 42 }, why: 'an invalid reason: approving would take the role from rgc.demo' },
  'POST /api/v1/account-manager-changes/:id/reject': {},
  'GET /gid/responsable': {},
  'POST /gid/responsable': {},
  'GET /admin/changements-responsable': {},
  'POST /admin/changements-responsable/:id/approuver': { body: { reason: 'x'.repeat(5000) }, why: 'a reason too long: approving would take the role from rgc.demo' },
  'POST /admin/changements-responsable/:id/refuser': {},
  // API tokens: A's account manager for A's; the agency for everyone's. Revoking twice answers the same.
  'POST /api/v1/organisations/:orgId/api-tokens': {},
  'GET /api/v1/organisations/:orgId/api-tokens': {},
  'DELETE /api/v1/organisations/:orgId/api-tokens/:tokenId': {},
  'GET /api/v1/api-tokens': {},
  'DELETE /api/v1/api-tokens/:id': {},
  'GET /gid/api': {},
  'POST /gid/api': {},
  'POST /gid/api/:id/revoquer': {},
  'GET /admin/jetons-api': {},
  'POST /admin/jetons-api/:id/revoquer': {},
  // Organisation A's trail: its account manager and the agency only (another manager: 404).
  'GET /api/v1/audit': { query: 'organisation={organisationA}', reach: ['rgc.demo', 'admin.agence'] },
  'GET /gid/journal': { query: 'organisation={organisationA}', reach: ['rgc.demo'] },
  'GET /admin/journal': { query: 'organisation={organisationA}' },

  // Onboarding: adhesion requests, letters, activation.
  'POST /api/v1/membership-requests': {},
  'GET /api/v1/membership-requests': {},
  'GET /api/v1/membership-requests/:id': {},
  'POST /api/v1/membership-requests/:id/approve': {},
  'POST /api/v1/membership-requests/:id/reject': {},
  'GET /api/v1/letters': { query: 'organisation={organisationA}' },
  'GET /api/v1/letters/:id/pdf': {},
  'POST /api/v1/letters/:id/sent': {},
  'POST /api/v1/letters/:id/regenerate': {},
  'POST /api/v1/activation': { cells: everyone([401, 422, 429]), why: CREDENTIALS },
  'POST /api/v1/activation/confirm': { cells: everyone([401, 422, 429]), why: CREDENTIALS },
  'GET /adhesion': {},
  'POST /adhesion': {},
  'GET /admin/adhesions': {},
  'GET /admin/adhesions/:id': {},
  'POST /admin/adhesions/:id/acceptation': {},
  'POST /admin/adhesions/:id/refus': {},
  'GET /admin/courriers/:id/pdf': {},
  'POST /admin/courriers/:id/envoye': {},
  'POST /admin/courriers/:id/regenerer': {},
  'GET /activation': {},
  'POST /activation': { cells: everyone([401, 422, 429]), why: CREDENTIALS },
  'POST /activation/confirmation': { cells: everyone([401, 422, 429]), why: CREDENTIALS },

  // Candidates and quotes.
  'POST /api/v1/candidates': {},
  'GET /api/v1/candidates': { query: 'q=Martin' },
  'GET /api/v1/candidates/:identifier': {},
  'GET /api/v1/me/profile': {},
  // The candidate's right of access: their own data only, whoever asks (staff: 403).
  'GET /api/v1/me/data-export': {},
  'GET /api/v1/me/data-export.pdf': {},
  'POST /api/v1/quotes': {},
  // Searches for quote A's title (queries echo in forms, so never a marker itself): organisation B's lists must come back without A's quote.
  'GET /api/v1/quotes': { query: 'q=Matrice' },
  'GET /api/v1/quotes/:id': {},
  // Valid bodies on the approved quoteA: its own parties meet a 409, anyone else the tenant's 404.
  'PATCH /api/v1/quotes/:id': { body: { type: 'AIF' } },
  'POST /api/v1/quotes/:id/submit': {},
  'POST /api/v1/quotes/:id/cancel': {},
  'POST /api/v1/quotes/:id/new-version': {},
  'POST /api/v1/quotes/:id/candidate-decision': { body: { decision: 'decline' } },
  'POST /api/v1/quotes/:id/decision': { body: { decision: 'refuse', reason: 'Contrôle de la matrice.' } },
  'GET /api/v1/quotes/:id/agreement.pdf': {},
  'GET /api/v1/quote-queue': {},
  'GET /api/v1/me/quotes': {},
  'GET /api/v1/quote-templates': {},
  'POST /api/v1/quote-templates': {},
  'GET /api/v1/quote-templates/:id': {},
  'PATCH /api/v1/quote-templates/:id': {},
  'DELETE /api/v1/quote-templates/:id': { fresh: ['templateA'] },
  'GET /devis': { query: 'q=Matrice' },
  'GET /devis/nouveau': {},
  'POST /devis/nouveau': {},
  'POST /devis/apercu': {},
  'GET /devis/:id': {},
  'POST /devis/:id': {},
  'POST /devis/:id/annuler': {},
  'POST /devis/:id/nouvelle-version': {},
  'GET /devis/modeles': {},
  'POST /devis/modeles/:id/renommer': {},
  'POST /devis/modeles/:id/supprimer': { fresh: ['templateA'] },
  'POST /devis/:id/modele': {},
  'GET /mon-espace': {},
  'GET /mon-espace/devis/:id': {},
  'POST /mon-espace/devis/:id/decision': { body: { decision: 'decline' } },
  'GET /conseiller/devis': {},
  'GET /conseiller/devis/:id': {},
  'POST /conseiller/devis/:id/decision': { body: { decision: 'refuse', reason: 'Contrôle de la matrice.' } },

  // Training follow-up.
  'GET /api/v1/trainings': { query: 'session=SE_0000123456' },
  'GET /api/v1/trainings/:id': {},
  'POST /api/v1/trainings/:id/entry': {},
  'GET /api/v1/trainings/:id/attendance': { query: 'month={month}' },
  'PUT /api/v1/trainings/:id/attendance': {},
  'GET /api/v1/trainings/:id/statements/:month.pdf': {},
  'GET /api/v1/trainings/:id/statements/:month': {},
  'POST /api/v1/trainings/:id/statements/:month/submit': {},
  'POST /api/v1/trainings/:id/statements/:month/corrections': {},
  'POST /api/v1/trainings/:id/withdrawal': {},
  'POST /api/v1/trainings/:id/exit': {},
  'POST /api/v1/trainings/:id/report': {},
  'GET /api/v1/training-alerts': {},
  'POST /api/v1/attendance-imports': {},
  'POST /api/v1/attendance-sheets': {},
  'GET /api/v1/attendance-sheets': { why: 'advisors too: the sheets where one of their candidates is planned (attendance-sheets.test.ts)' },
  'GET /api/v1/attendance-sheets/:id': {},
  'GET /api/v1/trainings/:id/signatures/:month.pdf': {},
  'GET /api/v1/me/trainings/:id/signatures/:month.pdf': {},
  'GET /api/v1/attendance-sheets/:id.pdf': { reach: [...ORG_A, 'conseiller.demo', 'candidat.demo'], why: 'the PDF is also for the advisor of a trainee on the sheet and for the trainee, each seeing only their lines' },
  'POST /api/v1/attendance-sheets/:id/close': {},
  'POST /api/v1/me/attendance-signatures': {},
  'GET /kairos/emargement': {},
  'POST /kairos/emargement': {},
  'GET /kairos/emargement/:id': {},
  'POST /kairos/emargement/:id/cloture': {},
  'GET /emarger': { why: 'without a scanned code the signing page says how to get one (a code is checked: attendance-sheets.test.ts)' },
  'POST /emarger': {},
  'GET /api/v1/me/trainings': {},
  'GET /api/v1/me/trainings/:id': {},
  'GET /api/v1/me/trainings/:id/attendance': { query: 'month={month}' },
  'GET /api/v1/me/trainings/:id/statements/:month.pdf': {},
  'GET /kairos/formations': {},
  'GET /kairos/formations/:id': {},
  'POST /kairos/formations/:id/entree': {},
  'POST /kairos/formations/:id/transmission': {},
  'POST /kairos/formations/:id/correction': {},
  'POST /kairos/formations/:id/abandon': {},
  'POST /kairos/formations/:id/sortie': {},
  'POST /kairos/formations/:id/bilan': {},
  'GET /kairos/assiduite': {},
  'POST /kairos/assiduite': {},
  'GET /kairos/assiduite/import': {},
  'POST /kairos/assiduite/import': {},
  'GET /mon-espace/formations': {},
  'GET /mon-espace/formations/:id': {},

  // Security alerts.
  'GET /api/v1/security/alerts': {},
  'GET /api/v1/security/alerts/:id': {},
  'POST /api/v1/security/alerts/:id/reinstate': {},
  'GET /securite/alertes': {},
  'GET /securite/alertes/:id': {},
  'POST /securite/alertes/:id/retablir': {},
};

/** Does `rule` let `actor` in? An evaluation of the rule kinds of policy.ts, independent of its code. */
export function ruleAllows(rule: AccessRule, actor: ActorName): 'allow' | 'signIn' | 'forbidden' {
  if (actor === 'anonymous') return rule.kind === 'public' ? 'allow' : 'signIn';
  const p = PROFILES[actor];
  switch (rule.kind) {
    case 'public':
    case 'signedIn':
      return 'allow';
    case 'candidate':
      return p.kind === 'candidate' ? 'allow' : 'forbidden';
    case 'habilitation':
      return p.habilitations.some((h) => {
        const [application, role] = h.split('/');
        return application === rule.application && (!rule.roles || rule.roles.includes(role!));
      })
        ? 'allow'
        : 'forbidden';
    case 'anyOf':
      return rule.rules.some((r) => ruleAllows(r, actor) === 'allow') ? 'allow' : 'forbidden';
  }
}

/** The expected answer of one cell (see the header comment for the steps). */
export function expectedCell(method: string, rule: AccessRule, policy: RoutePolicy, fixtures: readonly FixtureKey[], actor: ActorName): Expect {
  const override = policy.cells?.[actor];
  if (override !== undefined) return override;
  const decision = ruleAllows(rule, actor);
  if (decision === 'signIn') return 'signIn';
  if (decision === 'forbidden') return 403;
  const reach = policy.reach ?? fixtures.reduce<readonly ActorName[] | null>((acc, f) => {
    const who = FIXTURES[f] as readonly ActorName[] | null;
    if (!who) return acc;
    return acc ? acc.filter((a) => who.includes(a)) : who;
  }, null);
  if (reach && !reach.includes(actor)) return 404;
  return method === 'GET' ? 'ok' : 'allowed';
}
