/**
 * Support requests, JSON API. Any signed-in account may ask for help;
 * support agents (support/agent) read every request and work the queue.
 */
import type { FastifyInstance } from 'fastify';
import type { z } from 'zod';
import { uuidOr404 } from '../../../http/ids.js';
import { HttpProblem, TITLES, fieldErrorsFrom, problems } from '../../../http/problem.js';
import { actorOf, requestMeta } from '../../../http/request-meta.js';
import { signedIn } from '../../habilitations/policy.js';
import { supportAgent } from '../policy.js';
import { contentDisposition } from './files.js';
import { readCreation, type CreationInput } from './input.js';
import { acceptScreenshotUploads } from './multipart.js';
import { ownListSchema, queueSchema, replySchema, statusSchema, withoutEmpty } from './rules.js';
import {
  ATTACHMENT_NOT_FOUND,
  REQUEST_NOT_FOUND,
  changeRequestStatus,
  createSupportRequest,
  downloadAttachment,
  getSupportRequest,
  listOwnRequests,
  listQueue,
  replyToRequest,
} from './service.js';

function parse<T extends z.ZodType>(schema: T, value: unknown): z.output<T> {
  const parsed = schema.safeParse(value ?? {});
  if (!parsed.success) throw problems.invalid(fieldErrorsFrom(parsed.error.issues));
  return parsed.data;
}

/** The refusal of a new request: 413 when a screenshot is too large, 422 otherwise. */
export function creationProblem(result: Extract<CreationInput, { ok: false }>): HttpProblem {
  if (result.status === 413) {
    return new HttpProblem(413, TITLES[413], 'Une capture d’écran dépasse 5 Mo : réduisez-la puis envoyez de nouveau la demande.', result.errors);
  }
  return problems.invalid(result.errors);
}

const idOf = (params: unknown) => uuidOr404((params as { id: string }).id, REQUEST_NOT_FOUND);

export async function supportRequestRoutes(app: FastifyInstance): Promise<void> {
  const access = { access: signedIn };

  // Multipart is accepted by this scope only (see multipart.ts).
  await app.register(async (uploads) => {
    acceptScreenshotUploads(uploads);
    uploads.post('/api/v1/support-requests', { config: access }, async (request, reply) => {
      const result = readCreation(request.body);
      if (!result.ok) throw creationProblem(result);
      const created = await createSupportRequest(app.ctx, actorOf(request), result.input, result.files, requestMeta(request));
      return reply.code(201).header('location', `/api/v1/support-requests/${created.id}`).send({ id: created.id, status: created.status });
    });
  });

  app.get('/api/v1/support-requests', { config: access }, async (request) =>
    listOwnRequests(app.ctx, actorOf(request), parse(ownListSchema, withoutEmpty(request.query))),
  );

  app.get('/api/v1/support/queue', { config: { access: supportAgent } }, async (request) => listQueue(app.ctx, parse(queueSchema, withoutEmpty(request.query))));

  app.get('/api/v1/support-requests/:id', { config: access }, async (request) => getSupportRequest(app.ctx, actorOf(request), idOf(request.params)));

  app.post('/api/v1/support-requests/:id/messages', { config: access }, async (request, reply) => {
    const id = idOf(request.params);
    const { body } = parse(replySchema, request.body);
    return reply.code(201).send(await replyToRequest(app.ctx, actorOf(request), id, body, requestMeta(request)));
  });

  app.post('/api/v1/support-requests/:id/status', { config: access }, async (request) => {
    const id = idOf(request.params);
    const { status } = parse(statusSchema, request.body);
    return changeRequestStatus(app.ctx, actorOf(request), id, status, requestMeta(request));
  });

  app.get('/api/v1/support-requests/:id/attachments/:attachmentId', { config: access }, async (request, reply) => {
    const id = idOf(request.params);
    const attachmentId = uuidOr404((request.params as { attachmentId: string }).attachmentId, ATTACHMENT_NOT_FOUND);
    const file = await downloadAttachment(app.ctx, actorOf(request), id, attachmentId, requestMeta(request));
    // Never rendered by the browser: downloaded, with the type checked at upload, not guessed.
    return reply
      .type(file.mediaType)
      .header('content-disposition', contentDisposition(file.fileName))
      .header('x-content-type-options', 'nosniff')
      .header('cache-control', 'private, no-store')
      .header('content-security-policy', "default-src 'none'; sandbox")
      .send(file.data);
  });
}
