import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { actorOf, requestMeta } from '../../http/request-meta.js';
import { idParams, noBody, noQuery, problemResponses } from '../../http/schemas.js';
import { accountManagerOnly, agencyAdminOnly, ownOrganisationInPath } from '../habilitations/access.js';
import { TOKEN_TAGS, createTokenBody, createdTokenWire, organisationParams, tokenListWire, tokenParams } from './schemas.js';
import { createToken, listTokens, revokeToken, type TokenView } from './service.js';

const revoked = z.null().describe('Révoqué.');

function tokenJson(t: TokenView) {
  return {
    ...t,
    createdAt: t.createdAt.toISOString(),
    expiresAt: t.expiresAt.toISOString(),
    revokedAt: t.revokedAt?.toISOString() ?? null,
    lastUsedAt: t.lastUsedAt?.toISOString() ?? null,
  };
}

/**
 * The account manager issues, lists and revokes their organisation's tokens (another
 * organisation's id is a 404 before anything is judged); the agency's administrators list and
 * revoke every organisation's.
 */
export async function apiTokenRoutes(app: FastifyInstance): Promise<void> {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const tags = TOKEN_TAGS;
  const manager = { config: { access: accountManagerOnly }, preValidation: ownOrganisationInPath };

  r.post(
    '/api/v1/organisations/:orgId/api-tokens',
    {
      ...manager,
      schema: { summary: 'Créer un jeton d’API pour mon organisme (le secret est montré une seule fois)', tags, params: organisationParams, querystring: noQuery, body: createTokenBody, response: { 201: createdTokenWire, ...problemResponses(401, 403, 404, 422) } },
    },
    async (request, reply) => reply.code(201).send(await createToken(app.ctx, actorOf(request), request.params.orgId, request.body, requestMeta(request))),
  );

  r.get(
    '/api/v1/organisations/:orgId/api-tokens',
    { ...manager, schema: { summary: 'Les jetons d’API de mon organisme (sans leur secret)', tags, params: organisationParams, querystring: noQuery, response: { 200: tokenListWire, ...problemResponses(401, 403, 404, 422) } } },
    async (request) => ({ tokens: (await listTokens(app.ctx, actorOf(request), request.params.orgId)).map(tokenJson) }),
  );

  r.delete(
    '/api/v1/organisations/:orgId/api-tokens/:tokenId',
    { ...manager, schema: { summary: 'Révoquer un jeton d’API de mon organisme', tags, params: tokenParams, querystring: noQuery, body: noBody, response: { 204: revoked, ...problemResponses(401, 403, 404, 422) } } },
    async (request, reply) => {
      await revokeToken(app.ctx, actorOf(request), request.params.orgId, request.params.tokenId, requestMeta(request));
      return reply.code(204).send(null);
    },
  );

  r.get(
    '/api/v1/api-tokens',
    { config: { access: agencyAdminOnly }, schema: { summary: 'Les jetons d’API de tous les organismes (agence)', tags, querystring: noQuery, response: { 200: tokenListWire, ...problemResponses(401, 403, 422) } } },
    async (request) => ({ tokens: (await listTokens(app.ctx, actorOf(request), null)).map(tokenJson) }),
  );

  r.delete(
    '/api/v1/api-tokens/:id',
    { config: { access: agencyAdminOnly }, schema: { summary: 'Révoquer le jeton d’API d’un organisme (agence)', tags, params: idParams(), querystring: noQuery, body: noBody, response: { 204: revoked, ...problemResponses(401, 403, 404, 422) } } },
    async (request, reply) => {
      await revokeToken(app.ctx, actorOf(request), null, request.params.id, requestMeta(request));
      return reply.code(204).send(null);
    },
  );
}
