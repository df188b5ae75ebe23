/**
 * Access review, as the account manager sees it
 * (docs/product/joining-and-habilitations.md#access-review): the current campaign of their
 * organisation and one decision per habilitation. Tenant guard first, then one transaction holding
 * the decision, its effect on the habilitation and the audit row.
 */
import type { AppContext, RequestMeta } from '../../../context.js';
import { problems } from '../../../http/problem.js';
import { byActor, recordAudit } from '../../audit/service.js';
import { ownOrganisationOr404 } from '../access.js';
import type { Actor } from '../policy.js';
import { closeComplete } from './jobs.js';
import * as repo from './repository.js';
import type { DecisionInput, ReviewDecision } from './rules.js';

export const NO_OPEN_REVIEW = 'Aucune revue des habilitations n’est en cours pour votre organisme.';

export interface CurrentReview {
  review: repo.ReviewRow;
  items: repo.ReviewItemRow[];
}

/** The open campaign of the actor's organisation, or null when there is none. */
export async function findCurrentReview(ctx: AppContext, actor: Actor, organisationId: unknown): Promise<CurrentReview | null> {
  const orgId = ownOrganisationOr404(actor, organisationId);
  const review = await repo.findOpenReview(ctx.db, orgId);
  if (!review) return null;
  return { review, items: await repo.listItems(ctx.db, review) };
}

/** When the last campaign opened, to tell the account manager when the next one comes. */
export async function lastReviewOpenedAt(ctx: AppContext, organisationId: string): Promise<Date | null> {
  return repo.lastOpenedAt(ctx.db, organisationId);
}

export interface DecisionResult {
  habilitationId: string;
  decision: ReviewDecision;
  reviewClosed: boolean;
}

/**
 * Records a decision: "confirmed" marks the habilitation reviewed (and lifts a suspension left by
 * an earlier campaign), "revoked" deletes it. The campaign row is locked so that concurrent
 * decisions close it exactly once, when the last item is decided.
 */
export async function decideReviewItem(ctx: AppContext, actor: Actor, organisationId: unknown, input: DecisionInput, meta: RequestMeta): Promise<DecisionResult> {
  const orgId = ownOrganisationOr404(actor, organisationId);
  const now = ctx.clock.now();
  return ctx.db.transaction().execute(async (trx) => {
    const open = await repo.findOpenReview(trx, orgId);
    const review = open && (await repo.lockReview(trx, open.id));
    if (!review) throw problems.notFound(NO_OPEN_REVIEW);
    const item = await repo.findItem(trx, review, input.habilitationId);
    if (!item) throw problems.notFound('Cette habilitation ne fait pas partie de la revue en cours.');
    if (item.decision || !(await repo.insertDecision(trx, { reviewId: review.id, habilitationId: item.id, decision: input.decision, at: now, by: actor.accountId }))) {
      throw problems.conflict('Cette habilitation a déjà été revue dans cette campagne.');
    }
    if (input.decision === 'confirmed') await repo.confirmHabilitation(trx, item.id, now);
    else await repo.deleteHabilitationRow(trx, orgId, item.id);
    await recordAudit(trx, {
      at: now,
      action: input.decision === 'confirmed' ? 'access_review.confirmed' : 'access_review.revoked',
      ...byActor(actor, meta),
      organisationId: orgId,
      target: { type: 'habilitation', id: item.id },
      details: { reviewId: review.id, accountId: item.account_id, login: item.login, application: item.application, role: item.role },
    });
    const reviewClosed = (await repo.countUndecided(trx, review)) === 0;
    if (reviewClosed) await closeComplete(trx, review, now);
    return { habilitationId: item.id, decision: input.decision, reviewClosed };
  });
}
