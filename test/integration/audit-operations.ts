/**
 * What the audit log must record (docs/product/security.md#audit-log), read by
 * audit-completeness.test.ts.
 *
 * OPERATIONS: every state-changing route of the route table (POST, PUT, PATCH, DELETE; API and
 * page forms alike) → the audit action(s) one successful call writes, and how to make that call
 * (as an allowed demo actor, on an object a builder of audit-world.ts put in the right state);
 * or an exemption with its reason. A route missing here fails the test.
 * VIEWS: the reads of a candidate's personal data by someone else than the candidate (advisors,
 * agency staff, the organisation's exports) → the audit action each writes. NOT_VIEWS: every other
 * GET route, with the reason it is not such a view. A GET route in neither fails the test too.
 */
import { randomUUID } from 'node:crypto';
import type { LightMyRequestResponse } from 'fastify';
import { DEMO_PASSWORD } from '../../src/demo/accounts.js';
import { totpCodeAt } from '../../src/modules/identity/second-factor/totp.js';
import { refreshDashboardFigures } from '../../src/modules/dashboard/index.js';
import { CSV_HEADER } from '../../src/modules/training/index.js';
import { type AuditWorld, NEW_PASSWORD, quoteForm, screenshot } from '../helpers/audit-world.js';
import { apiCall } from '../helpers/fixtures.js';
import { membershipRequest } from '../helpers/onboarding.js';
import { SoftwareAuthenticator } from '../helpers/passkey-authenticator.js';
import { demoOtp, signInAs, type SignedIn } from '../helpers/session.js';

export interface Performed {
  res: LightMyRequestResponse;
  /** Login of the account the audit rows must name; null when no one is signed in. */
  actor: string | null;
  /** What the first expected row is about (its id when the test can know it). */
  target?: { type: string; id?: string };
}

export type Operation = { audit: readonly string[]; run(w: AuditWorld): Promise<Performed> } | { exempt: string };

const OPENING_SHEET =
  'audited (attendance_sheet.opened), proven by attendance-sheets.test.ts: a sheet opens only from 30 minutes before its half-day until its end, an hour this test’s clock does not follow';

const PENDING_SECRET =
  'stores a pending TOTP secret, replaced by the next attempt and without effect until confirmed; the confirmation, which makes it the account’s factor, is audited (second_factor.enrolled)';

const CHALLENGE =
  'stores a WebAuthn challenge, single use and without effect until a passkey answers it within 5 minutes; what that answer does (enrolment, sign-in) is audited';

/** A session of devis.demo2 just signed in (adding or removing a passkey needs a recent sign-in), and its passkey. */
async function freshPasskey(w: AuditWorld): Promise<{ session: SignedIn; authenticator: SoftwareAuthenticator; id: string }> {
  const session = await signInAs(w.rt.app, w.rt.clock, 'devis.demo2');
  const authenticator = new SoftwareAuthenticator(w.rt.ctx.config.passkeys.origin, w.rt.ctx.config.passkeys.rpId);
  const options = (await apiCall(w.rt.app, session, 'POST', '/api/v1/me/passkeys/options')).json() as { challenge: string; user: { id: string } };
  const created = await apiCall(w.rt.app, session, 'POST', '/api/v1/me/passkeys', { name: `Clé ${w.next()}`, response: authenticator.register(options) });
  return { session, authenticator, id: idOf(created)! };
}
const passkey = (id: string) => ({ type: 'passkey', id });

const idOf = (res: LightMyRequestResponse): string | undefined => {
  try {
    return (res.json() as { id?: string }).id;
  } catch {
    return undefined;
  }
};
const tokenBody = (w: AuditWorld) => ({ name: 'Jeton du journal', roles: ['reader'], expiresAt: new Date(w.rt.clock.now().getTime() + 60 * 86_400_000).toISOString(), allowedIps: [] });
/** A live API token of A, issued by its account manager. */
const apiToken = async (w: AuditWorld) => (await w.apiOk<{ id: string }>('rgc.demo', 'POST', `/api/v1/organisations/${w.orgA}/api-tokens`, tokenBody(w), 201)).id;
/** The id in a page's redirect (`/gid/utilisateurs/<id>?…`). */
const idInLocation = (res: LightMyRequestResponse) => /\/([0-9a-f-]{36})(?:\?|$)/.exec(String(res.headers.location ?? ''))?.[1];

const webhooksOf = (w: AuditWorld) => `/api/v1/organisations/${w.orgA}/webhooks`;
const webhook = (id: string | undefined) => ({ type: 'webhook', id });
async function newWebhook(w: AuditWorld): Promise<string> {
  const res = await w.api('rgc.demo', 'POST', webhooksOf(w), { url: `http://127.0.0.1:9/audit-${w.next()}`, events: ['quote.status_changed'] });
  return idOf(res)!;
}
/** A delivery its job gave up on (what a replay starts again). */
async function failedDelivery(w: AuditWorld, endpointId: string): Promise<string> {
  const now = w.rt.clock.now();
  const row = await w.rt.ctx.db
    .insertInto('webhook_delivery')
    .values({ endpoint_id: endpointId, event_id: randomUUID(), event_type: 'quote.status_changed', body: '{}', status: 'failed', attempts: 8, created_at: now })
    .returning('id')
    .executeTakeFirstOrThrow();
  return row.id;
}
const usersOf = (w: AuditWorld) => `/api/v1/organisations/${w.orgA}/users`;
const account = (id: string) => ({ type: 'account', id });
const quote = (id: string) => ({ type: 'quote', id });
const training = (id: string) => ({ type: 'training', id });
const REPORT = { outcome: 'completed', certification: 'full', skills: 'Développement web.', difficulties: 'Aucune.', nextSteps: 'Recherche d’emploi.', employmentOutcome: '' };
const NOTE = 'Poste analysé et titulaire joint : aucun logiciel espion.';

/** Changes candidat.demo2's password (its sessions end; the world signs it in again with the new one). */
async function passwordChange(w: AuditWorld, send: (current: string, next: string) => Promise<LightMyRequestResponse>): Promise<Performed> {
  const login = 'candidat.demo2';
  const current = w.passwords.get(login) ?? DEMO_PASSWORD;
  const next = NEW_PASSWORD(w.next());
  const res = await send(current, next);
  w.forget(login);
  if (res.statusCode < 400) w.passwords.set(login, next);
  return { res, actor: login, target: account(await w.accountId(login)) };
}

/** A support request's activity, by `login`. */
const supportTarget = (id: string) => ({ type: 'support_request', id });

export const OPERATIONS: Record<string, Operation> = {
  // Sign-in, sessions, account.
  'POST /api/v1/session': {
    audit: ['sign_in.succeeded'],
    async run(w) {
      w.rt.clock.advance(30_000);
      const res = await w.rt.app.inject({ method: 'POST', url: '/api/v1/session', payload: { login: 'conseiller.demo', password: DEMO_PASSWORD, otp: demoOtp(w.rt.clock) } });
      return { res, actor: 'conseiller.demo' };
    },
  },
  'POST /connexion': {
    audit: ['sign_in.succeeded'],
    async run(w) {
      w.rt.clock.advance(30_000);
      return { res: await w.form(null, '/connexion', { login: 'assiduite.demo', password: DEMO_PASSWORD, otp: demoOtp(w.rt.clock) }), actor: 'assiduite.demo' };
    },
  },
  'DELETE /api/v1/session': {
    audit: ['sign_out'],
    async run(w) {
      const { session } = await w.spare('support.demo');
      return { res: await apiCall(w.rt.app, session, 'DELETE', '/api/v1/session'), actor: 'support.demo' };
    },
  },
  'POST /deconnexion': {
    audit: ['sign_out'],
    async run(w) {
      const { session } = await w.spare('support.demo');
      return { res: await w.form(session, '/deconnexion'), actor: 'support.demo' };
    },
  },
  'DELETE /api/v1/me/sessions/:sessionId': {
    audit: ['session.revoked'],
    async run(w) {
      const { sessionId } = await w.spare('support.demo');
      return { res: await w.api('support.demo', 'DELETE', `/api/v1/me/sessions/${sessionId}`), actor: 'support.demo', target: { type: 'session', id: sessionId.slice(0, 16) } };
    },
  },
  'POST /portail/sessions/:sessionId/fin': {
    audit: ['session.revoked'],
    async run(w) {
      const { sessionId } = await w.spare('support.demo');
      return { res: await w.form('support.demo', `/portail/sessions/${sessionId}/fin`), actor: 'support.demo', target: { type: 'session', id: sessionId.slice(0, 16) } };
    },
  },
  'POST /api/v1/me/password': {
    audit: ['password.changed'],
    run: (w) => passwordChange(w, (currentPassword, newPassword) => w.api('candidat.demo2', 'POST', '/api/v1/me/password', { currentPassword, newPassword })),
  },
  'POST /compte/mot-de-passe': {
    audit: ['password.changed'],
    run: (w) => passwordChange(w, (currentPassword, newPassword) => w.form('candidat.demo2', '/compte/mot-de-passe', { currentPassword, newPassword })),
  },
  'POST /api/v1/me/second-factor': { exempt: PENDING_SECRET },
  'POST /api/v1/me/passkeys/options': { exempt: CHALLENGE },
  'POST /api/v1/session/passkey/options': { exempt: CHALLENGE },
  'POST /api/v1/me/passkeys': {
    audit: ['passkey.enrolled'],
    async run(w) {
      const session = await signInAs(w.rt.app, w.rt.clock, 'devis.demo2');
      const options = (await apiCall(w.rt.app, session, 'POST', '/api/v1/me/passkeys/options')).json() as { challenge: string; user: { id: string } };
      const authenticator = new SoftwareAuthenticator(w.rt.ctx.config.passkeys.origin, w.rt.ctx.config.passkeys.rpId);
      const res = await apiCall(w.rt.app, session, 'POST', '/api/v1/me/passkeys', { name: 'Clé du journal', response: authenticator.register(options) });
      return { res, actor: 'devis.demo2', target: passkey(idOf(res)!) };
    },
  },
  'DELETE /api/v1/me/passkeys/:id': {
    audit: ['passkey.removed'],
    async run(w) {
      const { session, id } = await freshPasskey(w);
      return { res: await apiCall(w.rt.app, session, 'DELETE', `/api/v1/me/passkeys/${id}`), actor: 'devis.demo2', target: passkey(id) };
    },
  },
  'POST /compte/cles-d-acces/:id/suppression': {
    audit: ['passkey.removed'],
    async run(w) {
      const { session, id } = await freshPasskey(w);
      return { res: await w.form(session, `/compte/cles-d-acces/${id}/suppression`), actor: 'devis.demo2', target: passkey(id) };
    },
  },
  'POST /api/v1/session/passkey': {
    audit: ['sign_in.succeeded'],
    async run(w) {
      const { authenticator } = await freshPasskey(w);
      const options = await w.rt.app.inject({ method: 'POST', url: '/api/v1/session/passkey/options' });
      const flow = options.cookies.find((c) => c.name.endsWith('kairos_passkey_flow'))!;
      const res = await w.rt.app.inject({
        method: 'POST',
        url: '/api/v1/session/passkey',
        headers: { cookie: `${flow.name}=${flow.value}` },
        payload: { response: authenticator.assert(options.json() as { challenge: string }) },
      });
      return { res, actor: 'devis.demo2' };
    },
  },
  'POST /compte/confirmation-identite': {
    audit: ['reauthentication.succeeded'],
    async run(w) {
      w.rt.clock.advance(30_000);
      const res = await w.form('support.demo', '/compte/confirmation-identite', { password: DEMO_PASSWORD, otp: demoOtp(w.rt.clock), suite: '/compte/cles-d-acces' });
      return { res, actor: 'support.demo' };
    },
  },
  'POST /compte/double-authentification': { exempt: PENDING_SECRET },
  'POST /api/v1/me/second-factor/confirm': {
    audit: ['second_factor.enrolled'],
    async run(w) {
      const login = await w.candidateWithoutFactor();
      const otp = await w.startedEnrolment(login);
      return { res: await w.api(login, 'POST', '/api/v1/me/second-factor/confirm', { otp }), actor: login, target: account(await w.accountId(login)) };
    },
  },
  'POST /compte/double-authentification/confirmation': {
    audit: ['second_factor.enrolled'],
    async run(w) {
      const login = await w.candidateWithoutFactor();
      const otp = await w.startedEnrolment(login);
      return { res: await w.form(login, '/compte/double-authentification/confirmation', { otp }), actor: login, target: account(await w.accountId(login)) };
    },
  },

  // GID: users and habilitations of organisation A, by its account manager.
  'POST /api/v1/organisations/:orgId/users': {
    audit: ['gid.user_created'],
    async run(w) {
      const n = w.next();
      const res = await w.api('rgc.demo', 'POST', usersOf(w), { lastName: 'Audit', firstName: 'Sacha', email: `sacha.audit.${n}@organisme.example` });
      return { res, actor: 'rgc.demo', target: { type: 'account', id: idOf(res) } };
    },
  },
  'POST /api/v1/organisations/:orgId/users/:userId/suspend': {
    audit: ['gid.user_suspended'],
    async run(w) {
      const u = await w.staffUser();
      return { res: await w.api('rgc.demo', 'POST', `${usersOf(w)}/${u.id}/suspend`), actor: 'rgc.demo', target: account(u.id) };
    },
  },
  'POST /api/v1/organisations/:orgId/users/:userId/reactivate': {
    audit: ['gid.user_reactivated'],
    async run(w) {
      const u = await w.suspendedUser();
      return { res: await w.api('rgc.demo', 'POST', `${usersOf(w)}/${u.id}/reactivate`), actor: 'rgc.demo', target: account(u.id) };
    },
  },
  'DELETE /api/v1/organisations/:orgId/users/:userId': {
    audit: ['gid.user_deleted'],
    async run(w) {
      const u = await w.staffUser();
      return { res: await w.api('rgc.demo', 'DELETE', `${usersOf(w)}/${u.id}`), actor: 'rgc.demo', target: account(u.id) };
    },
  },
  'POST /api/v1/organisations/:orgId/users/:userId/habilitations': {
    audit: ['gid.habilitation_granted'],
    async run(w) {
      const u = await w.staffUser();
      return { res: await w.api('rgc.demo', 'POST', `${usersOf(w)}/${u.id}/habilitations`, { application: 'kairos', role: 'reader' }), actor: 'rgc.demo', target: account(u.id) };
    },
  },
  'DELETE /api/v1/organisations/:orgId/users/:userId/habilitations/:habilitationId': {
    audit: ['gid.habilitation_revoked'],
    async run(w) {
      const h = await w.grantedHabilitation();
      return { res: await w.api('rgc.demo', 'DELETE', `${usersOf(w)}/${h.userId}/habilitations/${h.habilitationId}`), actor: 'rgc.demo', target: account(h.userId) };
    },
  },
  'POST /gid/utilisateurs': {
    audit: ['gid.user_created'],
    async run(w) {
      const res = await w.form('rgc.demo', '/gid/utilisateurs', { lastName: 'Audit', firstName: 'Alix', email: `alix.audit.${w.next()}@organisme.example` });
      return { res, actor: 'rgc.demo', target: { type: 'account', id: idInLocation(res) } };
    },
  },
  'POST /gid/utilisateurs/:userId/habilitations': {
    audit: ['gid.habilitation_granted'],
    async run(w) {
      const u = await w.staffUser();
      return { res: await w.form('rgc.demo', `/gid/utilisateurs/${u.id}/habilitations`, { habilitation: 'kairos/reader' }), actor: 'rgc.demo', target: account(u.id) };
    },
  },
  'POST /gid/utilisateurs/:userId/habilitations/:habilitationId/retrait': {
    audit: ['gid.habilitation_revoked'],
    async run(w) {
      const h = await w.grantedHabilitation();
      return { res: await w.form('rgc.demo', `/gid/utilisateurs/${h.userId}/habilitations/${h.habilitationId}/retrait`), actor: 'rgc.demo', target: account(h.userId) };
    },
  },
  'POST /gid/utilisateurs/:userId/suspension': {
    audit: ['gid.user_suspended'],
    async run(w) {
      const u = await w.staffUser();
      return { res: await w.form('rgc.demo', `/gid/utilisateurs/${u.id}/suspension`), actor: 'rgc.demo', target: account(u.id) };
    },
  },
  'POST /gid/utilisateurs/:userId/reactivation': {
    audit: ['gid.user_reactivated'],
    async run(w) {
      const u = await w.suspendedUser();
      return { res: await w.form('rgc.demo', `/gid/utilisateurs/${u.id}/reactivation`), actor: 'rgc.demo', target: account(u.id) };
    },
  },
  'POST /gid/utilisateurs/:userId/suppression': {
    audit: ['gid.user_deleted'],
    async run(w) {
      const u = await w.staffUser();
      return { res: await w.form('rgc.demo', `/gid/utilisateurs/${u.id}/suppression`, { confirmation: 'oui' }), actor: 'rgc.demo', target: account(u.id) };
    },
  },

  // Organisation API tokens: issued and revoked by A's account manager, revoked by the agency.
  'POST /api/v1/organisations/:orgId/api-tokens': {
    audit: ['api_token.created'],
    async run(w) {
      const res = await w.api('rgc.demo', 'POST', `/api/v1/organisations/${w.orgA}/api-tokens`, tokenBody(w));
      return { res, actor: 'rgc.demo', target: { type: 'api_token', id: idOf(res) } };
    },
  },
  'DELETE /api/v1/organisations/:orgId/api-tokens/:tokenId': {
    audit: ['api_token.revoked'],
    async run(w) {
      const id = await apiToken(w);
      return { res: await w.api('rgc.demo', 'DELETE', `/api/v1/organisations/${w.orgA}/api-tokens/${id}`), actor: 'rgc.demo', target: { type: 'api_token', id } };
    },
  },
  'DELETE /api/v1/api-tokens/:id': {
    audit: ['api_token.revoked'],
    async run(w) {
      const id = await apiToken(w);
      return { res: await w.api('admin.agence', 'DELETE', `/api/v1/api-tokens/${id}`), actor: 'admin.agence', target: { type: 'api_token', id } };
    },
  },
  'POST /gid/api': {
    audit: ['api_token.created'],
    async run(w) {
      const day = new Date(w.rt.clock.now().getTime() + 60 * 86_400_000).toISOString().slice(0, 10);
      return { res: await w.form('rgc.demo', '/gid/api', { name: 'Jeton du journal', roles: 'reader', expiresAt: day, allowedIps: '' }), actor: 'rgc.demo', target: { type: 'api_token' } };
    },
  },
  'POST /gid/api/:id/revoquer': {
    audit: ['api_token.revoked'],
    async run(w) {
      const id = await apiToken(w);
      return { res: await w.form('rgc.demo', `/gid/api/${id}/revoquer`), actor: 'rgc.demo', target: { type: 'api_token', id } };
    },
  },
  'POST /admin/jetons-api/:id/revoquer': {
    audit: ['api_token.revoked'],
    async run(w) {
      const id = await apiToken(w);
      return { res: await w.form('admin.agence', `/admin/jetons-api/${id}/revoquer`), actor: 'admin.agence', target: { type: 'api_token', id } };
    },
  },

  // GID governance: access review, security policy, change of account manager.
  'POST /api/v1/organisations/:orgId/access-review/decisions': {
    audit: ['access_review.confirmed'],
    async run(w) {
      const habilitationId = await w.reviewItem();
      const res = await w.api('rgc.demo', 'POST', `/api/v1/organisations/${w.orgA}/access-review/decisions`, { habilitationId, decision: 'confirmed' });
      return { res, actor: 'rgc.demo', target: { type: 'habilitation', id: habilitationId } };
    },
  },
  'POST /gid/revue': {
    audit: ['access_review.confirmed'],
    async run(w) {
      const habilitationId = await w.reviewItem();
      return { res: await w.form('rgc.demo', '/gid/revue', { habilitationId, decision: 'confirmed' }), actor: 'rgc.demo', target: { type: 'habilitation', id: habilitationId } };
    },
  },
  'PUT /api/v1/organisations/:orgId/security-policy': {
    audit: ['security_policy.updated'],
    async run(w) {
      await w.securityPolicy();
      const body = { rolesPolicy: `Chaque habilitation est validée par la direction (révision ${w.next()}).`, departuresPolicy: 'Les comptes des partants sont supprimés le jour du départ.' };
      return { res: await w.api('rgc.demo', 'PUT', `/api/v1/organisations/${w.orgA}/security-policy`, body), actor: 'rgc.demo', target: { type: 'security_policy', id: w.orgA } };
    },
  },
  'POST /gid/politique-securite': {
    audit: ['security_policy.updated'],
    async run(w) {
      await w.securityPolicy();
      const fields = { rolesPolicy: `Les rôles sont revus chaque trimestre (révision ${w.next()}).`, departuresPolicy: 'Les comptes des partants sont supprimés le jour du départ.', otherRules: '' };
      return { res: await w.form('rgc.demo', '/gid/politique-securite', fields), actor: 'rgc.demo', target: { type: 'security_policy', id: w.orgA } };
    },
  },
  // Webhooks of organisation A, by its account manager.
  'POST /api/v1/organisations/:orgId/webhooks': {
    audit: ['webhook.created'],
    async run(w) {
      const res = await w.api('rgc.demo', 'POST', webhooksOf(w), { url: `http://127.0.0.1:9/audit-${w.next()}`, events: ['training.entered'] });
      return { res, actor: 'rgc.demo', target: webhook(idOf(res)) };
    },
  },
  'PATCH /api/v1/organisations/:orgId/webhooks/:id': {
    audit: ['webhook.updated'],
    async run(w) {
      const id = await newWebhook(w);
      return { res: await w.api('rgc.demo', 'PATCH', `${webhooksOf(w)}/${id}`, { enabled: false }), actor: 'rgc.demo', target: webhook(id) };
    },
  },
  'DELETE /api/v1/organisations/:orgId/webhooks/:id': {
    audit: ['webhook.deleted'],
    async run(w) {
      const id = await newWebhook(w);
      return { res: await w.api('rgc.demo', 'DELETE', `${webhooksOf(w)}/${id}`), actor: 'rgc.demo', target: webhook(id) };
    },
  },
  'POST /api/v1/organisations/:orgId/webhooks/:id/deliveries/:deliveryId/replay': {
    audit: ['webhook.replayed'],
    async run(w) {
      const id = await newWebhook(w);
      const deliveryId = await failedDelivery(w, id);
      return { res: await w.api('rgc.demo', 'POST', `${webhooksOf(w)}/${id}/deliveries/${deliveryId}/replay`), actor: 'rgc.demo', target: webhook(id) };
    },
  },
  'POST /gid/api/webhooks': {
    audit: ['webhook.created'],
    async run(w) {
      const res = await w.form('rgc.demo', '/gid/api/webhooks', { url: `http://127.0.0.1:9/audit-${w.next()}`, events: 'training.entered' });
      return { res, actor: 'rgc.demo', target: { type: 'webhook' } };
    },
  },
  'POST /gid/api/webhooks/:id/supprimer': {
    audit: ['webhook.deleted'],
    async run(w) {
      const id = await newWebhook(w);
      return { res: await w.form('rgc.demo', `/gid/api/webhooks/${id}/supprimer`), actor: 'rgc.demo', target: webhook(id) };
    },
  },
  'POST /gid/api/webhooks/:id/envois/:deliveryId/rejouer': {
    audit: ['webhook.replayed'],
    async run(w) {
      const id = await newWebhook(w);
      const deliveryId = await failedDelivery(w, id);
      return { res: await w.form('rgc.demo', `/gid/api/webhooks/${id}/envois/${deliveryId}/rejouer`), actor: 'rgc.demo', target: webhook(id) };
    },
  },
  'POST /api/v1/organisations/:orgId/account-manager-change': {
    audit: ['account_manager_change.requested'],
    async run(w) {
      await w.noPendingChangeA();
      const body = { newManagerId: await w.accountId('assiduite.demo'), reason: 'Départ en retraite du responsable actuel.' };
      const res = await w.api('rgc.demo', 'POST', `/api/v1/organisations/${w.orgA}/account-manager-change`, body);
      return { res, actor: 'rgc.demo', target: { type: 'account_manager_change', id: idOf(res) } };
    },
  },
  'POST /gid/responsable': {
    audit: ['account_manager_change.requested'],
    async run(w) {
      await w.noPendingChangeA();
      const fields = { newManagerId: await w.accountId('assiduite.demo'), reason: 'Départ en retraite du responsable actuel.' };
      return { res: await w.form('rgc.demo', '/gid/responsable', fields), actor: 'rgc.demo', target: { type: 'account_manager_change' } };
    },
  },
  'POST /api/v1/account-manager-changes/:id/approve': {
    audit: ['account_manager_change.approved', 'gid.habilitation_granted', 'gid.habilitation_revoked'],
    async run(w) {
      const id = await w.pendingChangeB();
      return { res: await w.api('admin.agence', 'POST', `/api/v1/account-manager-changes/${id}/approve`, {}), actor: 'admin.agence', target: { type: 'account_manager_change', id } };
    },
  },
  'POST /admin/changements-responsable/:id/approuver': {
    audit: ['account_manager_change.approved', 'gid.habilitation_granted', 'gid.habilitation_revoked'],
    async run(w) {
      const id = await w.pendingChangeB();
      return { res: await w.form('admin.agence', `/admin/changements-responsable/${id}/approuver`, { reason: 'Vérifié par téléphone.' }), actor: 'admin.agence', target: { type: 'account_manager_change', id } };
    },
  },
  'POST /api/v1/account-manager-changes/:id/reject': {
    audit: ['account_manager_change.rejected'],
    async run(w) {
      const id = await w.pendingChangeA();
      return { res: await w.api('admin.agence', 'POST', `/api/v1/account-manager-changes/${id}/reject`, { reason: 'Demande non confirmée par la direction.' }), actor: 'admin.agence', target: { type: 'account_manager_change', id } };
    },
  },
  'POST /admin/changements-responsable/:id/refuser': {
    audit: ['account_manager_change.rejected'],
    async run(w) {
      const id = await w.pendingChangeA();
      return { res: await w.form('admin.agence', `/admin/changements-responsable/${id}/refuser`, { reason: 'Demande non confirmée par la direction.' }), actor: 'admin.agence', target: { type: 'account_manager_change', id } };
    },
  },

  // Onboarding: adhesion requests, letters, activation.
  'POST /api/v1/membership-requests': {
    audit: ['membership_request.submitted'],
    async run(w) {
      const res = await w.api(null, 'POST', '/api/v1/membership-requests', membershipRequest());
      return { res, actor: null, target: { type: 'membership_request', id: idOf(res) } };
    },
  },
  'POST /adhesion': {
    audit: ['membership_request.submitted'],
    async run(w) {
      const m = membershipRequest();
      const fields = {
        legalName: m.legalName,
        siret: m.siret,
        nda: m.nda,
        qualiopi: 'oui',
        qualiopiExpiry: m.qualiopiExpiry,
        address: m.address,
        'accountManager.lastName': m.accountManager.lastName,
        'accountManager.firstName': m.accountManager.firstName,
        'accountManager.email': m.accountManager.email,
        'accountManager.phone': m.accountManager.phone,
      };
      return { res: await w.form(null, '/adhesion', fields), actor: null, target: { type: 'membership_request' } };
    },
  },
  'POST /api/v1/membership-requests/:id/approve': {
    audit: ['membership_request.approved', 'organisation.created', 'account.created'],
    async run(w) {
      const id = await w.pendingMembership();
      return { res: await w.api('admin.agence', 'POST', `/api/v1/membership-requests/${id}/approve`), actor: 'admin.agence', target: { type: 'membership_request', id } };
    },
  },
  'POST /admin/adhesions/:id/acceptation': {
    audit: ['membership_request.approved', 'organisation.created', 'account.created'],
    async run(w) {
      const id = await w.pendingMembership();
      return { res: await w.form('admin.agence', `/admin/adhesions/${id}/acceptation`), actor: 'admin.agence', target: { type: 'membership_request', id } };
    },
  },
  'POST /api/v1/membership-requests/:id/reject': {
    audit: ['membership_request.rejected'],
    async run(w) {
      const id = await w.pendingMembership();
      return { res: await w.api('admin.agence', 'POST', `/api/v1/membership-requests/${id}/reject`, { reason: 'Numéro de déclaration d’activité introuvable.' }), actor: 'admin.agence', target: { type: 'membership_request', id } };
    },
  },
  'POST /admin/adhesions/:id/refus': {
    audit: ['membership_request.rejected'],
    async run(w) {
      const id = await w.pendingMembership();
      return { res: await w.form('admin.agence', `/admin/adhesions/${id}/refus`, { reason: 'Numéro de déclaration d’activité introuvable.' }), actor: 'admin.agence', target: { type: 'membership_request', id } };
    },
  },
  'POST /api/v1/letters/:id/sent': {
    audit: ['letter.sent'],
    async run(w) {
      const { identifier } = await w.letters();
      return { res: await w.api('admin.agence', 'POST', `/api/v1/letters/${identifier}/sent`), actor: 'admin.agence', target: { type: 'letter', id: identifier } };
    },
  },
  'POST /admin/courriers/:id/envoye': {
    audit: ['letter.sent'],
    async run(w) {
      const { activation } = await w.letters();
      return { res: await w.form('admin.agence', `/admin/courriers/${activation}/envoye`), actor: 'admin.agence', target: { type: 'letter', id: activation } };
    },
  },
  'POST /api/v1/letters/:id/regenerate': {
    audit: ['letter.activation_regenerated'],
    async run(w) {
      const { activation } = await w.letters();
      const res = await w.api('admin.agence', 'POST', `/api/v1/letters/${activation}/regenerate`);
      return { res, actor: 'admin.agence', target: { type: 'letter', id: idOf(res) } };
    },
  },
  'POST /admin/courriers/:id/regenerer': {
    audit: ['letter.activation_regenerated'],
    async run(w) {
      const { activation } = await w.letters();
      return { res: await w.form('admin.agence', `/admin/courriers/${activation}/regenerer`), actor: 'admin.agence', target: { type: 'letter' } };
    },
  },
  'POST /api/v1/activation': {
    audit: ['activation.started'],
    async run(w) {
      const a = await w.pendingAccount();
      const res = await w.api(null, 'POST', '/api/v1/activation', { login: a.login, activationCode: a.code, password: NEW_PASSWORD(w.next()) });
      return { res, actor: a.login, target: account(a.id) };
    },
  },
  'POST /activation': {
    audit: ['activation.started'],
    async run(w) {
      const a = await w.pendingAccount();
      const res = await w.form(null, '/activation', { login: a.login, activationCode: a.code, password: NEW_PASSWORD(w.next()) });
      return { res, actor: a.login, target: account(a.id) };
    },
  },
  'POST /api/v1/activation/confirm': {
    audit: ['account.activated'],
    async run(w) {
      const a = await w.startedActivation();
      const res = await w.api(null, 'POST', '/api/v1/activation/confirm', { login: a.login, otp: totpCodeAt(a.secret, w.rt.clock.now()) });
      return { res, actor: a.login, target: account(a.id) };
    },
  },
  'POST /activation/confirmation': {
    audit: ['account.activated'],
    async run(w) {
      const a = await w.startedActivation();
      const res = await w.form(null, '/activation/confirmation', { login: a.login, otp: totpCodeAt(a.secret, w.rt.clock.now()) });
      return { res, actor: a.login, target: account(a.id) };
    },
  },

  // Candidates and quotes.
  'POST /api/v1/candidates': {
    audit: ['candidate.created'],
    async run(w) {
      const identifier = `${8_100_000 + w.next()}Q`;
      const body = { identifier, lastName: 'Audit', firstName: 'Sacha', birthDate: '1991-02-03', email: `sacha.${identifier.toLowerCase()}@exemple.fr` };
      const res = await w.api('conseiller.demo', 'POST', '/api/v1/candidates', body);
      return { res, actor: 'conseiller.demo', target: { type: 'candidate', id: res.statusCode === 201 ? await w.candidateId(identifier) : undefined } };
    },
  },
  'POST /api/v1/quotes': {
    audit: ['quote.created'],
    async run(w) {
      const res = await w.api('devis.demo', 'POST', '/api/v1/quotes', w.nextQuote());
      return { res, actor: 'devis.demo', target: { type: 'quote', id: idOf(res) } };
    },
  },
  'PATCH /api/v1/quotes/:id': {
    audit: ['quote.updated'],
    async run(w) {
      const id = await w.draftQuote();
      return { res: await w.api('devis.demo', 'PATCH', `/api/v1/quotes/${id}`, { type: 'AIF' }), actor: 'devis.demo', target: quote(id) };
    },
  },
  'POST /api/v1/quotes/:id/submit': {
    audit: ['quote.submitted'],
    async run(w) {
      const id = await w.draftQuote();
      return { res: await w.api('devis.demo', 'POST', `/api/v1/quotes/${id}/submit`), actor: 'devis.demo', target: quote(id) };
    },
  },
  'POST /api/v1/quotes/:id/cancel': {
    audit: ['quote.cancelled'],
    async run(w) {
      const id = await w.draftQuote();
      return { res: await w.api('devis.demo', 'POST', `/api/v1/quotes/${id}/cancel`, { reason: 'Le candidat a trouvé un emploi.' }), actor: 'devis.demo', target: quote(id) };
    },
  },
  'POST /api/v1/quotes/:id/new-version': {
    audit: ['quote.new_version'],
    async run(w) {
      const id = await w.changesRequestedQuote();
      return { res: await w.api('devis.demo', 'POST', `/api/v1/quotes/${id}/new-version`), actor: 'devis.demo', target: quote(id) };
    },
  },
  'POST /api/v1/quotes/:id/candidate-decision': {
    audit: ['quote.accepted'],
    async run(w) {
      const id = await w.submittedQuote();
      return { res: await w.api('candidat.demo', 'POST', `/api/v1/quotes/${id}/candidate-decision`, { decision: 'accept' }), actor: 'candidat.demo', target: quote(id) };
    },
  },
  'POST /api/v1/quotes/:id/decision': {
    audit: ['quote.approved'],
    async run(w) {
      const id = await w.acceptedQuote();
      return { res: await w.api('conseiller.demo', 'POST', `/api/v1/quotes/${id}/decision`, { decision: 'approve' }), actor: 'conseiller.demo', target: quote(id) };
    },
  },
  'POST /devis/nouveau': {
    audit: ['quote.created'],
    async run(w) {
      const res = await w.form('devis.demo', '/devis/nouveau', quoteForm(w.nextQuote()));
      return { res, actor: 'devis.demo', target: { type: 'quote', id: idInLocation(res) } };
    },
  },
  'POST /devis/apercu': { exempt: 'the live summary of the editor form: computes totals from what is typed and stores nothing' },
  'POST /devis/:id': {
    audit: ['quote.updated', 'quote.submitted'],
    async run(w) {
      const id = await w.draftQuote();
      return { res: await w.form('devis.demo', `/devis/${id}`, quoteForm(w.nextQuote(), 'soumettre')), actor: 'devis.demo', target: quote(id) };
    },
  },
  'POST /devis/:id/annuler': {
    audit: ['quote.cancelled'],
    async run(w) {
      const id = await w.draftQuote();
      return { res: await w.form('devis.demo', `/devis/${id}/annuler`), actor: 'devis.demo', target: quote(id) };
    },
  },
  'POST /devis/:id/nouvelle-version': {
    audit: ['quote.new_version'],
    async run(w) {
      const id = await w.changesRequestedQuote();
      return { res: await w.form('devis.demo', `/devis/${id}/nouvelle-version`), actor: 'devis.demo', target: quote(id) };
    },
  },
  'POST /mon-espace/devis/:id/decision': {
    audit: ['quote.declined'],
    async run(w) {
      const id = await w.submittedQuote();
      return { res: await w.form('candidat.demo', `/mon-espace/devis/${id}/decision`, { decision: 'decline', comment: 'J’ai trouvé une autre formation.' }), actor: 'candidat.demo', target: quote(id) };
    },
  },
  'POST /conseiller/devis/:id/decision': {
    audit: ['quote.refused'],
    async run(w) {
      const id = await w.acceptedQuote();
      return { res: await w.form('conseiller.demo', `/conseiller/devis/${id}/decision`, { decision: 'refuse', reason: 'Formation sans lien avec le projet.' }), actor: 'conseiller.demo', target: quote(id) };
    },
  },
  'POST /api/v1/quote-templates': {
    audit: ['quote_template.created'],
    async run(w) {
      const quoteId = await w.draftQuote();
      const res = await w.api('devis.demo', 'POST', '/api/v1/quote-templates', { name: `Modèle audit ${w.next()}`, quoteId });
      return { res, actor: 'devis.demo', target: { type: 'quote_template', id: idOf(res) } };
    },
  },
  'POST /devis/:id/modele': {
    audit: ['quote_template.created'],
    async run(w) {
      const id = await w.draftQuote();
      return { res: await w.form('devis.demo', `/devis/${id}/modele`, { name: `Modèle audit ${w.next()}` }), actor: 'devis.demo', target: { type: 'quote_template' } };
    },
  },
  'PATCH /api/v1/quote-templates/:id': {
    audit: ['quote_template.renamed'],
    async run(w) {
      const id = await w.template();
      return { res: await w.api('devis.demo', 'PATCH', `/api/v1/quote-templates/${id}`, { name: `Modèle renommé ${w.next()}` }), actor: 'devis.demo', target: { type: 'quote_template', id } };
    },
  },
  'POST /devis/modeles/:id/renommer': {
    audit: ['quote_template.renamed'],
    async run(w) {
      const id = await w.template();
      return { res: await w.form('devis.demo', `/devis/modeles/${id}/renommer`, { name: `Modèle renommé ${w.next()}` }), actor: 'devis.demo', target: { type: 'quote_template', id } };
    },
  },
  'DELETE /api/v1/quote-templates/:id': {
    audit: ['quote_template.deleted'],
    async run(w) {
      const id = await w.template();
      return { res: await w.api('devis.demo', 'DELETE', `/api/v1/quote-templates/${id}`), actor: 'devis.demo', target: { type: 'quote_template', id } };
    },
  },
  'POST /devis/modeles/:id/supprimer': {
    audit: ['quote_template.deleted'],
    async run(w) {
      const id = await w.template();
      return { res: await w.form('devis.demo', `/devis/modeles/${id}/supprimer`), actor: 'devis.demo', target: { type: 'quote_template', id } };
    },
  },

  // Training follow-up, by organisation A's attendance officer.
  'POST /api/v1/trainings/:id/entry': {
    audit: ['training.entered'],
    async run(w) {
      const t = await w.plannedTraining();
      return { res: await w.api('assiduite.demo', 'POST', `/api/v1/trainings/${t.id}/entry`, { startDate: w.pastPeriod().startDate }), actor: 'assiduite.demo', target: training(t.id) };
    },
  },
  'POST /kairos/formations/:id/entree': {
    audit: ['training.entered'],
    async run(w) {
      const t = await w.plannedTraining();
      return { res: await w.form('assiduite.demo', `/kairos/formations/${t.id}/entree`, { startDate: w.pastPeriod().startDate }), actor: 'assiduite.demo', target: training(t.id) };
    },
  },
  // Digital attendance sheets.
  'POST /api/v1/attendance-sheets': { exempt: OPENING_SHEET },
  'POST /kairos/emargement': { exempt: OPENING_SHEET },
  'POST /api/v1/attendance-sheets/:id/close': {
    audit: ['attendance_sheet.closed'],
    async run(w) {
      const sheet = await w.openSheet();
      return { res: await w.api('assiduite.demo', 'POST', `/api/v1/attendance-sheets/${sheet.id}/close`, { signature: { kind: 'confirmed' } }), actor: 'assiduite.demo', target: { type: 'attendance_sheet', id: sheet.id } };
    },
  },
  'POST /kairos/emargement/:id/cloture': {
    audit: ['attendance_sheet.closed'],
    async run(w) {
      const sheet = await w.openSheet();
      return { res: await w.form('assiduite.demo', `/kairos/emargement/${sheet.id}/cloture`, { trace: '', mode: 'confirmation' }), actor: 'assiduite.demo', target: { type: 'attendance_sheet', id: sheet.id } };
    },
  },
  'POST /api/v1/me/attendance-signatures': {
    audit: ['attendance_sheet.signed'],
    async run(w) {
      const sheet = await w.openSheet();
      return { res: await w.api('candidat.demo', 'POST', '/api/v1/me/attendance-signatures', { token: await w.sheetToken(sheet.id) }), actor: 'candidat.demo', target: { type: 'attendance_sheet', id: sheet.id } };
    },
  },
  'POST /emarger': {
    audit: ['attendance_sheet.signed'],
    async run(w) {
      const sheet = await w.openSheet();
      return { res: await w.form('candidat.demo', '/emarger', { jeton: await w.sheetToken(sheet.id), trace: 'M1 1 L20 20', mode: 'trace' }), actor: 'candidat.demo', target: { type: 'attendance_sheet', id: sheet.id } };
    },
  },
  'PUT /api/v1/trainings/:id/attendance': {
    audit: ['attendance.recorded'],
    async run(w) {
      const t = await w.enteredTraining();
      const [h] = await w.halfDays(t.id, w.pastPeriod().firstMonth);
      const res = await w.api('assiduite.demo', 'PUT', `/api/v1/trainings/${t.id}/attendance`, { entries: [{ ...h, status: 'late', lateMinutes: 10 }] });
      return { res, actor: 'assiduite.demo', target: training(t.id) };
    },
  },
  'POST /kairos/assiduite': {
    audit: ['attendance.recorded'],
    async run(w) {
      const t = await w.enteredTraining();
      const month = w.pastPeriod().firstMonth;
      const [h] = await w.halfDays(t.id, month);
      const res = await w.form('assiduite.demo', '/kairos/assiduite', { session: t.session, mois: month, [`c.${t.id}.${h!.date}.${h!.period}`]: 'present' });
      return { res, actor: 'assiduite.demo', target: training(t.id) };
    },
  },
  'POST /api/v1/attendance-imports': {
    audit: ['attendance.imported'],
    async run(w) {
      const t = await w.enteredTraining();
      const s = await w.as('assiduite.demo');
      const payload = `${CSV_HEADER}\n${await w.csvLine(t)}\n`;
      const res = await w.rt.app.inject({ method: 'POST', url: '/api/v1/attendance-imports', headers: { ...s.headers, 'content-type': 'text/csv; charset=utf-8' }, payload });
      return { res, actor: 'assiduite.demo', target: { type: 'organisation', id: w.orgA } };
    },
  },
  'POST /kairos/assiduite/import': {
    audit: ['attendance.imported'],
    async run(w) {
      const t = await w.enteredTraining();
      const csv = new TextEncoder().encode(`${CSV_HEADER}\n${await w.csvLine(t)}\n`);
      const res = await w.upload('assiduite.demo', '/kairos/assiduite/import', {}, [{ field: 'fichier', name: 'assiduite.csv', type: 'text/csv', data: csv }]);
      return { res, actor: 'assiduite.demo', target: { type: 'organisation', id: w.orgA } };
    },
  },
  'POST /api/v1/trainings/:id/statements/:month/submit': {
    audit: ['statement.submitted'],
    async run(w) {
      const t = await w.declaredFirstMonth();
      return { res: await w.api('assiduite.demo', 'POST', `/api/v1/trainings/${t.id}/statements/${t.month}/submit`), actor: 'assiduite.demo', target: training(t.id) };
    },
  },
  'POST /kairos/formations/:id/transmission': {
    audit: ['statement.submitted'],
    async run(w) {
      const t = await w.declaredFirstMonth();
      return { res: await w.form('assiduite.demo', `/kairos/formations/${t.id}/transmission`, { month: t.month }), actor: 'assiduite.demo', target: training(t.id) };
    },
  },
  'POST /api/v1/trainings/:id/statements/:month/corrections': {
    audit: ['attendance.corrected'],
    async run(w) {
      const t = await w.submittedFirstMonth();
      const [h] = await w.halfDays(t.id, t.month);
      const body = { entry: { ...h, status: 'absent', reason: 'sickness', justified: true }, reason: 'Arrêt maladie reçu après la transmission.' };
      return { res: await w.api('assiduite.demo', 'POST', `/api/v1/trainings/${t.id}/statements/${t.month}/corrections`, body), actor: 'assiduite.demo', target: training(t.id) };
    },
  },
  'POST /kairos/formations/:id/correction': {
    audit: ['attendance.corrected'],
    async run(w) {
      const t = await w.submittedFirstMonth();
      const [h] = await w.halfDays(t.id, t.month);
      const fields = { month: t.month, date: h!.date, period: h!.period, cell: 'absent:sickness:1', reason: 'Arrêt maladie reçu après la transmission.' };
      return { res: await w.form('assiduite.demo', `/kairos/formations/${t.id}/correction`, fields), actor: 'assiduite.demo', target: training(t.id) };
    },
  },
  'POST /api/v1/trainings/:id/withdrawal': {
    audit: ['training.withdrawn'],
    async run(w) {
      const t = await w.enteredTraining();
      const res = await w.api('assiduite.demo', 'POST', `/api/v1/trainings/${t.id}/withdrawal`, { date: w.pastPeriod().startDate, reason: 'found_job' });
      return { res, actor: 'assiduite.demo', target: training(t.id) };
    },
  },
  'POST /kairos/formations/:id/abandon': {
    audit: ['training.withdrawn'],
    async run(w) {
      const t = await w.enteredTraining();
      const res = await w.form('assiduite.demo', `/kairos/formations/${t.id}/abandon`, { date: w.pastPeriod().startDate, reason: 'health', comment: '' });
      return { res, actor: 'assiduite.demo', target: training(t.id) };
    },
  },
  'POST /api/v1/trainings/:id/exit': {
    audit: ['training.exited'],
    async run(w) {
      const t = await w.enteredTraining();
      return { res: await w.api('assiduite.demo', 'POST', `/api/v1/trainings/${t.id}/exit`), actor: 'assiduite.demo', target: training(t.id) };
    },
  },
  'POST /kairos/formations/:id/sortie': {
    audit: ['training.exited'],
    async run(w) {
      const t = await w.enteredTraining();
      return { res: await w.form('assiduite.demo', `/kairos/formations/${t.id}/sortie`), actor: 'assiduite.demo', target: training(t.id) };
    },
  },
  'POST /api/v1/trainings/:id/report': {
    audit: ['training.reported'],
    async run(w) {
      const id = await w.exitedTraining();
      const { employmentOutcome: _none, ...body } = REPORT;
      return { res: await w.api('assiduite.demo', 'POST', `/api/v1/trainings/${id}/report`, body), actor: 'assiduite.demo', target: training(id) };
    },
  },
  'POST /kairos/formations/:id/bilan': {
    audit: ['training.reported'],
    async run(w) {
      const id = await w.exitedTraining();
      return { res: await w.form('assiduite.demo', `/kairos/formations/${id}/bilan`, REPORT), actor: 'assiduite.demo', target: training(id) };
    },
  },

  // Security alerts: reinstatement by an agency administrator.
  'POST /api/v1/security/alerts/:id/reinstate': {
    audit: ['security.alert_resolved'],
    async run(w) {
      const a = await w.openAlert();
      return { res: await w.api('admin.agence', 'POST', `/api/v1/security/alerts/${a.id}/reinstate`, { note: NOTE }), actor: 'admin.agence', target: account(a.accountId) };
    },
  },
  'POST /securite/alertes/:id/retablir': {
    audit: ['security.alert_resolved'],
    async run(w) {
      const a = await w.openAlert();
      return { res: await w.form('admin.agence', `/securite/alertes/${a.id}/retablir`, { note: NOTE }), actor: 'admin.agence', target: account(a.accountId) };
    },
  },

  // Support requests: a quote editor asks, an agent answers.
  'POST /api/v1/support-requests': {
    audit: ['support_request.created'],
    async run(w) {
      const res = await w.api('devis.demo', 'POST', '/api/v1/support-requests', { category: 'autre', subject: 'Question d’audit', description: 'Une question posée pour le test du journal.' });
      return { res, actor: 'devis.demo', target: { type: 'support_request', id: idOf(res) } };
    },
  },
  'POST /support/demandes/nouvelle': {
    audit: ['support_request.created'],
    async run(w) {
      const res = await w.upload('devis.demo', '/support/demandes/nouvelle', { category: 'autre', subject: 'Capture d’audit', description: 'Le bouton affiche une erreur.' }, [screenshot()]);
      return { res, actor: 'devis.demo', target: { type: 'support_request', id: idInLocation(res) } };
    },
  },
  'POST /api/v1/support-requests/:id/messages': {
    audit: ['support_request.replied', 'support_request.status_changed'],
    async run(w) {
      const id = await w.supportRequest();
      return { res: await w.api('support.demo', 'POST', `/api/v1/support-requests/${id}/messages`, { body: 'Voici la marche à suivre.' }), actor: 'support.demo', target: supportTarget(id) };
    },
  },
  'POST /support/demandes/:id/reponse': {
    audit: ['support_request.replied', 'support_request.status_changed'],
    async run(w) {
      const id = await w.supportRequest();
      return { res: await w.form('support.demo', `/support/demandes/${id}/reponse`, { body: 'Voici la marche à suivre.' }), actor: 'support.demo', target: supportTarget(id) };
    },
  },
  'POST /api/v1/support-requests/:id/status': {
    audit: ['support_request.status_changed'],
    async run(w) {
      const id = await w.supportRequest();
      return { res: await w.api('devis.demo', 'POST', `/api/v1/support-requests/${id}/status`, { status: 'closed' }), actor: 'devis.demo', target: supportTarget(id) };
    },
  },
  'POST /support/demandes/:id/statut': {
    audit: ['support_request.status_changed'],
    async run(w) {
      const id = await w.supportRequest();
      return { res: await w.form('devis.demo', `/support/demandes/${id}/statut`, { status: 'closed' }), actor: 'devis.demo', target: supportTarget(id) };
    },
  },
};

// ---------------------------------------------------------------------------------------------
// Reads

export interface View {
  audit: string;
  run(w: AuditWorld): Promise<Performed>;
}

const get = async (w: AuditWorld, login: string, url: string) => w.api(login, 'GET', url);
const candidateA = async (w: AuditWorld) => ({ type: 'candidate', id: await w.candidateId('1234567A') });

/** A read of `url(object)` by `login`, audited as `audit` about the candidate 1234567A. */
/** `url` once candidat.demo's training has an unjustified absence: the advisor's dashboard names the trainee at risk. */
async function withTraineeAtRisk(w: AuditWorld, url: string): Promise<string> {
  const t = await w.enteredTraining();
  const half = await w.rt.ctx.db.selectFrom('training_session').select(['date', 'period']).where('training_id', '=', t.id).orderBy('date').executeTakeFirstOrThrow();
  await w.rt.ctx.db
    .insertInto('attendance')
    .values({ training_id: t.id, date: half.date, period: half.period, status: 'absent', late_minutes: null, reason: 'unjustified', justified: false, recorded_at: w.rt.clock.now(), recorded_by: await w.accountId('assiduite.demo') })
    .onConflict((oc) => oc.doNothing())
    .execute();
  // The advisor's trainees at risk read the attendance summary, refreshed by a recurring job.
  await refreshDashboardFigures(w.rt.ctx.db);
  return url;
}

function trainingRead(login: string, make: (w: AuditWorld) => Promise<string>): View {
  return { audit: 'candidate.viewed', run: async (w) => ({ res: await get(w, login, await make(w)), actor: login, target: await candidateA(w) }) };
}

/** An export of `url(world)` by `login`: its one data.exported row names the exporter. */
function exported(login: string, make: (w: AuditWorld) => Promise<string>): View {
  return { audit: 'data.exported', run: async (w) => ({ res: await get(w, login, await make(w)), actor: login }) };
}

export const VIEWS: Record<string, View[]> = {
  'GET /api/v1/quotes/:id': ['conseiller.demo', 'candidat.demo'].map((login) => ({
    audit: 'quote.viewed',
    async run(w) {
      const id = await w.submittedQuote();
      return { res: await get(w, login, `/api/v1/quotes/${id}`), actor: login, target: quote(id) };
    },
  })),
  'GET /conseiller/devis/:id': [
    {
      audit: 'quote.viewed',
      async run(w) {
        const id = await w.acceptedQuote();
        return { res: await get(w, 'conseiller.demo', `/conseiller/devis/${id}`), actor: 'conseiller.demo', target: quote(id) };
      },
    },
  ],
  'GET /mon-espace/devis/:id': [
    {
      audit: 'quote.viewed',
      async run(w) {
        const id = await w.submittedQuote();
        return { res: await get(w, 'candidat.demo', `/mon-espace/devis/${id}`), actor: 'candidat.demo', target: quote(id) };
      },
    },
  ],
  'GET /api/v1/quotes/:id/agreement.pdf': ['conseiller.demo', 'candidat.demo', 'devis.demo'].map((login) => ({
    audit: 'quote.agreement_downloaded',
    async run(w) {
      const id = await w.approvedQuote();
      return { res: await get(w, login, `/api/v1/quotes/${id}/agreement.pdf`), actor: login, target: quote(id) };
    },
  })),
  'GET /api/v1/quote-queue': [{ audit: 'quote.queue_viewed', run: async (w) => (await w.acceptedQuote(), { res: await get(w, 'conseiller.demo', '/api/v1/quote-queue'), actor: 'conseiller.demo' }) }],
  'GET /conseiller/devis': [{ audit: 'quote.queue_viewed', run: async (w) => (await w.acceptedQuote(), { res: await get(w, 'conseiller.demo', '/conseiller/devis'), actor: 'conseiller.demo' }) }],
  'GET /api/v1/candidates': [trainingRead('conseiller.demo', async () => '/api/v1/candidates?q=Martin')],
  'GET /api/v1/candidates/:identifier': [trainingRead('conseiller.demo', async () => '/api/v1/candidates/1234567A')],
  'GET /api/v1/trainings': [trainingRead('conseiller.demo', async (w) => (await w.plannedTraining(), '/api/v1/trainings'))],
  'GET /api/v1/trainings/:id': [trainingRead('conseiller.demo', async (w) => `/api/v1/trainings/${(await w.plannedTraining()).id}`)],
  'GET /api/v1/trainings/:id/attendance': [trainingRead('conseiller.demo', async (w) => `/api/v1/trainings/${(await w.enteredTraining()).id}/attendance?month=${w.pastPeriod().firstMonth}`)],
  'GET /api/v1/trainings/:id/statements/:month': [
    trainingRead('conseiller.demo', async (w) => {
      const t = await w.submittedFirstMonth();
      return `/api/v1/trainings/${t.id}/statements/${t.month}`;
    }),
  ],
  'GET /api/v1/trainings/:id/statements/:month.pdf': [
    trainingRead('conseiller.demo', async (w) => {
      const t = await w.submittedFirstMonth();
      return `/api/v1/trainings/${t.id}/statements/${t.month}.pdf`;
    }),
  ],
  'GET /api/v1/training-alerts': [trainingRead('conseiller.demo', async (w) => (await w.withdrawnTraining(), '/api/v1/training-alerts'))],
  'GET /kairos/formations': [trainingRead('conseiller.demo', async (w) => (await w.plannedTraining(), '/kairos/formations'))],
  'GET /kairos/formations/:id': [trainingRead('conseiller.demo', async (w) => `/kairos/formations/${(await w.plannedTraining()).id}`)],
  'GET /api/v1/attendance-sheets/:id': [trainingRead('assiduite.demo', async (w) => `/api/v1/attendance-sheets/${(await w.openSheet()).id}`)],
  'GET /api/v1/attendance-sheets/:id.pdf': [trainingRead('assiduite.demo', async (w) => `/api/v1/attendance-sheets/${(await w.openSheet()).id}.pdf`)],
  'GET /api/v1/trainings/:id/signatures/:month.pdf': [trainingRead('conseiller.demo', async (w) => `/api/v1/trainings/${(await w.enteredTraining()).id}/signatures/${w.pastPeriod().firstMonth}.pdf`)],
  'GET /kairos/emargement/:id': [trainingRead('assiduite.demo', async (w) => `/kairos/emargement/${(await w.openSheet()).id}`)],
  'GET /api/v1/dashboard': [trainingRead('conseiller.demo', (w) => withTraineeAtRisk(w, '/api/v1/dashboard'))],
  'GET /kairos': [trainingRead('conseiller.demo', (w) => withTraineeAtRisk(w, '/kairos'))],
  'GET /kairos/assiduite': [
    trainingRead('assiduite.demo', async (w) => {
      const t = await w.enteredTraining();
      return `/kairos/assiduite?session=${encodeURIComponent(t.session)}&mois=${w.pastPeriod().firstMonth}`;
    }),
  ],
  'GET /api/v1/support-requests/:id/attachments/:attachmentId': [
    {
      audit: 'support_request.attachment_downloaded',
      async run(w) {
        const r = await w.supportRequestWithScreenshot();
        return { res: await get(w, 'support.demo', `/api/v1/support-requests/${r.id}/attachments/${r.attachmentId}`), actor: 'support.demo', target: supportTarget(r.id) };
      },
    },
  ],
  'GET /api/v1/letters/:id/pdf': [
    {
      audit: 'letter.downloaded',
      async run(w) {
        const { identifier } = await w.letters();
        return { res: await get(w, 'admin.agence', `/api/v1/letters/${identifier}/pdf`), actor: 'admin.agence', target: { type: 'letter', id: identifier } };
      },
    },
  ],
  'GET /admin/courriers/:id/pdf': [
    {
      audit: 'letter.downloaded',
      async run(w) {
        const { activation } = await w.letters();
        return { res: await get(w, 'admin.agence', `/admin/courriers/${activation}/pdf`), actor: 'admin.agence', target: { type: 'letter', id: activation } };
      },
    },
  ],
  // Exports: one data.exported row each (kind, format, filters, row count), besides the bulk-access count.
  'GET /api/v1/exports/quotes.csv': [exported('devis.demo', async (w) => (await w.submittedQuote(), '/api/v1/exports/quotes.csv'))],
  'GET /api/v1/exports/quotes.xlsx': [exported('devis.demo', async (w) => (await w.submittedQuote(), '/api/v1/exports/quotes.xlsx'))],
  'GET /api/v1/exports/trainings.csv': [exported('conseiller.demo', async (w) => (await w.plannedTraining(), '/api/v1/exports/trainings.csv'))],
  'GET /api/v1/exports/trainings.xlsx': [exported('conseiller.demo', async (w) => (await w.plannedTraining(), '/api/v1/exports/trainings.xlsx'))],
  'GET /api/v1/exports/attendance.csv': [exported('assiduite.demo', async (w) => `/api/v1/exports/attendance.csv?session=${encodeURIComponent((await w.enteredTraining()).session)}&month=${w.pastPeriod().firstMonth}`)],
  'GET /api/v1/exports/attendance.xlsx': [exported('assiduite.demo', async (w) => `/api/v1/exports/attendance.xlsx?session=${encodeURIComponent((await w.enteredTraining()).session)}&month=${w.pastPeriod().firstMonth}`)],
  'GET /api/v1/exports/statistics.csv': [exported('admin.agence', async () => '/api/v1/exports/statistics.csv')],
  'GET /api/v1/exports/statistics.xlsx': [exported('admin.agence', async () => '/api/v1/exports/statistics.xlsx')],
  'GET /api/v1/audit': [{ audit: 'audit.viewed', run: async (w) => ({ res: await get(w, 'rgc.demo', '/api/v1/audit'), actor: 'rgc.demo' }) }],
  'GET /gid/journal': [{ audit: 'audit.viewed', run: async (w) => ({ res: await get(w, 'rgc.demo', '/gid/journal'), actor: 'rgc.demo' }) }],
  'GET /admin/journal': [{ audit: 'audit.viewed', run: async (w) => ({ res: await get(w, 'admin.agence', '/admin/journal'), actor: 'admin.agence' }) }],
};

const PUBLIC = 'public: no personal data';
const FORM = 'an empty form';
const OWN = 'the signed-in user’s own data (account, sessions, profile, requests, quotes or trainings of their own)';
const ORG_OWN = 'the organisation’s own quotes, read by its own staff (views from outside the owning organisation are audited; every staff read still counts towards bulk-access detection)';
const STAFF = 'staff accounts, habilitations and governance of an organisation, read by its account manager or the agency administrators: no candidate’s data';
const SUPPORT = 'a message to support, read by its author or by the agents it is written to; downloads of its screenshots are audited';
const ALERTS = 'a security incident under review (the suspended account, the identifiers it read), for the agency administrators and the account’s own account manager';

export const NOT_VIEWS: Record<string, string> = {
  'GET /healthz': PUBLIC,
  'GET /readyz': PUBLIC,
  'GET /api/openapi.json': 'public: the description of the API, no data',
  'GET /api/docs': 'public: the description of the API, no data',
  'GET /metrics': 'operational counters (route patterns, queue depth, pool, sign-in failures): no personal data; loopback or METRICS_TOKEN only',
  'GET /': PUBLIC,
  'GET /aide': PUBLIC,
  'GET /aide/recherche': PUBLIC,
  'GET /aide/:slug': PUBLIC,
  'GET /api/v1/help/articles': PUBLIC,
  'GET /connexion': FORM,
  'GET /adhesion': FORM,
  'GET /activation': FORM,
  'GET /support/demandes/nouvelle': FORM,
  'GET /kairos/assiduite/import': FORM,
  'GET /devis/nouveau': 'the new-quote form, possibly prefilled from one of the organisation’s templates (no candidate)',
  'GET /api/v1/me': OWN,
  'GET /api/v1/me/sessions': OWN,
  'GET /api/v1/me/applications': OWN,
  'GET /api/v1/me/profile': OWN,
  'GET /api/v1/me/quotes': OWN,
  'GET /api/v1/me/trainings': OWN,
  'GET /api/v1/me/trainings/:id': OWN,
  'GET /api/v1/me/trainings/:id/attendance': OWN,
  'GET /api/v1/me/trainings/:id/statements/:month.pdf': OWN,
  'GET /mon-espace': OWN,
  'GET /api/v1/attendance-sheets': 'the organisation’s attendance sheets: sessions, dates and statuses, no trainee named',
  'GET /kairos/emargement': 'the organisation’s attendance sheets: sessions, dates and statuses, no trainee named',
  'GET /emarger': OWN,
  'GET /confidentialite': PUBLIC,
  'GET /api/v1/me/data-export': 'the candidate’s own data (its export is audited as candidate.data_exported)',
  'GET /api/v1/me/data-export.pdf': 'the candidate’s own data (its export is audited as candidate.data_exported)',
  'GET /api/v1/me/trainings/:id/signatures/:month.pdf': OWN,
  'GET /mon-espace/formations': OWN,
  'GET /mon-espace/formations/:id': OWN,
  'GET /portail': OWN,
  'GET /assistance': OWN,
  'GET /compte/mot-de-passe': OWN,
  'GET /compte/cles-d-acces': OWN,
  'GET /api/v1/me/passkeys': OWN,
  'GET /compte/double-authentification': OWN,
  'GET /compte/incidents': OWN,
  'GET /api/v1/support-requests': OWN,
  'GET /support/demandes': OWN,
  'GET /api/v1/support-requests/:id': SUPPORT,
  'GET /support/demandes/:id': SUPPORT,
  'GET /api/v1/support/queue': SUPPORT,
  'GET /support/file': SUPPORT,
  'GET /api/v1/support/references/:requestId': 'what the server recorded behind an error reference (route, status, login), looked up by support at the user’s request',
  'GET /api/v1/quotes': ORG_OWN,
  'GET /devis': ORG_OWN,
  'GET /devis/:id': ORG_OWN,
  'GET /api/v1/quote-templates': 'quote templates describe a training, never a candidate',
  'GET /api/v1/quote-templates/:id': 'quote templates describe a training, never a candidate',
  'GET /devis/modeles': 'quote templates describe a training, never a candidate',
  'GET /api/v1/outbox': 'the demo outbox: demo mode only, never in production',
  'GET /admin/courriels': 'the demo outbox: demo mode only, never in production',
  'GET /api/v1/organisations/:orgId/users': STAFF,
  'GET /gid': STAFF,
  'GET /gid/utilisateurs/:userId': STAFF,
  'GET /api/v1/organisations/:orgId/access-review': STAFF,
  'GET /gid/revue': STAFF,
  'GET /api/v1/organisations/:orgId/security-policy': STAFF,
  'GET /api/v1/organisations/:orgId/webhooks': 'webhook settings and deliveries: identifiers and statuses, never a candidate’s data',
  'GET /api/v1/organisations/:orgId/webhooks/:id/deliveries': 'webhook settings and deliveries: identifiers and statuses, never a candidate’s data',
  'GET /gid/api/webhooks': 'webhook settings and deliveries: identifiers and statuses, never a candidate’s data',
  'GET /gid/api/webhooks/:id': 'webhook settings and deliveries: identifiers and statuses, never a candidate’s data',
  'GET /gid/politique-securite': STAFF,
  'GET /api/v1/organisations/:orgId/api-tokens': STAFF,
  'GET /api/v1/api-tokens': STAFF,
  'GET /gid/api': STAFF,
  'GET /admin/jetons-api': STAFF,
  'GET /api/v1/security-policies/missing': STAFF,
  'GET /admin/politiques-securite': STAFF,
  'GET /api/v1/account-manager-changes': STAFF,
  'GET /gid/responsable': STAFF,
  'GET /admin/changements-responsable': STAFF,
  'GET /api/v1/membership-requests': 'adhesion requests of training organisations, read by the agency administrators who decide them: no candidate’s data',
  'GET /api/v1/membership-requests/:id': 'adhesion requests of training organisations, read by the agency administrators who decide them: no candidate’s data',
  'GET /admin/adhesions': 'adhesion requests of training organisations, read by the agency administrators who decide them: no candidate’s data',
  'GET /admin/adhesions/:id': 'adhesion requests of training organisations, read by the agency administrators who decide them: no candidate’s data',
  'GET /api/v1/letters': 'the list of an organisation’s letters (kind, reference, dates), not their content (downloads are audited)',
  'GET /api/v1/security/alerts': ALERTS,
  'GET /api/v1/security/alerts/:id': ALERTS,
  'GET /securite/alertes': ALERTS,
  'GET /securite/alertes/:id': ALERTS,
};
