import type { Transaction } from 'kysely';
import type { DB } from '../../db/schema.js';
import type { AppContext, RequestMeta } from '../../context.js';
import { problems } from '../../http/problem.js';
import { queueMail } from '../../mail/mailer.js';
import { byActor, recordAudit } from '../audit/service.js';
import type { Actor } from '../habilitations/policy.js';
import { createPendingStaffAccount } from '../identity/index.js';
import { issueActivationCode } from './activation-codes.js';
import { createLetter } from './letters-service.js';
import {
  decideMembershipRequest,
  insertHabilitations,
  insertMembershipRequest,
  insertOrganisation,
  membershipRequestById,
  membershipRequests,
  organisationWithSiret,
} from './membership-repository.js';
import type { MembershipRequestInput } from './rules.js';

const DUPLICATE_SIRET = 'Ce SIRET fait déjà l’objet d’une demande d’adhésion en cours ou d’un organisme inscrit. Contactez l’assistance si vous pensez qu’il s’agit d’une erreur.';

function isUniqueViolation(err: unknown): boolean {
  return (err as { code?: string })?.code === '23505';
}

export async function submitMembershipRequest(ctx: AppContext, input: MembershipRequestInput, meta: RequestMeta) {
  const now = ctx.clock.now();
  try {
    return await ctx.db.transaction().execute(async (trx) => {
      const taken = await organisationWithSiret(trx, input.siret);
      if (taken) throw problems.conflict(DUPLICATE_SIRET);
      const row = await insertMembershipRequest(trx, {
        legal_name: input.legalName,
        siret: input.siret,
        nda: input.nda,
        qualiopi: input.qualiopi,
        qualiopi_expiry: input.qualiopi ? input.qualiopiExpiry : null,
        address: input.address,
        manager_last_name: input.accountManager.lastName,
        manager_first_name: input.accountManager.firstName,
        manager_email: input.accountManager.email,
        manager_phone: input.accountManager.phone,
        reason: null,
        created_at: now,
        decided_at: null,
        decided_by: null,
        organisation_id: null,
        });
      await queueMail(trx, now, {
        to: input.accountManager.email,
        subject: 'Kairos : demande d’adhésion reçue',
        text: `Bonjour,\n\nNous avons bien reçu la demande d’adhésion de ${input.legalName} à Kairos. Elle sera examinée par ${ctx.config.operatorName}.\nSi elle est acceptée, vous recevrez deux courriers distincts : votre identifiant, puis votre code d’activation.\n\nCe message est automatique.`,
      });
      await recordAudit(trx, {
        at: now,
        action: 'membership_request.submitted',
        target: { type: 'membership_request', id: row.id },
        ip: meta.ip,
        requestId: meta.requestId,
        details: { siret: input.siret },
      });
      return row;
    });
  } catch (err) {
    // Two simultaneous requests for one SIRET: the partial unique index decides.
    if (isUniqueViolation(err)) throw problems.conflict(DUPLICATE_SIRET);
    throw err;
  }
}

export interface RequestFilters {
  status?: 'pending' | 'approved' | 'rejected';
  from?: string;
  to?: string;
}

/**
 * Filter days are clamped to years the database and JavaScript share: `0000-01-01` and the day
 * after `9999-12-31` made PGlite fail (a 500, found by fuzzing); no request is dated outside.
 */
const clampDay = (day: string) => (day < '1900-01-01' ? '1900-01-01' : day > '2199-12-31' ? '2199-12-31' : day);

export async function listMembershipRequests(ctx: AppContext, filters: RequestFilters) {
  return membershipRequests(ctx.db, {
    ...(filters.status ? { status: filters.status } : {}),
    ...(filters.from ? { from: new Date(`${clampDay(filters.from)}T00:00:00Z`) } : {}),
    ...(filters.to ? { to: new Date(new Date(`${clampDay(filters.to)}T00:00:00Z`).getTime() + 86_400_000) } : {}),
  });
}

export async function getMembershipRequest(ctx: AppContext, id: string) {
  const row = await membershipRequestById(ctx.db, id);
  if (!row) throw problems.notFound('Cette demande d’adhésion est introuvable.');
  return row;
}

async function lockPending(trx: Transaction<DB>, id: string) {
  const request = await membershipRequestById(trx, id, { lock: true });
  if (!request) throw problems.notFound('Cette demande d’adhésion est introuvable.');
  if (request.status !== 'pending') throw problems.conflict('Cette demande a déjà été traitée.');
  return request;
}

/**
 * Approval, in one transaction: the organisation, its account manager's inactive account
 * with a generated login, the gid/account_manager and support/user habilitations, the two
 * letters as two separate jobs, and the audit rows.
 */
export async function approveMembershipRequest(ctx: AppContext, actor: Actor, id: string, meta: RequestMeta) {
  const now = ctx.clock.now();
  const audit = { at: now, ...byActor(actor, meta) };
  try {
    return await ctx.db.transaction().execute(async (trx) => {
      const r = await lockPending(trx, id);
      const orgId = await insertOrganisation(trx, {
        name: r.legal_name,
        kind: 'training_provider',
        siret: r.siret,
        nda: r.nda,
        qualiopi: r.qualiopi,
        qualiopi_expiry: r.qualiopi_expiry,
        address: r.address,
        created_at: now,
        });
      const org = { id: orgId };
      const manager = await createPendingStaffAccount(trx, {
        organisationId: org.id,
        firstName: r.manager_first_name,
        lastName: r.manager_last_name,
        email: r.manager_email,
        phone: r.manager_phone,
        now,
      });
      await insertHabilitations(trx, [
        { account_id: manager.id, organisation_id: org.id, application: 'gid', role: 'account_manager', granted_by: actor.accountId, granted_at: now },
        { account_id: manager.id, organisation_id: org.id, application: 'support', role: 'user', granted_by: actor.accountId, granted_at: now },
      ]);
      await decideMembershipRequest(trx, id, { status: 'approved', decided_at: now, decided_by: actor.accountId, organisation_id: org.id });
      const code = await issueActivationCode(trx, manager.id, now);
      await createLetter(ctx, trx, { organisationId: org.id, accountId: manager.id, kind: 'identifier', now });
      await createLetter(ctx, trx, { organisationId: org.id, accountId: manager.id, kind: 'activation', now, activationCode: code });
      await recordAudit(trx, { ...audit, action: 'membership_request.approved', organisationId: org.id, target: { type: 'membership_request', id } });
      await recordAudit(trx, { ...audit, action: 'organisation.created', organisationId: org.id, target: { type: 'organisation', id: org.id } });
      await recordAudit(trx, {
        ...audit,
        action: 'account.created',
        organisationId: org.id,
        target: { type: 'account', id: manager.id },
        details: { habilitations: ['gid/account_manager', 'support/user'] },
      });
      return { organisationId: org.id, accountManagerLogin: manager.login };
    });
  } catch (err) {
    if (isUniqueViolation(err)) throw problems.conflict('Un organisme avec ce SIRET est déjà inscrit.');
    throw err;
  }
}

export async function rejectMembershipRequest(ctx: AppContext, actor: Actor, id: string, reason: string, meta: RequestMeta) {
  const now = ctx.clock.now();
  await ctx.db.transaction().execute(async (trx) => {
    const r = await lockPending(trx, id);
    await decideMembershipRequest(trx, id, { status: 'rejected', reason, decided_at: now, decided_by: actor.accountId });
    await queueMail(trx, now, {
      to: r.manager_email,
      subject: 'Kairos : votre demande d’adhésion',
      text: `Bonjour,\n\nLa demande d’adhésion de ${r.legal_name} à Kairos n’a pas été acceptée, pour la raison suivante :\n\n${reason}\n\nVous pouvez déposer une nouvelle demande une fois ce point réglé.\n\n${ctx.config.operatorName}`,
    });
    await recordAudit(trx, {
      at: now,
      ...byActor(actor, meta),
      action: 'membership_request.rejected',
      target: { type: 'membership_request', id },
    });
  });
  return { id, status: 'rejected' as const };
}
