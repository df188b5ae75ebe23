import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { problems } from '../../../http/problem.js';
import { actorOf, requestMeta } from '../../../http/request-meta.js';
import { accountManagerOnly, ownOrganisationInPath } from '../access.js';
import { decisionSchema } from './rules.js';
import { NO_OPEN_REVIEW, decideReviewItem, findCurrentReview } from './service.js';

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
