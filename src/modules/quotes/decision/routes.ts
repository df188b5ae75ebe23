import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { actorOf, requestMeta } from '../../../http/request-meta.js';
import { problemResponses } from '../../../http/schemas.js';
import { candidateOnly } from '../../habilitations/policy.js';
import { advisorOnly } from '../record/access.js';
import { QUOTE_TAGS } from '../record/routes.js';
import { quoteIdParams, quoteWire } from '../record/schemas.js';
import { advisorDecisionBody, candidateDecisionBody } from './schemas.js';
import { advisorDecision, candidateDecision } from './service.js';

/** The candidate's answer and the advisor's decision. */
export async function quoteDecisionRoutes(fastify: FastifyInstance): Promise<void> {
  const app = fastify.withTypeProvider<ZodTypeProvider>();

  app.post(
    '/api/v1/quotes/:id/candidate-decision',
    {
      config: { access: candidateOnly },
      schema: {
        summary: 'Accepter ou décliner un devis (candidat)',
        tags: QUOTE_TAGS,
        params: quoteIdParams,
        body: candidateDecisionBody,
        response: { 200: quoteWire, ...problemResponses(401, 403, 404, 409, 422) },
      },
    },
    async (request) => candidateDecision(app.ctx, actorOf(request), request.params.id, request.body, requestMeta(request)),
  );

  app.post(
    '/api/v1/quotes/:id/decision',
    {
      config: { access: advisorOnly },
      schema: {
        summary: 'Valider, refuser ou demander des modifications (conseiller ; motif obligatoire sauf pour valider)',
        tags: QUOTE_TAGS,
        params: quoteIdParams,
        body: advisorDecisionBody,
        response: { 200: quoteWire, ...problemResponses(401, 403, 404, 409, 422) },
      },
    },
    async (request) => advisorDecision(app.ctx, actorOf(request), request.params.id, request.body, requestMeta(request)),
  );
}
