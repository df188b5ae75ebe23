import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { problems } from '../../../http/problem.js';
import { noQuery, problemResponses } from '../../../http/schemas.js';
import { supportAgent } from '../policy.js';
import { REFERENCE_NOT_FOUND, referenceParams, referenceSchema } from './schemas.js';
import { findReference } from './service.js';

/** The support agent's lookup of an error reference (docs/product/support.md#error-references). */
export async function referenceRoutes(fastify: FastifyInstance): Promise<void> {
  const app = fastify.withTypeProvider<ZodTypeProvider>();
  app.get(
    '/api/v1/support/references/:requestId',
    {
      config: { access: supportAgent },
      schema: {
        summary: 'Ce que le serveur a enregistré derrière une référence d’erreur (30 jours)',
        tags: ['Assistance'],
        params: referenceParams,
        querystring: noQuery,
        response: { 200: referenceSchema, ...problemResponses(401, 403, 404, 422) },
      },
    },
    async (request) => {
      const row = await findReference(app.ctx, request.params.requestId);
      if (!row) throw problems.notFound(REFERENCE_NOT_FOUND);
      return {
        requestId: row.request_id,
        at: row.at.toISOString(),
        method: row.method,
        route: row.route,
        status: row.status,
        user: row.login ? { login: row.login } : null,
        organisationId: row.organisation_id,
        errorClass: row.error_class,
        message: row.message,
      };
    },
  );
}
