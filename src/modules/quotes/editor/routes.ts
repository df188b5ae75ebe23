import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { actorOf, requestMeta } from '../../../http/request-meta.js';
import { noBody, problemResponses } from '../../../http/schemas.js';
import { organisationReaders, quoteEditor } from '../record/access.js';
import { QUOTE_TAGS } from '../record/routes.js';
import { quoteIdParams, quoteWire } from '../record/schemas.js';
import { cancelBody, listQuery, quoteCreateBody, quoteListWire, quotePatchBody } from './schemas.js';
import { cancelQuote, createQuote, listQuotes, newQuoteVersion, patchQuote, submitQuote } from './service.js';

/** The training organisation's side of the API: its list, drafts, submission, cancel and new versions. */
export async function quoteEditorRoutes(fastify: FastifyInstance): Promise<void> {
  const app = fastify.withTypeProvider<ZodTypeProvider>();
  const editor = { access: quoteEditor };

  app.post(
    '/api/v1/quotes',
    {
      config: editor,
      schema: {
        summary: 'Créer un brouillon de devis, complet ou à partir d’un modèle (templateId fournit la formation et, à défaut, le type)',
        tags: QUOTE_TAGS,
        body: quoteCreateBody,
        response: { 201: quoteWire, ...problemResponses(401, 403, 422) },
      },
    },
    async (request, reply) => reply.code(201).send(await createQuote(app.ctx, actorOf(request), request.body, requestMeta(request))),
  );

  app.get(
    '/api/v1/quotes',
    {
      config: { access: organisationReaders },
      schema: {
        summary: 'Lister les devis de mon organisme (20 par page, les plus récemment modifiés d’abord)',
        tags: QUOTE_TAGS,
        querystring: listQuery,
        response: { 200: quoteListWire, ...problemResponses(401, 403, 422) },
      },
    },
    async (request) => listQuotes(app.ctx, actorOf(request), request.query, requestMeta(request)),
  );

  app.patch(
    '/api/v1/quotes/:id',
    {
      config: editor,
      schema: {
        summary: 'Modifier un brouillon : chaque section donnée remplace la section enregistrée',
        tags: QUOTE_TAGS,
        params: quoteIdParams,
        body: quotePatchBody,
        response: { 200: quoteWire, ...problemResponses(401, 403, 404, 409, 422) },
      },
    },
    async (request) => patchQuote(app.ctx, actorOf(request), request.params.id, request.body, requestMeta(request)),
  );

  app.post(
    '/api/v1/quotes/:id/submit',
    {
      config: editor,
      schema: {
        summary: 'Soumettre un brouillon au candidat (422 listant chaque erreur bloquante)',
        tags: QUOTE_TAGS,
        params: quoteIdParams,
        body: noBody,
        response: { 200: quoteWire, ...problemResponses(401, 403, 404, 409, 422) },
      },
    },
    async (request) => submitQuote(app.ctx, actorOf(request), request.params.id, requestMeta(request)),
  );

  app.post(
    '/api/v1/quotes/:id/cancel',
    {
      config: editor,
      schema: {
        summary: 'Annuler un devis avant la décision du conseiller',
        tags: QUOTE_TAGS,
        params: quoteIdParams,
        body: cancelBody,
        response: { 200: quoteWire, ...problemResponses(401, 403, 404, 409, 422) },
      },
    },
    async (request) => {
      const { reason, version } = request.body;
      return cancelQuote(app.ctx, actorOf(request), request.params.id, requestMeta(request), { reason: reason ?? null, version });
    },
  );

  app.post(
    '/api/v1/quotes/:id/new-version',
    {
      config: editor,
      schema: {
        summary: 'Ouvrir une nouvelle version en brouillon après une demande de modifications',
        tags: QUOTE_TAGS,
        params: quoteIdParams,
        body: noBody,
        response: { 200: quoteWire, ...problemResponses(401, 403, 404, 409, 422) },
      },
    },
    async (request) => newQuoteVersion(app.ctx, actorOf(request), request.params.id, requestMeta(request)),
  );
}
