import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { actorOf, requestMeta } from '../../http/request-meta.js';
import { noQuery, problemResponses } from '../../http/schemas.js';
import { candidateOnly, requireHabilitation } from '../habilitations/policy.js';
import { parisDay } from '../onboarding/rules.js';
import { candidateFileSchema, candidateInputSchema, candidateSchema, identifierParams, searchQuery } from './schemas.js';
import { candidateFile, candidateView, ownProfile, registerCandidate, searchForAdvisor } from './service.js';

/** Only advisors browse candidates: a training organisation never lists or searches them. */
export const advisorOnly = requireHabilitation('kairos', ['advisor']);

const TAGS = ['Candidats'];

export async function candidateRoutes(fastify: FastifyInstance): Promise<void> {
  const app = fastify.withTypeProvider<ZodTypeProvider>();
  const today = () => parisDay(app.ctx.clock.now());

  app.post(
    '/api/v1/candidates',
    {
      config: { access: advisorOnly },
      schema: {
        summary: 'Enregistrer un candidat',
        tags: TAGS,
        body: candidateInputSchema(today),
        response: { 201: candidateSchema, ...problemResponses(401, 403, 409, 422) },
      },
    },
    async (request, reply) => {
      const row = await registerCandidate(app.ctx, actorOf(request), request.body, requestMeta(request));
      return reply.code(201).send(candidateView(row));
    },
  );

  app.get(
    '/api/v1/candidates',
    {
      config: { access: advisorOnly },
      schema: {
        summary: 'Rechercher des candidats (nom, prénom ou début d’identifiant ; 50 au plus)',
        tags: TAGS,
        querystring: searchQuery,
        response: { 200: z.object({ candidates: z.array(candidateSchema) }), ...problemResponses(401, 403, 422) },
      },
    },
    async (request) => ({ candidates: await searchForAdvisor(app.ctx, actorOf(request), request.query.q, requestMeta(request)) }),
  );

  app.get(
    '/api/v1/candidates/:identifier',
    {
      config: { access: advisorOnly },
      schema: {
        summary: 'Dossier d’un candidat et ses devis',
        tags: TAGS,
        params: identifierParams,
        querystring: noQuery,
        response: { 200: candidateFileSchema, ...problemResponses(401, 403, 404) },
      },
    },
    async (request) => candidateFile(app.ctx, actorOf(request), request.params.identifier, requestMeta(request)),
  );

  app.get(
    '/api/v1/me/profile',
    {
      config: { access: candidateOnly },
      schema: {
        summary: 'Mon dossier de candidat',
        tags: TAGS,
        querystring: noQuery,
        response: { 200: candidateSchema, ...problemResponses(401, 403, 404) },
      },
    },
    async (request) => ownProfile(app.ctx, actorOf(request)),
  );
}
