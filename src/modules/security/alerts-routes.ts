import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { uuidOr404 } from '../../http/ids.js';
import { actorOf, requestMeta } from '../../http/request-meta.js';
import { emptyIfAbsent, noQuery, problemResponses } from '../../http/schemas.js';
import { ALERT_NOT_FOUND, agencyAdmin, alertInScope, alertReaders, getAlert, listAlerts, reinstateFromAlert } from './alerts-service.js';
import { ALERT_TAGS, alertDetailWire, alertListWire, alertParams, reinstateSchema } from './schemas.js';

/** Runs before the body is judged: an alert the actor may not see is a 404, whatever was sent. */
export async function alertInPath(this: FastifyInstance, request: FastifyRequest): Promise<void> {
  await alertInScope(this.ctx, actorOf(request), uuidOr404((request.params as { id?: unknown }).id, ALERT_NOT_FOUND));
}

/** Security alerts: `GET /api/v1/security/alerts` and the reinstatement after review. */
export async function securityAlertRoutes(fastify: FastifyInstance): Promise<void> {
  const app = fastify.withTypeProvider<ZodTypeProvider>();
  const tags = ALERT_TAGS;
  const readers = { access: alertReaders };

  app.get(
    '/api/v1/security/alerts',
    { config: readers, schema: { summary: 'Alertes de sécurité (agence : toutes ; organisme : les siennes), 200 au plus', tags, querystring: noQuery, response: { 200: alertListWire, ...problemResponses(401, 403, 422) } } },
    async (request) => listAlerts(app.ctx, actorOf(request)),
  );

  app.get(
    '/api/v1/security/alerts/:id',
    {
      config: readers,
      schema: { summary: 'Une alerte et sa trace (candidats consultés, actions de l’heure)', tags, params: alertParams, querystring: noQuery, response: { 200: alertDetailWire, ...problemResponses(401, 403, 404, 422) } },
    },
    async (request) => getAlert(app.ctx, actorOf(request), request.params.id),
  );

  app.post(
    '/api/v1/security/alerts/:id/reinstate',
    {
      config: { access: agencyAdmin },
      preValidation: alertInPath,
      schema: {
        summary: 'Après vérification : rétablir le compte suspendu, ou libérer les comptes retenus',
        tags,
        params: alertParams,
        body: emptyIfAbsent(reinstateSchema),
        response: { 200: alertDetailWire, ...problemResponses(401, 403, 404, 409, 422) },
      },
    },
    async (request) => reinstateFromAlert(app.ctx, actorOf(request), request.params.id, request.body, requestMeta(request)),
  );
}
