/** My passkeys through the API: list, enrol (options then the browser's answer), remove. */
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { actorOf, requestMeta } from '../../../http/request-meta.js';
import { noBody, noQuery, problemResponses } from '../../../http/schemas.js';
import { signedIn } from '../../habilitations/policy.js';
import { IDENTITY_TAGS } from '../schemas.js';
import { creationOptions, enrolBody, passkeyList, passkeyParams, passkeyView } from './schemas.js';
import { enrolPasskey, myPasskeys, removePasskey, startEnrolment } from './service.js';

const wire = (p: { id: string; name: string; createdAt: Date; lastUsedAt: Date | null }) => ({
  id: p.id,
  name: p.name,
  createdAt: p.createdAt.toISOString(),
  lastUsedAt: p.lastUsedAt?.toISOString() ?? null,
});

export async function passkeyRoutes(fastify: FastifyInstance): Promise<void> {
  const app = fastify.withTypeProvider<ZodTypeProvider>();
  const config = { access: signedIn };

  app.get(
    '/api/v1/me/passkeys',
    {
      config,
      schema: {
        summary: 'Mes clés d’accès (passkeys), et si une clé m’est exigée',
        tags: IDENTITY_TAGS,
        querystring: noQuery,
        response: { 200: passkeyList, ...problemResponses(401, 403, 422) },
      },
    },
    async (request) => {
      const { passkeys, obligation } = await myPasskeys(app.ctx, actorOf(request));
      return {
        passkeys: passkeys.map(wire),
        obligation: { state: obligation.state, deadline: obligation.state === 'grace' ? obligation.deadline.toISOString() : null },
      };
    },
  );

  app.post(
    '/api/v1/me/passkeys/options',
    {
      config,
      schema: {
        summary: 'Commencer l’ajout d’une clé d’accès : les options à passer au navigateur (WebAuthn) ; connexion ou confirmation d’identité de moins de quelques minutes exigée',
        tags: IDENTITY_TAGS,
        body: noBody,
        response: { 200: creationOptions, ...problemResponses(401, 403, 409, 422) },
      },
    },
    async (request) => startEnrolment(app.ctx, actorOf(request)),
  );

  app.post(
    '/api/v1/me/passkeys',
    {
      config,
      schema: {
        summary: 'Enregistrer la clé d’accès créée par le navigateur (réponse de `navigator.credentials.create`), sous un nom',
        tags: IDENTITY_TAGS,
        body: enrolBody,
        response: { 201: passkeyView, ...problemResponses(401, 403, 409, 422) },
      },
    },
    async (request, reply) => {
      const created = await enrolPasskey(app.ctx, actorOf(request), request.body, requestMeta(request));
      return reply.code(201).send(wire(created));
    },
  );

  app.delete(
    '/api/v1/me/passkeys/:id',
    {
      config,
      schema: {
        summary: 'Retirer une de mes clés d’accès ; connexion ou confirmation d’identité de moins de quelques minutes exigée',
        tags: IDENTITY_TAGS,
        params: passkeyParams,
        response: { 204: z.null().describe('Retirée.'), ...problemResponses(401, 403, 404) },
      },
    },
    async (request, reply) => {
      await removePasskey(app.ctx, actorOf(request), request.params.id, requestMeta(request));
      return reply.code(204).send(null);
    },
  );
}
