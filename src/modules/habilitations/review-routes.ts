import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { problems } from '../../http/problem.js';
import { actorOf, requestMeta } from '../../http/request-meta.js';
import { requireHabilitation } from './policy.js';
import { decisionSchema } from './review-rules.js';
import { NO_OPEN_REVIEW, decideReviewItem, findCurrentReview, ownOrganisationOr404 } from './review-service.js';

export const accountManagerOnly = requireHabilitation('gid', ['account_manager']);

/**
 * Runs before body validation: a caller naming another organisation gets the same 404 whatever
 * its body, so not even a 422 tells it anything about that organisation.
 */
export async function ownOrganisationInPath(request: FastifyRequest): Promise<void> {
  ownOrganisationOr404(actorOf(request), (request.params as { orgId?: unknown }).orgId);
}

export async function reviewRoutes(app: FastifyInstance): Promise<void> {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const config = { access: accountManagerOnly };

  r.get('/api/v1/organisations/:orgId/access-review', { config, preValidation: ownOrganisationInPath }, async (request) => {
    const current = await findCurrentReview(app.ctx, actorOf(request), (request.params as { orgId: string }).orgId);
    if (!current) throw problems.notFound(NO_OPEN_REVIEW);
    return {
      id: current.review.id,
      openedAt: current.review.opened_at.toISOString(),
      dueAt: current.review.due_at.toISOString(),
      items: current.items.map((i) => ({
        habilitationId: i.habilitationId,
        userId: i.userId,
        displayName: i.displayName,
        application: i.application,
        role: i.role,
        suspended: i.suspendedAt !== null,
        decision: i.decision ?? null,
      })),
    };
  });

  r.post(
    '/api/v1/organisations/:orgId/access-review/decisions',
    { config, preValidation: ownOrganisationInPath, schema: { body: decisionSchema } },
    async (request) => decideReviewItem(app.ctx, actorOf(request), (request.params as { orgId: string }).orgId, request.body, requestMeta(request)),
  );
}
