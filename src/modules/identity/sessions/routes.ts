/** The signed-in person's sessions: signing out, who am I, my sessions, ending one of them. */
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { clearSessionCookie } from '../../../http/cookies.js';
import { problems } from '../../../http/problem.js';
import { actorOf, requestMeta } from '../../../http/request-meta.js';
import { noQuery, problemResponses } from '../../../http/schemas.js';
import { signedIn } from '../../habilitations/policy.js';
import { IDENTITY_TAGS } from '../schemas.js';
import { SESSION_NOT_FOUND, meSchema, mySessionsSchema, sessionIdParams } from './schemas.js';
import { endOwnSession, mySessions, signOut } from './service.js';

const ENDED = { 204: z.null().describe('Terminée.') };

export async function sessionRoutes(fastify: FastifyInstance): Promise<void> {
  const app = fastify.withTypeProvider<ZodTypeProvider>();
  const config = { access: signedIn };

  app.delete(
    '/api/v1/session',
    { config, schema: { summary: 'Se déconnecter (termine la session de cette requête)', tags: IDENTITY_TAGS, response: { ...ENDED, ...problemResponses(401, 403) } } },
    async (request, reply) => {
      await signOut(app.ctx, actorOf(request), requestMeta(request));
      clearSessionCookie(reply, app.ctx.config);
      return reply.code(204).send(null);
    },
  );

  app.get(
    '/api/v1/me',
    { config, schema: { summary: 'La personne connectée, son organisme et ses habilitations', tags: IDENTITY_TAGS, querystring: noQuery, response: { 200: meSchema, ...problemResponses(401, 422) } } },
    async (request) => {
      const actor = actorOf(request);
      return {
        login: actor.login,
        displayName: actor.displayName,
        organisation: actor.organisation,
        habilitations: actor.habilitations,
      };
    },
  );

  app.get(
    '/api/v1/me/sessions',
    {
      config,
      schema: {
        summary: 'Mes sessions ouvertes et ma connexion précédente',
        tags: IDENTITY_TAGS,
        querystring: noQuery,
        response: { 200: mySessionsSchema, ...problemResponses(401, 422) },
      },
    },
    async (request) => {
      const { active, previousSignIn, currentId } = await mySessions(app.ctx, actorOf(request));
      const view = (s: (typeof active)[number]) => ({
        id: s.id,
        createdAt: s.created_at.toISOString(),
        lastSeenAt: s.last_seen_at.toISOString(),
        ip: s.ip,
        userAgent: s.user_agent,
        current: s.id === currentId,
      });
      return { sessions: active.map(view), previousSignIn: previousSignIn ? view(previousSignIn) : null };
    },
  );

  app.delete(
    '/api/v1/me/sessions/:sessionId',
    {
      config,
      schema: {
        summary: 'Terminer l’une de mes sessions',
        tags: IDENTITY_TAGS,
        params: sessionIdParams,
        response: { ...ENDED, ...problemResponses(401, 403, 404) },
      },
    },
    async (request, reply) => {
      const ended = await endOwnSession(app.ctx, actorOf(request), request.params.sessionId, requestMeta(request));
      if (!ended) throw problems.notFound(SESSION_NOT_FOUND);
      return reply.code(204).send(null);
    },
  );
}
