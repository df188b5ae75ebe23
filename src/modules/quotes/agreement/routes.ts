import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { actorOf, requestMeta } from '../../../http/request-meta.js';
import { noQuery, problemResponses } from '../../../http/schemas.js';
import { quoteReaders } from '../record/access.js';
import { QUOTE_TAGS } from '../record/routes.js';
import { quoteIdParams } from '../record/schemas.js';
import { agreementPdf } from './service.js';

/** The funding agreement of an approved quote, for its three parties. */
export async function agreementRoutes(fastify: FastifyInstance): Promise<void> {
  const app = fastify.withTypeProvider<ZodTypeProvider>();

  app.get(
    '/api/v1/quotes/:id/agreement.pdf',
    {
      config: { access: quoteReaders },
      schema: {
        summary: 'Télécharger l’accord de prise en charge (PDF) d’un devis validé',
        tags: QUOTE_TAGS,
        params: quoteIdParams,
        querystring: noQuery,
        response: {
          200: { description: 'L’accord de prise en charge (PDF).', content: { 'application/pdf': { schema: z.string().meta({ format: 'binary' }) } } },
          ...problemResponses(401, 403, 404),
        },
      },
    },
    async (request, reply) => {
      const { filename, pdf } = await agreementPdf(app.ctx, actorOf(request), request.params.id, requestMeta(request));
      return reply
        .header('Content-Type', 'application/pdf')
        .header('Content-Disposition', `attachment; filename="${filename}"`)
        .header('Cache-Control', 'private, no-store')
        // A Buffer is sent as it is (never serialised); the schema documents it as binary content.
        .send(pdf as unknown as string);
    },
  );
}
