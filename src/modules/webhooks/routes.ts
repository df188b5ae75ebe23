import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { actorOf, requestMeta } from '../../http/request-meta.js';
import { noBody, noQuery, problemResponses } from '../../http/schemas.js';
import { accountManagerOnly, ownOrganisationInPath } from '../habilitations/access.js';
import {
  WEBHOOK_TAGS as tags,
  createBody,
  createdWire,
  deliveriesWire,
  deliveryParams,
  endpointParams,
  endpointWire,
  listWire,
  organisationParams,
  patchBody,
  replayWire,
} from './schemas.js';
import { createEndpoint, deleteEndpoint, listDeliveries, listEndpoints, replayDelivery, updateEndpoint } from './service.js';
import { deliveryJson, endpointJson } from './views.js';

/** The organisation's webhooks, for its account managers (another organisation's id: 404 before anything is judged). */
export async function webhookRoutes(app: FastifyInstance): Promise<void> {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const manager = { config: { access: accountManagerOnly }, preValidation: ownOrganisationInPath };
  const base = '/api/v1/organisations/:orgId/webhooks';

  r.post(
    base,
    { ...manager, schema: { summary: 'Déclarer un webhook (le secret de signature est montré une seule fois)', tags, params: organisationParams, querystring: noQuery, body: createBody, response: { 201: createdWire, ...problemResponses(401, 403, 404, 422) } } },
    async (request, reply) => {
      const { endpoint, secret } = await createEndpoint(app.ctx, actorOf(request), request.params.orgId, request.body, requestMeta(request));
      return reply.code(201).send({ ...endpointJson(endpoint), secret });
    },
  );

  r.get(
    base,
    { ...manager, schema: { summary: 'Les webhooks de mon organisme', tags, params: organisationParams, querystring: noQuery, response: { 200: listWire, ...problemResponses(401, 403, 404, 422) } } },
    async (request) => ({ webhooks: (await listEndpoints(app.ctx, actorOf(request), request.params.orgId)).map(endpointJson) }),
  );

  r.patch(
    `${base}/:id`,
    { ...manager, schema: { summary: 'Modifier un webhook (url, événements, activation)', tags, params: endpointParams, querystring: noQuery, body: patchBody, response: { 200: endpointWire, ...problemResponses(401, 403, 404, 422) } } },
    async (request) => endpointJson(await updateEndpoint(app.ctx, actorOf(request), request.params.orgId, request.params.id, request.body, requestMeta(request))),
  );

  r.delete(
    `${base}/:id`,
    { ...manager, schema: { summary: 'Supprimer un webhook et ses envois', tags, params: endpointParams, querystring: noQuery, body: noBody, response: { 204: z.null().describe('Supprimé.'), ...problemResponses(401, 403, 404, 422) } } },
    async (request, reply) => {
      await deleteEndpoint(app.ctx, actorOf(request), request.params.orgId, request.params.id, requestMeta(request));
      return reply.code(204).send(null);
    },
  );

  r.get(
    `${base}/:id/deliveries`,
    { ...manager, schema: { summary: 'Les 100 derniers envois d’un webhook', tags, params: endpointParams, querystring: noQuery, response: { 200: deliveriesWire, ...problemResponses(401, 403, 404, 422) } } },
    async (request) => ({ deliveries: (await listDeliveries(app.ctx, actorOf(request), request.params.orgId, request.params.id)).deliveries.map(deliveryJson) }),
  );

  r.post(
    `${base}/:id/deliveries/:deliveryId/replay`,
    { ...manager, schema: { summary: 'Rejouer un envoi (même identifiant, même contenu)', tags, params: deliveryParams, querystring: noQuery, body: noBody, response: { 202: replayWire, ...problemResponses(401, 403, 404, 409, 422) } } },
    async (request, reply) =>
      reply.code(202).send(await replayDelivery(app.ctx, actorOf(request), request.params.orgId, request.params.id, request.params.deliveryId, requestMeta(request))),
  );
}
