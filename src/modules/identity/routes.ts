import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { clearSessionCookie, readSessionToken, setSessionCookie } from '../../http/cookies.js';
import { HttpProblem, problems } from '../../http/problem.js';
import { actorOf, requestMeta } from '../../http/request-meta.js';
import { publicAccess, signedIn } from '../habilitations/policy.js';
import { sessionIdFromToken } from './sessions.js';
import { changePassword, endOwnSession, mySessions, signIn, signOut } from './service.js';

/** The one answer to every failed sign-in: it must not tell which factor failed. */
export const SIGN_IN_FAILED = 'Identifiant, mot de passe ou code de vérification incorrect.';

const signInBody = z.strictObject({
  login: z.string().min(1).max(100),
  password: z.string().min(1).max(1024),
  otp: z.string().max(64).default(''),
});

export async function identityRoutes(app: FastifyInstance): Promise<void> {
  const r = app.withTypeProvider<ZodTypeProvider>();

  r.post('/api/v1/session', { config: { access: publicAccess }, schema: { body: signInBody } }, async (request, reply) => {
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
  });

  r.delete('/api/v1/session', { config: { access: signedIn } }, async (request, reply) => {
    await signOut(app.ctx, actorOf(request), requestMeta(request));
    clearSessionCookie(reply, app.ctx.config);
    return reply.code(204).send();
  });

  r.get('/api/v1/me', { config: { access: signedIn } }, async (request) => {
    const actor = actorOf(request);
    return {
      login: actor.login,
      displayName: actor.displayName,
      organisation: actor.organisation,
      habilitations: actor.habilitations,
    };
  });

  r.get('/api/v1/me/sessions', { config: { access: signedIn } }, async (request) => {
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
  });

  r.delete(
    '/api/v1/me/sessions/:sessionId',
    { config: { access: signedIn }, schema: { params: z.object({ sessionId: z.string().regex(/^[0-9a-f]{64}$/) }) } },
    async (request, reply) => {
      const ended = await endOwnSession(app.ctx, actorOf(request), request.params.sessionId, requestMeta(request));
      if (!ended) throw problems.notFound('Cette session est introuvable ou déjà terminée.');
      return reply.code(204).send();
    },
  );

  r.post(
    '/api/v1/me/password',
    {
      config: { access: signedIn },
      schema: { body: z.strictObject({ currentPassword: z.string().min(1).max(1024), newPassword: z.string().min(1).max(1024) }) },
    },
    async (request, reply) => {
      const result = await changePassword(app.ctx, actorOf(request), request.body, requestMeta(request));
      if (!result.ok) throw problems.invalid([{ field: result.field, message: result.message }]);
      clearSessionCookie(reply, app.ctx.config);
      return reply.code(204).send();
    },
  );
}
