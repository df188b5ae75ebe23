import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { actorOf, requestMeta } from '../../../http/request-meta.js';
import { noQuery, problemResponses } from '../../../http/schemas.js';
import { quoteReaders } from './access.js';
import { quoteIdParams, quoteWire } from './schemas.js';
import { getQuote } from './service.js';

export const QUOTE_TAGS = ['Devis'];

/** Reading a quote, for each of its three parties (each sees its own view of it). */
export async function quoteRecordRoutes(fastify: FastifyInstance): Promise<void> {
  const app = fastify.withTypeProvider<ZodTypeProvider>();

  app.get(
    '/api/v1/quotes/:id',
    {
      config: { access: quoteReaders },
      schema: {
        summary: 'Lire un devis (organisme, conseiller ou candidat)',
        tags: QUOTE_TAGS,
        params: quoteIdParams,
        querystring: noQuery,
        response: { 200: quoteWire, ...problemResponses(401, 403, 404) },
      },
    },
    async (request) => getQuote(app.ctx, actorOf(request), request.params.id, requestMeta(request)),
  );
}
