import type { FastifyInstance } from 'fastify';
import { uuidOr404 } from '../../http/ids.js';
import { actorOf, requestMeta } from '../../http/request-meta.js';
import { ALERT_NOT_FOUND, agencyAdmin, alertReaders, getAlert, listAlerts, reinstateFromAlert } from './alerts-service.js';

/** Security alerts: `GET /api/v1/security/alerts` and the reinstatement after review. */
export async function securityAlertRoutes(app: FastifyInstance): Promise<void> {
  const idOf = (params: unknown) => uuidOr404((params as { id: string }).id, ALERT_NOT_FOUND);
  app.get('/api/v1/security/alerts', { config: { access: alertReaders } }, async (request) => listAlerts(app.ctx, actorOf(request)));
  app.get('/api/v1/security/alerts/:id', { config: { access: alertReaders } }, async (request) => getAlert(app.ctx, actorOf(request), idOf(request.params)));
  app.post('/api/v1/security/alerts/:id/reinstate', { config: { access: agencyAdmin } }, async (request) =>
    reinstateFromAlert(app.ctx, actorOf(request), idOf(request.params), request.body, requestMeta(request)),
  );
}
