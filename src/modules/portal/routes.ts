import type { FastifyInstance } from 'fastify';
import { actorOf } from '../../http/request-meta.js';
import { signedIn } from '../habilitations/policy.js';
import { applicationsFor } from './service.js';

export async function portalRoutes(app: FastifyInstance): Promise<void> {
  app.get('/api/v1/me/applications', { config: { access: signedIn } }, async (request) => ({
    applications: (await applicationsFor(app.ctx, actorOf(request))).map((a) => ({
      code: a.code,
      name: a.name,
      path: a.path,
      roles: a.roles.map((r) => r.code),
    })),
  }));
}
