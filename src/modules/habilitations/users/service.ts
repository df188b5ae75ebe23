/**
 * GID (docs/product/joining-and-habilitations.md#gid-users-and-habilitations): an account manager
 * manages the accounts and habilitations of their own organisation; agency administrators may look
 * at any organisation and (un)suspend its users. Each operation: tenant guard → role check →
 * validation → one transaction holding the change, its audit row and any mail. Refusals are
 * HttpProblems (a status and a French detail).
 */
import type { AppContext, RequestMeta } from '../../../context.js';
import { HttpProblem, TITLES, problems } from '../../../http/problem.js';
import { byActor, recordAudit, type AuditEntry } from '../../audit/service.js';
import { createPendingStaffAccount, isSecuritySuspension, markAccountDeleted, reinstateAccount, suspendAccount } from '../../identity/index.js';
import { doneInLastDay, holdAccount, limitFor, sendActivation } from '../creation-guard.js';
import { hasHabilitation, type Actor } from '../policy.js';
import * as repo from './repository.js';
import {
  GRANTABLE_BY_ACCOUNT_MANAGER,
  REFUSALS,
  accountChangeRefusal,
  gidPermission,
  grantability,
  isUuid,
  revocationRefusal,
  securitySuspensionRefusal,
  type GidAction,
  type GrantInput,
  type ListQuery,
  type ListedStatus,
  type NewUserInput,
  type Refusal,
  type SuspendInput,
} from './rules.js';

export interface GidHabilitation {
  id: string;
  application: string;
  role: string;
  grantedAt: Date;
  grantedBy: string | null;
  grantedByName: string | null;
}

export interface GidUser {
  id: string;
  login: string;
  displayName: string;
  firstName: string | null;
  lastName: string | null;
  email: string | null;
  status: ListedStatus;
  /** Set while a security detector's suspension holds the account: only the agency lifts it, through the alert. */
  securitySuspension: 'bulk_access' | 'creation_guard' | null;
  lastSignInAt: Date | null;
  createdAt: Date;
  habilitations: GidHabilitation[];
}

export interface GidScope {
  organisation: repo.OrganisationRef;
  /** True when the actor acts as an agency administrator rather than as this organisation's RGC. */
  byAgency: boolean;
}

const AGENCY_LIMITS =
  'L’administration de l’agence peut consulter, suspendre et réactiver les comptes d’un organisme, mais pas en créer, en supprimer ni modifier leurs habilitations : c’est le rôle du responsable de gestion des comptes de l’organisme.';

function refused(r: Refusal): HttpProblem {
  return new HttpProblem(r.status, TITLES[r.status], r.message);
}

/** Tenant and role check for an organisation-wide operation; unknown and foreign look alike. */
export async function authorise(ctx: AppContext, actor: Actor, organisationId: unknown, action: GidAction): Promise<GidScope> {
  if (!isUuid(organisationId)) throw problems.notFound();
  const permission = gidPermission(actor, organisationId, action);
  if (permission === 'not_found') throw problems.notFound();
  if (permission === 'forbidden') throw problems.forbidden(AGENCY_LIMITS);
  const organisation = await repo.findOrganisation(ctx.db, organisationId);
  if (!organisation) throw problems.notFound();
  const asManager = hasHabilitation(actor, 'gid', ['account_manager']) && actor.organisation?.id === organisation.id;
  return { organisation, byAgency: !asManager };
}

function audit(actor: Actor, meta: RequestMeta, at: Date, organisationId: string, action: string, accountId: string, details?: Record<string, unknown>): AuditEntry {
  return {
    at,
    action,
    ...byActor(actor, meta),
    organisationId,
    target: { type: 'account', id: accountId },
    ...(details ? { details } : {}),
  };
}

function toUser(row: repo.AccountRow, habilitations: repo.HabilitationRow[]): GidUser {
  return {
    id: row.id,
    login: row.login,
    displayName: row.display_name,
    firstName: row.first_name,
    lastName: row.last_name,
    email: row.email,
    status: row.status as ListedStatus,
    securitySuspension: row.status === 'suspended' && isSecuritySuspension(row.suspension_origin) ? row.suspension_origin : null,
    lastSignInAt: row.last_sign_in_at ? new Date(row.last_sign_in_at) : null,
    createdAt: row.created_at,
    habilitations: habilitations
      .filter((h) => h.account_id === row.id)
      .map((h) => ({ id: h.id, application: h.application, role: h.role, grantedAt: h.granted_at, grantedBy: h.granted_by, grantedByName: h.granted_by_name })),
  };
}

export async function listUsers(ctx: AppContext, actor: Actor, organisationId: unknown, filter: ListQuery): Promise<GidScope & { users: GidUser[] }> {
  const scope = await authorise(ctx, actor, organisationId, 'list');
  const rows = await repo.listAccounts(ctx.db, scope.organisation.id, filter);
  const habilitations = await repo.habilitationsOf(ctx.db, scope.organisation.id, rows.map((r) => r.id));
  return { ...scope, users: rows.map((r) => toUser(r, habilitations)) };
}

export async function getUser(ctx: AppContext, actor: Actor, organisationId: unknown, userId: unknown): Promise<GidScope & { user: GidUser }> {
  const scope = await authorise(ctx, actor, organisationId, 'view');
  if (!isUuid(userId)) throw problems.notFound();
  const row = await repo.findAccount(ctx.db, scope.organisation.id, userId);
  if (!row) throw problems.notFound();
  return { ...scope, user: toUser(row, await repo.habilitationsOf(ctx.db, scope.organisation.id, [row.id])) };
}

/**
 * The checks an action on `userId` (or on the organisation, without one) starts with: tenant and
 * role, then the account exists. Routes run it before judging the input, so that another
 * organisation's ids, or unknown ones, answer 404 (or the agency's 403) whatever was sent.
 */
export async function checkInScope(ctx: AppContext, actor: Actor, organisationId: unknown, action: GidAction, userId?: unknown): Promise<void> {
  const scope = await authorise(ctx, actor, organisationId, action);
  if (userId === undefined) return;
  if (!isUuid(userId) || !(await repo.findAccount(ctx.db, scope.organisation.id, userId))) throw problems.notFound();
}

/**
 * The organisation whose GID shows this user to the actor: their own for an account manager;
 * the user's for an agency administrator (who then goes through the same checks).
 */
export async function organisationForUserPage(ctx: AppContext, actor: Actor, userId: unknown): Promise<string> {
  if (!isUuid(userId)) throw problems.notFound();
  if (hasHabilitation(actor, 'gid', ['account_manager']) && actor.organisation) return actor.organisation.id;
  if (hasHabilitation(actor, 'gid', ['agency_admin']) && actor.organisation?.kind === 'agency') {
    const organisationId = await repo.organisationOfAccount(ctx.db, userId);
    if (organisationId) return organisationId;
  }
  throw problems.notFound();
}

/** Organisations an agency administrator may open in GID; nobody else gets a list. */
export async function organisationsForAgency(ctx: AppContext, actor: Actor): Promise<repo.OrganisationRef[]> {
  if (!(hasHabilitation(actor, 'gid', ['agency_admin']) && actor.organisation?.kind === 'agency')) return [];
  return repo.listOrganisations(ctx.db);
}

export interface RoleEntry {
  application: string;
  role: string;
  applicationName: string;
  label: string;
  /** Whether an account manager may grant (and revoke) it. */
  grantable: boolean;
}

/** Every role with its French labels from the `role` table, in portal order. */
export async function roleCatalogue(ctx: AppContext): Promise<RoleEntry[]> {
  const labels = await repo.roleLabels(ctx.db);
  return labels.map((r) => ({
    application: r.application,
    role: r.code,
    applicationName: r.application_name,
    label: r.label,
    grantable: GRANTABLE_BY_ACCOUNT_MANAGER.some((g) => g.application === r.application && g.role === r.code),
  }));
}

/**
 * Creates a colleague's account and mails the identifier and the activation code apart. Beyond
 * the daily volume, the account is held for the agency's confirmation (creation-guard.ts).
 */
export async function createUser(
  ctx: AppContext,
  actor: Actor,
  organisationId: unknown,
  data: NewUserInput,
  meta: RequestMeta,
): Promise<{ id: string; login: string; email: string; pendingAgencyConfirmation: boolean }> {
  const { organisation } = await authorise(ctx, actor, organisationId, 'create');
  const now = ctx.clock.now();
  return ctx.db.transaction().execute(async (trx) => {
    const unusual = (await doneInLastDay(trx, actor, 'gid.user_created', now)) >= limitFor(ctx, 'gid.user_created');
    const account = await createPendingStaffAccount(trx, { organisationId: organisation.id, ...data, now });
    await recordAudit(trx, audit(actor, meta, now, organisation.id, 'gid.user_created', account.id));
    if (unusual) {
      await holdAccount(ctx, trx, actor, organisation.id, { ...account, activationHeld: true }, 'gid.user_created', meta);
    } else {
      await sendActivation(ctx, trx, { ...account, email: data.email, firstName: data.firstName, lastName: data.lastName }, organisation.name, actor.displayName);
    }
    return { ...account, email: data.email, pendingAgencyConfirmation: unusual };
  });
}

async function lockTarget(trx: AppContext['db'], organisationId: string, userId: unknown) {
  if (!isUuid(userId)) throw problems.notFound();
  const target = await repo.lockAccount(trx, organisationId, userId);
  if (!target) throw problems.notFound();
  return target;
}

/** Suspends the account and ends its sessions in the same transaction: its next request is refused. */
export async function suspendUser(ctx: AppContext, actor: Actor, organisationId: unknown, userId: unknown, data: SuspendInput, meta: RequestMeta): Promise<void> {
  const { organisation, byAgency } = await authorise(ctx, actor, organisationId, 'suspend');
  const now = ctx.clock.now();
  await ctx.db.transaction().execute(async (trx) => {
    const target = await lockTarget(trx, organisation.id, userId);
    const targetIsManager = await repo.holdsRole(trx, organisation.id, target.id, 'gid', 'account_manager');
    const refusal = accountChangeRefusal({ actorId: actor.accountId, targetId: target.id, targetIsManager, byAgency }, 'suspend');
    if (refusal) throw refused(refusal);
    if (target.status === 'suspended') throw problems.conflict('Ce compte est déjà suspendu.');
    const reason = data?.reason || (byAgency ? 'Suspendu par l’administration de l’agence.' : 'Suspendu par le responsable de gestion des comptes.');
    await suspendAccount(trx, target.id, reason, now, byAgency ? 'agency' : 'account_manager');
    await recordAudit(trx, audit(actor, meta, now, organisation.id, 'gid.user_suspended', target.id, { byAgency }));
  });
}

export async function reactivateUser(ctx: AppContext, actor: Actor, organisationId: unknown, userId: unknown, meta: RequestMeta): Promise<'active' | 'pending'> {
  const { organisation, byAgency } = await authorise(ctx, actor, organisationId, 'reactivate');
  const now = ctx.clock.now();
  return ctx.db.transaction().execute(async (trx) => {
    const target = await lockTarget(trx, organisation.id, userId);
    // A detector's suspension is lifted through its alert (which also resets the counts and
    // records what was checked), by the agency alone: never here, not even by the agency.
    if (target.status === 'suspended' && isSecuritySuspension(target.suspension_origin)) throw problems.conflict(securitySuspensionRefusal(target.suspension_origin));
    const status = target.status === 'suspended' ? await reinstateAccount(trx, target.id) : null;
    if (!status) throw problems.conflict('Ce compte n’est pas suspendu : il n’y a rien à réactiver.');
    await recordAudit(trx, audit(actor, meta, now, organisation.id, 'gid.user_reactivated', target.id, { status, byAgency }));
    return status;
  });
}

/** Marks the account deleted (a tombstone: its login is never reused), ends its sessions, removes its habilitations. */
export async function deleteUser(ctx: AppContext, actor: Actor, organisationId: unknown, userId: unknown, meta: RequestMeta): Promise<void> {
  const { organisation, byAgency } = await authorise(ctx, actor, organisationId, 'delete');
  const now = ctx.clock.now();
  await ctx.db.transaction().execute(async (trx) => {
    const target = await lockTarget(trx, organisation.id, userId);
    const targetIsManager = await repo.holdsRole(trx, organisation.id, target.id, 'gid', 'account_manager');
    const refusal = accountChangeRefusal({ actorId: actor.accountId, targetId: target.id, targetIsManager, byAgency }, 'delete');
    if (refusal) throw refused(refusal);
    const removed = await repo.deleteAllHabilitations(trx, organisation.id, target.id);
    await markAccountDeleted(trx, target.id, now);
    await recordAudit(trx, audit(actor, meta, now, organisation.id, 'gid.user_deleted', target.id, { habilitationsRemoved: removed }));
  });
}

function checkGrantable(application: string, role: string): void {
  switch (grantability(application, role)) {
    case 'unknown_application':
      throw problems.invalid([{ field: 'application', message: 'L’application indiquée n’existe pas : choisissez « kairos » ou « support ».' }]);
    case 'unknown_role':
      throw problems.invalid([{ field: 'role', message: 'Le rôle indiqué n’existe pas dans cette application : choisissez un rôle de la liste.' }]);
    case 'forbidden':
      throw refused(REFUSALS.notGrantable);
    case 'allowed':
      return;
  }
}

export async function grantHabilitation(
  ctx: AppContext,
  actor: Actor,
  organisationId: unknown,
  userId: unknown,
  { application, role }: GrantInput,
  meta: RequestMeta,
): Promise<{ id: string; application: string; role: string }> {
  const { organisation } = await authorise(ctx, actor, organisationId, 'grant');
  const now = ctx.clock.now();
  return ctx.db.transaction().execute(async (trx) => {
    const target = await lockTarget(trx, organisation.id, userId);
    checkGrantable(application, role);
    const unusual = (await doneInLastDay(trx, actor, 'gid.habilitation_granted', now)) >= limitFor(ctx, 'gid.habilitation_granted');
    const granted = await repo.grantHabilitationRow(trx, { organisationId: organisation.id, accountId: target.id, application, role, grantedBy: actor.accountId, now });
    if (!granted) throw problems.conflict('Cet utilisateur détient déjà ce rôle.');
    const details = { habilitationId: granted.id, application, role, ...(granted.reinstated ? { reinstated: true } : {}) };
    await recordAudit(trx, audit(actor, meta, now, organisation.id, 'gid.habilitation_granted', target.id, details));
    // Beyond the usual volume, the account cannot use its new role until the agency confirms.
    if (unusual && target.status !== 'suspended') await holdAccount(ctx, trx, actor, organisation.id, { id: target.id, login: target.login, activationHeld: false }, 'gid.habilitation_granted', meta);
    return { id: granted.id, application, role };
  });
}

export async function revokeHabilitation(
  ctx: AppContext,
  actor: Actor,
  organisationId: unknown,
  userId: unknown,
  habilitationId: unknown,
  meta: RequestMeta,
): Promise<void> {
  const { organisation } = await authorise(ctx, actor, organisationId, 'revoke');
  const now = ctx.clock.now();
  await ctx.db.transaction().execute(async (trx) => {
    const target = await lockTarget(trx, organisation.id, userId);
    if (!isUuid(habilitationId)) throw problems.notFound();
    const habilitation = await repo.findHabilitation(trx, organisation.id, target.id, habilitationId);
    if (!habilitation) throw problems.notFound();
    const refusal = revocationRefusal({ actorId: actor.accountId, targetId: target.id, application: habilitation.application, role: habilitation.role });
    if (refusal) throw refused(refusal);
    await repo.deleteHabilitation(trx, organisation.id, habilitation.id);
    const details = { habilitationId: habilitation.id, application: habilitation.application, role: habilitation.role };
    await recordAudit(trx, audit(actor, meta, now, organisation.id, 'gid.habilitation_revoked', target.id, details));
  });
}
