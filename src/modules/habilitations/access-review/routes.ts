import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { problems } from '../../../http/problem.js';
import { actorOf, requestMeta } from '../../../http/request-meta.js';
import { noQuery, problemResponses } from '../../../http/schemas.js';
import { accountManagerOnly, ownOrganisationInPath } from '../access.js';
import { decisionSchema } from './rules.js';
import { REVIEW_TAGS, decisionWire, organisationParams, reviewWire } from './schemas.js';
import { NO_OPEN_REVIEW, decideReviewItem, findCurrentReview } from './service.js';

/** The account manager's review of their own organisation; another organisation's id is a 404 before anything is judged. */
export async function reviewRoutes(app: FastifyInstance): Promise<void> {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const config = { access: accountManagerOnly };
  const tags = REVIEW_TAGS;

  r.get(
    '/api/v1/organisations/:orgId/access-review',
    {
      config,
      preValidation: ownOrganisationInPath,
      schema: {
        summary: 'La revue des habilitations en cours de mon organisme',
        tags,
        params: organisationParams,
        querystring: noQuery,
        response: { 200: reviewWire, ...problemResponses(401, 403, 404, 422) },
      },
    },
    async (request) => {
      const current = await findCurrentReview(app.ctx, actorOf(request), request.params.orgId);
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
    },
  );

  r.post(
    '/api/v1/organisations/:orgId/access-review/decisions',
    {
      config,
      preValidation: ownOrganisationInPath,
      schema: {
        summary: 'Confirmer ou retirer une habilitation de la revue en cours',
        tags,
        params: organisationParams,
        body: decisionSchema,
        response: { 200: decisionWire, ...problemResponses(401, 403, 404, 409, 422) },
      },
    },
    async (request) => decideReviewItem(app.ctx, actorOf(request), request.params.orgId, request.body, requestMeta(request)),
  );
}
