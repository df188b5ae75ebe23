import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { actorOf } from '../../http/request-meta.js';
import { noQuery, problemResponses } from '../../http/schemas.js';
import { signedIn } from '../habilitations/policy.js';
import { applicationsFor } from './service.js';

const applicationsSchema = z.object({
  applications: z.array(
    z.object({
      code: z.string(),
      name: z.string(),
      path: z.string(),
      roles: z.array(z.string()).describe('Les rôles de l’utilisateur dans l’application.'),
    }),
  ),
});

export async function portalRoutes(fastify: FastifyInstance): Promise<void> {
  const app = fastify.withTypeProvider<ZodTypeProvider>();
  app.get(
    '/api/v1/me/applications',
    {
      config: { access: signedIn },
      schema: {
        summary: 'Les applications où l’utilisateur a au moins une habilitation',
        tags: ['Portail'],
        querystring: noQuery,
        response: { 200: applicationsSchema, ...problemResponses(401, 422) },
      },
    },
    async (request) => ({
      applications: (await applicationsFor(app.ctx, actorOf(request))).map((a) => ({
        code: a.code,
        name: a.name,
        path: a.path,
        roles: a.roles.map((r) => r.code),
      })),
    }),
  );
}
