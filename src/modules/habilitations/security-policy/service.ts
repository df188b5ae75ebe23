/**
 * The internal security policy
 * (docs/product/joining-and-habilitations.md#internal-security-policy): the account manager writes
 * down who may hold which role and how departures are handled; the agency sees which organisations
 * have none.
 */
import type { AppContext, RequestMeta } from '../../../context.js';
import { byActor, recordAudit } from '../../audit/service.js';
import { ownOrganisationOr404 } from '../access.js';
import type { Actor } from '../policy.js';
import * as repo from './repository.js';
import { changedFields, type PolicyInput } from './rules.js';

export interface PolicyView {
  rolesPolicy: string;
  departuresPolicy: string;
  otherRules: string;
  updatedAt: Date;
  updatedBy: { id: string; displayName: string | null };
}

function toView(row: repo.PolicyRow): PolicyView {
  return {
    rolesPolicy: row.roles_policy,
    departuresPolicy: row.departures_policy,
    otherRules: row.other_rules,
    updatedAt: row.updated_at,
    updatedBy: { id: row.updated_by, displayName: row.updated_by_name },
  };
}

/** The policy of the actor's own organisation, or null when it has not been written yet. */
export async function getSecurityPolicy(ctx: AppContext, actor: Actor, organisationId: unknown): Promise<PolicyView | null> {
  const orgId = ownOrganisationOr404(actor, organisationId);
  const row = await repo.findPolicy(ctx.db, orgId);
  return row ? toView(row) : null;
}

/** Writes the policy; an identical resubmission changes nothing and records nothing. */
export async function saveSecurityPolicy(ctx: AppContext, actor: Actor, organisationId: unknown, input: PolicyInput, meta: RequestMeta): Promise<PolicyView> {
  const orgId = ownOrganisationOr404(actor, organisationId);
  const now = ctx.clock.now();
  await ctx.db.transaction().execute(async (trx) => {
    const before = await repo.lockPolicy(trx, orgId);
    const previous = before ? { rolesPolicy: before.roles_policy, departuresPolicy: before.departures_policy, otherRules: before.other_rules } : null;
    const changed = changedFields(previous, input);
    if (before && changed.length === 0) return;
    await repo.upsertPolicy(trx, orgId, input, actor.accountId, now);
    await recordAudit(trx, {
      at: now,
      action: before ? 'security_policy.updated' : 'security_policy.created',
      ...byActor(actor, meta),
      organisationId: orgId,
      target: { type: 'security_policy', id: orgId },
      details: { changed, lengths: { rolesPolicy: input.rolesPolicy.length, departuresPolicy: input.departuresPolicy.length, otherRules: input.otherRules.length } },
    });
  });
  return toView((await repo.findPolicy(ctx.db, orgId))!);
}

export async function organisationsMissingPolicy(ctx: AppContext) {
  return repo.organisationsWithoutPolicy(ctx.db);
}
