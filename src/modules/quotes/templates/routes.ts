import type { FastifyInstance } from 'fastify';
import { uuidOr404 } from '../../../http/ids.js';
import { actorOf, requestMeta } from '../../../http/request-meta.js';
import { quoteEditor } from '../editor/routes.js';
import { TEMPLATE_NOT_FOUND, createTemplate, deleteTemplate, getTemplate, listTemplates, renameTemplate } from './service.js';

/** Quote templates, for the organisation's quote editors. */
export async function quoteTemplateRoutes(app: FastifyInstance): Promise<void> {
  const config = { access: quoteEditor };
  const idOf = (params: unknown) => uuidOr404((params as { id: string }).id, TEMPLATE_NOT_FOUND);

  app.get('/api/v1/quote-templates', { config }, async (request) => listTemplates(app.ctx, actorOf(request)));

  app.post('/api/v1/quote-templates', { config }, async (request, reply) =>
    reply.code(201).send(await createTemplate(app.ctx, actorOf(request), request.body, requestMeta(request))),
  );

  app.get('/api/v1/quote-templates/:id', { config }, async (request) => getTemplate(app.ctx, actorOf(request), idOf(request.params)));

  app.patch('/api/v1/quote-templates/:id', { config }, async (request) =>
    renameTemplate(app.ctx, actorOf(request), idOf(request.params), request.body, requestMeta(request)),
  );

  app.delete('/api/v1/quote-templates/:id', { config }, async (request, reply) => {
    await deleteTemplate(app.ctx, actorOf(request), idOf(request.params), requestMeta(request));
    return reply.code(204).send();
  });
}
