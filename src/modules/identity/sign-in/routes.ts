/** Signing in through the API: the session cookie is set, the CSRF token answered. */
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { clearPasskeyFlowCookie, readPasskeyFlowCookie, readSessionToken, setPasskeyFlowCookie, setSessionCookie } from '../../../http/cookies.js';
import { HttpProblem, problems } from '../../../http/problem.js';
import { requestMeta } from '../../../http/request-meta.js';
import { noBody, problemResponses } from '../../../http/schemas.js';
import { publicAccess } from '../../habilitations/policy.js';
import { PASSKEY_SIGN_IN_FAILED, passkeySignInBody, requestOptions } from '../passkeys/schemas.js';
import { CHALLENGE_TTL_MS } from '../passkeys/rules.js';
import { IDENTITY_TAGS } from '../schemas.js';
import { sessionIdFromToken } from '../sessions/session-rules.js';
import { SIGN_IN_FAILED, signInBody, signedInAnswer } from './schemas.js';
import { signInWithPasskey, startPasskeySignIn } from './passkey.js';
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

  app.post(
    '/api/v1/session/passkey/options',
    {
      config: { access: publicAccess },
      schema: {
        summary: 'Commencer une connexion par clé d’accès : les options à passer au navigateur (WebAuthn), le défi lié à ce navigateur par un cookie',
        tags: IDENTITY_TAGS,
        body: noBody,
        response: { 200: requestOptions, ...problemResponses(422, 429) },
      },
    },
    async (_request, reply) => {
      const { options, flowToken } = await startPasskeySignIn(app.ctx);
      setPasskeyFlowCookie(reply, app.ctx.config, flowToken, CHALLENGE_TTL_MS / 1000);
      return options;
    },
  );

  app.post(
    '/api/v1/session/passkey',
    {
      config: { access: publicAccess },
      schema: {
        summary: 'Se connecter avec une clé d’accès (réponse de `navigator.credentials.get`) ; ni mot de passe ni code : la clé vérifie la personne',
        tags: IDENTITY_TAGS,
        body: passkeySignInBody,
        response: { 200: signedInAnswer, ...problemResponses(401, 422, 429) },
      },
    },
    async (request, reply) => {
      const token = readSessionToken(request, app.ctx.config);
      const flowToken = readPasskeyFlowCookie(request, app.ctx.config);
      // The flow's challenge is taken whatever the outcome: its cookie is of no further use.
      clearPasskeyFlowCookie(reply, app.ctx.config);
      const result = await signInWithPasskey(
        app.ctx,
        { flowToken, response: request.body.response, previousSessionId: token ? sessionIdFromToken(token) : null },
        requestMeta(request),
      );
      if (!result.ok && result.reason === 'throttled') throw problems.tooMany(result.retryAfterSeconds);
      if (!result.ok) throw new HttpProblem(401, 'Échec de la connexion', PASSKEY_SIGN_IN_FAILED);
      setSessionCookie(reply, app.ctx.config, result.token);
      return { csrfToken: result.csrfToken };
    },
  );
}
