/**
 * Support requests, JSON API (docs/product/support.md#support-requests). Any signed-in account may
 * ask for help; support agents (support/agent) read every request and work the queue.
 */
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { HttpProblem, TITLES, problems } from '../../../http/problem.js';
import { actorOf, requestMeta } from '../../../http/request-meta.js';
import { noQuery, problemResponses } from '../../../http/schemas.js';
import { signedIn } from '../../habilitations/policy.js';
import { supportAgent } from '../policy.js';
import { ACCEPTED_TYPES, contentDisposition } from './files.js';
import { creationBody, type CreationInput } from './input.js';
import { listJson, requestJson } from './json.js';
import { acceptScreenshotUploads } from './multipart.js';
import {
  attachmentParams,
  createdSchema,
  movedSchema,
  ownListQuery,
  queueQuery,
  replyBody,
  requestListSchema,
  requestParams,
  requestSchema,
  statusBody,
} from './schemas.js';
import { changeRequestStatus, createSupportRequest, downloadAttachment, getSupportRequest, listOwnRequests, listQueue, replyToRequest } from './service.js';

const TAGS = ['Assistance'];

/** The refusal of a new request: 413 when a screenshot is too large, 422 otherwise. */
export function creationProblem(result: Extract<CreationInput, { ok: false }>): HttpProblem {
  if (result.status === 413) {
    return new HttpProblem(413, TITLES[413], 'Une capture d’écran dépasse 5 Mo : réduisez-la puis envoyez de nouveau la demande.', result.errors);
  }
  return problems.invalid(result.errors);
}

export async function supportRequestRoutes(fastify: FastifyInstance): Promise<void> {
  const app = fastify.withTypeProvider<ZodTypeProvider>();
  const access = { access: signedIn };

  // Multipart is accepted by this scope only (see multipart.ts).
  await app.register(async (scope) => {
    acceptScreenshotUploads(scope);
    scope.withTypeProvider<ZodTypeProvider>().post(
      '/api/v1/support-requests',
      {
        config: access,
        schema: {
          summary: 'Demander de l’aide (avec des captures d’écran en multipart/form-data)',
          tags: TAGS,
          body: creationBody,
          response: { 201: createdSchema, ...problemResponses(401, 403, 413, 415, 422) },
        },
      },
      async (request, reply) => {
        const result = request.body;
        if (!result.ok) throw creationProblem(result);
        const created = await createSupportRequest(app.ctx, actorOf(request), result.input, result.files, requestMeta(request));
        return reply.code(201).header('location', `/api/v1/support-requests/${created.id}`).send({ id: created.id, status: created.status });
      },
    );
  });

  app.get(
    '/api/v1/support-requests',
    {
      config: access,
      schema: { summary: 'Mes demandes d’assistance, les plus récemment mises à jour d’abord', tags: TAGS, querystring: ownListQuery, response: { 200: requestListSchema, ...problemResponses(401, 422) } },
    },
    async (request) => listJson(await listOwnRequests(app.ctx, actorOf(request), request.query)),
  );

  app.get(
    '/api/v1/support/queue',
    {
      config: { access: supportAgent },
      schema: { summary: 'La file de l’assistance, les plus anciennes d’abord', tags: TAGS, querystring: queueQuery, response: { 200: requestListSchema, ...problemResponses(401, 403, 422) } },
    },
    async (request) => listJson(await listQueue(app.ctx, request.query)),
  );

  app.get(
    '/api/v1/support-requests/:id',
    {
      config: access,
      schema: { summary: 'Une demande, ses messages et ses pièces jointes', tags: TAGS, params: requestParams, querystring: noQuery, response: { 200: requestSchema, ...problemResponses(401, 404, 422) } },
    },
    async (request) => requestJson(await getSupportRequest(app.ctx, actorOf(request), request.params.id)),
  );

  app.post(
    '/api/v1/support-requests/:id/messages',
    {
      config: access,
      schema: { summary: 'Répondre sur une demande', tags: TAGS, params: requestParams, body: replyBody, response: { 201: movedSchema, ...problemResponses(401, 403, 404, 409, 422) } },
    },
    async (request, reply) => reply.code(201).send(await replyToRequest(app.ctx, actorOf(request), request.params.id, request.body.body, requestMeta(request))),
  );

  app.post(
    '/api/v1/support-requests/:id/status',
    {
      config: access,
      schema: { summary: 'Clore ou rouvrir une demande', tags: TAGS, params: requestParams, body: statusBody, response: { 200: movedSchema, ...problemResponses(401, 403, 404, 409, 422) } },
    },
    async (request) => changeRequestStatus(app.ctx, actorOf(request), request.params.id, request.body.status, requestMeta(request)),
  );

  app.get(
    '/api/v1/support-requests/:id/attachments/:attachmentId',
    {
      config: access,
      schema: {
        summary: 'Télécharger une capture d’écran (jamais affichée par le navigateur)',
        tags: TAGS,
        params: attachmentParams,
        querystring: noQuery,
        response: {
          200: {
            description: 'La capture, du type vérifié à l’envoi.',
            content: Object.fromEntries(ACCEPTED_TYPES.map((type) => [type, { schema: z.string().meta({ format: 'binary' }) }])),
          },
          ...problemResponses(401, 404, 422),
        },
      },
    },
    async (request, reply) => {
      const file = await downloadAttachment(app.ctx, actorOf(request), request.params.id, request.params.attachmentId, requestMeta(request));
      // Never rendered by the browser: downloaded, with the type checked at upload, not guessed.
      return reply
        .type(file.mediaType)
        .header('content-disposition', contentDisposition(file.fileName))
        .header('x-content-type-options', 'nosniff')
        .header('cache-control', 'private, no-store')
        .header('content-security-policy', "default-src 'none'; sandbox")
        // A Buffer is sent as it is (never serialised); the schema documents it as binary content.
        .send(file.data as unknown as string);
    },
  );
}
