/** Changing one's password through the API; every session ends, the current one included. */
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { clearSessionCookie } from '../../../http/cookies.js';
import { problems } from '../../../http/problem.js';
import { actorOf, requestMeta } from '../../../http/request-meta.js';
import { problemResponses } from '../../../http/schemas.js';
import { signedIn } from '../../habilitations/policy.js';
import { IDENTITY_TAGS } from '../schemas.js';
import { changePasswordBody } from './schemas.js';
import { changePassword } from './service.js';

export async function passwordRoutes(fastify: FastifyInstance): Promise<void> {
  const app = fastify.withTypeProvider<ZodTypeProvider>();

  app.post(
    '/api/v1/me/password',
    {
      config: { access: signedIn },
      schema: {
        summary: 'Changer de mot de passe (toutes les sessions se ferment, y compris celle-ci)',
        tags: IDENTITY_TAGS,
        body: changePasswordBody,
        response: { 204: z.null().describe('Changé ; se reconnecter.'), ...problemResponses(401, 403, 422) },
      },
    },
    async (request, reply) => {
      const result = await changePassword(app.ctx, actorOf(request), request.body, requestMeta(request));
      if (!result.ok) throw problems.invalid([{ field: result.field, message: result.message }]);
      clearSessionCookie(reply, app.ctx.config);
      return reply.code(204).send(null);
    },
  );
}
