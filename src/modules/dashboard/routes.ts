/** GET /api/v1/dashboard: the same figures as the dashboards of /kairos, for the blocks of the caller's roles. */
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { actorOf, requestMeta } from '../../http/request-meta.js';
import { problemResponses } from '../../http/schemas.js';
import { requireHabilitation } from '../habilitations/policy.js';
import { dashboardQuery, dashboardSchema } from './schemas.js';
import { dashboardFor } from './service.js';

/** Any Kairos role; the service then builds only the blocks of the roles held. */
export const dashboardReaders = requireHabilitation('kairos');

export async function dashboardRoutes(fastify: FastifyInstance): Promise<void> {
  const app = fastify.withTypeProvider<ZodTypeProvider>();
  app.get(
    '/api/v1/dashboard',
    {
      config: { access: dashboardReaders },
      schema: {
        summary: 'Tableau de bord : ce qui est à faire aujourd’hui et les indicateurs, pour chaque rôle de l’utilisateur dans Kairos',
        description:
          'Un bloc par rôle tenu (organisme de formation, conseiller, administrateur de l’agence), null pour les autres ; chaque chiffre est limité à ce que le rôle peut voir. `tri` ordonne le tableau par organisme de l’administrateur (retards, abandons ou nom).',
        tags: ['Tableau de bord'],
        querystring: dashboardQuery,
        response: { 200: dashboardSchema, ...problemResponses(401, 403, 422) },
      },
    },
    async (request) => dashboardFor(app.ctx, actorOf(request), requestMeta(request), request.query.tri),
  );
}
