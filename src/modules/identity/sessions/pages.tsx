/** Signing out from a page. (The sessions' list and "end this session" are on the portal's page.) */
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { clearSessionCookie } from '../../../http/cookies.js';
import { actorOf, requestMeta } from '../../../http/request-meta.js';
import { emptyIfAbsent } from '../../../http/schemas.js';
import { signedIn } from '../../habilitations/policy.js';
import { signOut } from './service.js';

/** A form with nothing but its CSRF token (and its button). */
const actionForm = emptyIfAbsent(z.object({}));

export async function sessionPages(fastify: FastifyInstance): Promise<void> {
  const app = fastify.withTypeProvider<ZodTypeProvider>();

  app.post('/deconnexion', { config: { access: signedIn }, schema: { body: actionForm } }, async (request, reply) => {
    await signOut(app.ctx, actorOf(request), requestMeta(request));
    clearSessionCookie(reply, app.ctx.config);
    return reply.redirect('/connexion', 303);
  });
}
