import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { actorOf, requestMeta } from '../../../http/request-meta.js';
import { noQuery, problemResponses } from '../../../http/schemas.js';
import { candidateOnly } from '../../habilitations/policy.js';
import { advisorOnly } from '../record/access.js';
import { QUOTE_TAGS } from '../record/routes.js';
import { candidateQuotesWire, queueQuery, queueWire } from './schemas.js';
import { advisorQueue, candidateQuotes } from './service.js';

/** The advisor's queue and the candidate's own list. */
export async function quoteQueueRoutes(fastify: FastifyInstance): Promise<void> {
  const app = fastify.withTypeProvider<ZodTypeProvider>();

  app.get(
    '/api/v1/quote-queue',
    {
      config: { access: advisorOnly },
      schema: {
        summary: 'File des devis à décider (conseiller), ceux qui attendent depuis le plus longtemps d’abord',
        tags: QUOTE_TAGS,
        querystring: queueQuery,
        response: { 200: queueWire, ...problemResponses(401, 403, 422) },
      },
    },
    async (request) => advisorQueue(app.ctx, actorOf(request), request.query, requestMeta(request)),
  );

  app.get(
    '/api/v1/me/quotes',
    {
      config: { access: candidateOnly },
      schema: {
        summary: 'Mes devis (candidat), les plus récents d’abord',
        tags: QUOTE_TAGS,
        querystring: noQuery,
        response: { 200: candidateQuotesWire, ...problemResponses(401, 403) },
      },
    },
    async (request) => candidateQuotes(app.ctx, actorOf(request)),
  );
}
