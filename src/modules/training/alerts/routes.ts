/** The advisor's alert list (docs/product/training-follow-up.md#alerts): alerts about their candidates only. */
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { actorOf, requestMeta } from '../../../http/request-meta.js';
import { noQuery, problemResponses } from '../../../http/schemas.js';
import { advisors } from '../policy.js';
import { TRAINING_TAGS } from '../schemas.js';
import { alertsSchema } from './schemas.js';
import { listAlerts } from './service.js';

export async function alertRoutes(fastify: FastifyInstance): Promise<void> {
  const app = fastify.withTypeProvider<ZodTypeProvider>();
  app.get(
    '/api/v1/training-alerts',
    {
      config: { access: advisors },
      schema: {
        summary: 'Alertes sur mes candidats (absences injustifiées, abandon, bilan en retard), 200 au plus',
        tags: TRAINING_TAGS,
        querystring: noQuery,
        response: { 200: alertsSchema, ...problemResponses(401, 403, 422) },
      },
    },
    async (request) => listAlerts(app.ctx, actorOf(request), requestMeta(request)),
  );
}
