/**
 * Change of account manager (docs/product/joining-and-habilitations.md#change-of-account-manager).
 * The December 2025 incident was an account manager's account hijacked to create accounts: the role
 * is the key to an organisation, so the current account manager may only ask, and an agency
 * administrator decides. The approval moves the role in one transaction with its audit rows and
 * mails.
 */
import type { Transaction } from 'kysely';
import type { AppContext, RequestMeta } from '../../../context.js';
import type { DB } from '../../../db/schema.js';
import { uuidOr404 } from '../../../http/ids.js';
import { problems } from '../../../http/problem.js';
import { queueMail } from '../../../mail/mailer.js';
import { byActor, recordAudit, type AuditEntry } from '../../audit/service.js';
import { managerChangeDecidedMail, managerChangeRequestedMail } from './mails.js';
import { ownOrganisationOr404 } from '../access.js';
import * as repo from './repository.js';
import { NEW_MANAGER_INVALID, type ApproveInput, type ChangeRequestInput, type ChangeStatus, type RejectInput } from './rules.js';
import type { Actor } from '../policy.js';

export const PENDING_EXISTS = 'Une demande de changement de responsable est déjà en attente pour votre organisme : attendez la décision de l’agence.';
export const CHANGE_NOT_FOUND = 'Cette demande de changement de responsable est introuvable.';

function auditOf(actor: Actor, meta: RequestMeta, at: Date, organisationId: string, action: string, target: AuditEntry['target'], details?: Record<string, unknown>): AuditEntry {
  return { at, action, ...byActor(actor, meta), organisationId, target, ...(details ? { details } : {}) };
}

/** Everything the account manager's page shows: who holds the role, whom they may designate, the pending request. */
export async function managerChangeOverview(ctx: AppContext, actor: Actor, organisationId: unknown) {
  const orgId = ownOrganisationOr404(actor, organisationId);
  const [staff, managers, pending] = await Promise.all([repo.activeStaff(ctx.db, orgId), repo.managerIds(ctx.db, orgId), repo.findPendingChange(ctx.db, orgId)]);
  return {
    managers: staff.filter((s) => managers.includes(s.id)),
    candidates: staff.filter((s) => !managers.includes(s.id)),
    pending: pending ? (await repo.listChanges(ctx.db, { organisationId: orgId, status: 'pending' }))[0] ?? null : null,
    history: (await repo.listChanges(ctx.db, { organisationId: orgId })).filter((c) => c.status !== 'pending').slice(0, 10),
  };
}

export async function requestManagerChange(ctx: AppContext, actor: Actor, organisationId: unknown, input: ChangeRequestInput, meta: RequestMeta) {
  const orgId = ownOrganisationOr404(actor, organisationId);
  const now = ctx.clock.now();
  return ctx.db.transaction().execute(async (trx) => {
    // One message for unknown, foreign and inactive accounts: nothing is learnt about other organisations.
    const candidate = await repo.findActiveStaff(trx, orgId, input.newManagerId);
    if (!candidate) throw problems.invalid([{ field: 'newManagerId', message: NEW_MANAGER_INVALID }]);
    if ((await repo.managerIds(trx, orgId)).includes(candidate.id)) {
      throw problems.invalid([{ field: 'newManagerId', message: 'Ce compte est déjà responsable de gestion des comptes de votre organisme : choisissez-en un autre.' }]);
    }
    const row = await repo.insertChange(trx, { organisationId: orgId, requestedBy: actor.accountId, newManagerId: candidate.id, reason: input.reason, at: now });
    if (!row) throw problems.conflict(PENDING_EXISTS);
    await recordAudit(trx, auditOf(actor, meta, now, orgId, 'account_manager_change.requested', { type: 'account_manager_change', id: row.id }, { newManagerId: candidate.id, newManagerLogin: candidate.login }));
    const organisationName = await repo.organisationName(trx, orgId);
    for (const admin of await repo.agencyAdministrators(trx)) {
      if (admin.email) await queueMail(trx, now, managerChangeRequestedMail({ to: admin.email, organisationName, operatorName: ctx.config.operatorName }));
    }
    return { id: row.id, status: row.status };
  });
}

export async function listManagerChanges(ctx: AppContext, status?: ChangeStatus) {
  return repo.listChanges(ctx.db, { status });
}

export async function changeExists(ctx: AppContext, id: string): Promise<boolean> {
  return repo.changeExists(ctx.db, id);
}

/** The pending change named in the path, locked; 404 for unknown ids, 409 once decided. */
async function lockPending(trx: Transaction<DB>, changeId: unknown) {
  const change = await repo.lockChange(trx, uuidOr404(changeId, CHANGE_NOT_FOUND));
  if (!change) throw problems.notFound(CHANGE_NOT_FOUND);
  if (change.status !== 'pending') throw problems.conflict('Cette demande a déjà été traitée.');
  return change;
}

export async function approveManagerChange(ctx: AppContext, actor: Actor, changeId: unknown, input: ApproveInput, meta: RequestMeta) {
  const now = ctx.clock.now();
  return ctx.db.transaction().execute(async (trx) => {
    const change = await lockPending(trx, changeId);
    const orgId = change.organisation_id;
    const newManager = await repo.findActiveStaff(trx, orgId, change.new_manager_id);
    if (!newManager) throw problems.conflict('Le compte désigné n’est plus actif dans cet organisme : refusez la demande.');
    await repo.grantManagerRole(trx, orgId, newManager.id, actor.accountId, now);
    const revoked = await repo.revokeOtherManagers(trx, orgId, newManager.id);
    const reason = input?.reason || null;
    await repo.decideChange(trx, change.id, { status: 'approved', by: actor.accountId, at: now, reason });
    const role = { application: 'gid', role: 'account_manager', via: 'account_manager_change', changeId: change.id };
    await recordAudit(trx, auditOf(actor, meta, now, orgId, 'account_manager_change.approved', { type: 'account_manager_change', id: change.id }, { newManagerId: newManager.id, revokedFrom: revoked }));
    await recordAudit(trx, auditOf(actor, meta, now, orgId, 'gid.habilitation_granted', { type: 'account', id: newManager.id }, role));
    for (const accountId of revoked) await recordAudit(trx, auditOf(actor, meta, now, orgId, 'gid.habilitation_revoked', { type: 'account', id: accountId }, role));
    await mailDecision(ctx, trx, now, change, { approved: true, reason, newManagerName: newManager.display_name });
    return { id: change.id, status: 'approved' as const };
  });
}

export async function rejectManagerChange(ctx: AppContext, actor: Actor, changeId: unknown, input: RejectInput, meta: RequestMeta) {
  const now = ctx.clock.now();
  return ctx.db.transaction().execute(async (trx) => {
    const change = await lockPending(trx, changeId);
    await repo.decideChange(trx, change.id, { status: 'rejected', by: actor.accountId, at: now, reason: input.reason });
    await recordAudit(trx, auditOf(actor, meta, now, change.organisation_id, 'account_manager_change.rejected', { type: 'account_manager_change', id: change.id }, { newManagerId: change.new_manager_id }));
    const newManager = await repo.accountContact(trx, change.new_manager_id);
    await mailDecision(ctx, trx, now, change, { approved: false, reason: input.reason, newManagerName: newManager?.display_name ?? '' });
    return { id: change.id, status: 'rejected' as const };
  });
}

/** The requester always hears the outcome; the designated account only when it gets the role. */
async function mailDecision(
  ctx: AppContext,
  trx: Transaction<DB>,
  now: Date,
  change: { organisation_id: string; requested_by: string; new_manager_id: string },
  d: { approved: boolean; reason: string | null; newManagerName: string },
): Promise<void> {
  const organisationName = await repo.organisationName(trx, change.organisation_id);
  const recipients: Array<{ id: string; role: 'requester' | 'new_manager' }> = [{ id: change.requested_by, role: 'requester' }];
  if (d.approved) recipients.push({ id: change.new_manager_id, role: 'new_manager' });
  for (const r of recipients) {
    const contact = await repo.accountContact(trx, r.id);
    if (!contact?.email) continue;
    await queueMail(trx, now, managerChangeDecidedMail({ to: contact.email, organisationName, newManagerName: d.newManagerName, approved: d.approved, role: r.role, reason: d.reason, operatorName: ctx.config.operatorName }));
  }
}
