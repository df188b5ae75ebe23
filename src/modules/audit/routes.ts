/** `GET /api/v1/audit`: one page of the audit trail (see trail-service.ts for who sees what). */
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { actorOf, requestMeta } from '../../http/request-meta.js';
import { problemResponses } from '../../http/schemas.js';
import { requireHabilitation } from '../habilitations/policy.js';
import { auditEntriesWire, auditQuerySchema } from './schemas.js';
import { readAuditTrail } from './trail-service.js';

export const auditReaders = requireHabilitation('gid', ['agency_admin', 'account_manager']);

export async function auditRoutes(app: FastifyInstance): Promise<void> {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const schema = {
    summary: 'Le journal d’audit, 50 lignes par page, les plus récentes d’abord (organisme : le sien seulement)',
    tags: ['Journal d’audit'],
    querystring: auditQuerySchema,
    response: { 200: auditEntriesWire, ...problemResponses(401, 403, 404, 422) },
  };
  r.get('/api/v1/audit', { config: { access: auditReaders }, schema }, async (request) => {
    const result = await readAuditTrail(app.ctx, actorOf(request), request.query, requestMeta(request));
    return {
      entries: result.rows.map((e) => ({
        id: e.id,
        at: e.at.toISOString(),
        actorLogin: e.actor_login,
        organisationId: e.organisation_id,
        action: e.action,
        targetType: e.target_type,
        targetId: e.target_id,
        ip: e.ip,
        details: e.details,
      })),
      page: result.page,
      hasMore: result.hasMore,
    };
  });
}
