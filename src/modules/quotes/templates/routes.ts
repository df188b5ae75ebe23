import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { throwIfParamsRefused } from '../../../http/forms.js';
import { actorOf, requestMeta } from '../../../http/request-meta.js';
import { emptyIfAbsent, noQuery, problemResponses } from '../../../http/schemas.js';
import { quoteEditor } from '../record/access.js';
import { templateCreateSchema, templateIdParams, templateRenameSchema, templateWire } from './schemas.js';
import { createTemplate, deleteTemplate, getTemplate, listTemplates, renameTemplate } from './service.js';

const TAGS = ['Modèles de devis'];

/** Quote templates, for the organisation's quote editors. */
export async function quoteTemplateRoutes(fastify: FastifyInstance): Promise<void> {
  const app = fastify.withTypeProvider<ZodTypeProvider>();
  const config = { access: quoteEditor };

  app.get(
    '/api/v1/quote-templates',
    {
      config,
      schema: {
        summary: 'Lister les modèles de devis de mon organisme (par nom)',
        tags: TAGS,
        querystring: noQuery,
        response: { 200: z.object({ templates: z.array(templateWire) }), ...problemResponses(401, 403) },
      },
    },
    async (request) => listTemplates(app.ctx, actorOf(request)),
  );

  app.post(
    '/api/v1/quote-templates',
    {
      config,
      schema: {
        summary: 'Enregistrer un modèle : la formation d’un devis de l’organisme (quoteId) ou une formation donnée',
        tags: TAGS,
        body: emptyIfAbsent(templateCreateSchema),
        response: { 201: templateWire, ...problemResponses(401, 403, 409, 422) },
      },
    },
    async (request, reply) => reply.code(201).send(await createTemplate(app.ctx, actorOf(request), request.body, requestMeta(request))),
  );

  app.get(
    '/api/v1/quote-templates/:id',
    {
      config,
      schema: {
        summary: 'Lire un modèle de devis',
        tags: TAGS,
        params: templateIdParams,
        querystring: noQuery,
        response: { 200: templateWire, ...problemResponses(401, 403, 404) },
      },
    },
    async (request) => getTemplate(app.ctx, actorOf(request), request.params.id),
  );

  app.patch(
    '/api/v1/quote-templates/:id',
    {
      config,
      // Another organisation's template answers 404 whatever the body: ownership is checked before the name.
      attachValidation: true,
      schema: {
        summary: 'Renommer un modèle de devis',
        tags: TAGS,
        params: templateIdParams,
        body: emptyIfAbsent(templateRenameSchema),
        response: { 200: templateWire, ...problemResponses(401, 403, 404, 422) },
      },
    },
    async (request) => {
      throwIfParamsRefused(request);
      if (request.validationError) {
        await getTemplate(app.ctx, actorOf(request), request.params.id);
        throw request.validationError;
      }
      return renameTemplate(app.ctx, actorOf(request), request.params.id, request.body.name, requestMeta(request));
    },
  );

  app.delete(
    '/api/v1/quote-templates/:id',
    {
      config,
      schema: {
        summary: 'Supprimer un modèle (les devis commencés à partir de lui ne changent pas)',
        tags: TAGS,
        params: templateIdParams,
        querystring: noQuery,
        response: { 204: z.null().describe('Supprimé.'), ...problemResponses(401, 403, 404) },
      },
    },
    async (request, reply) => {
      await deleteTemplate(app.ctx, actorOf(request), request.params.id, requestMeta(request));
      return reply.code(204).send(null);
    },
  );
}
