/** Signing in through the API: the session cookie is set, the CSRF token answered. */
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { readSessionToken, setSessionCookie } from '../../../http/cookies.js';
import { HttpProblem, problems } from '../../../http/problem.js';
import { requestMeta } from '../../../http/request-meta.js';
import { problemResponses } from '../../../http/schemas.js';
import { publicAccess } from '../../habilitations/policy.js';
import { IDENTITY_TAGS } from '../schemas.js';
import { sessionIdFromToken } from '../sessions/session-rules.js';
import { SIGN_IN_FAILED, signInBody, signedInAnswer } from './schemas.js';
import { signIn } from './service.js';

export async function signInRoutes(fastify: FastifyInstance): Promise<void> {
  const app = fastify.withTypeProvider<ZodTypeProvider>();

  app.post(
    '/api/v1/session',
    {
      config: { access: publicAccess },
      schema: {
        summary: 'Se connecter (identifiant, mot de passe, code de vérification) ; la session est dans le cookie',
        tags: IDENTITY_TAGS,
        body: signInBody,
        response: { 200: signedInAnswer, ...problemResponses(401, 403, 422, 429) },
      },
    },
    async (request, reply) => {
      const token = readSessionToken(request, app.ctx.config);
      const result = await signIn(
        app.ctx,
        { ...request.body, previousSessionId: token ? sessionIdFromToken(token) : null },
        requestMeta(request),
      );
      if (!result.ok && result.reason === 'throttled') throw problems.tooMany(result.retryAfterSeconds);
      if (!result.ok) throw new HttpProblem(401, 'Échec de la connexion', SIGN_IN_FAILED);
      setSessionCookie(reply, app.ctx.config, result.token);
      return { csrfToken: result.csrfToken };
    },
  );
}
