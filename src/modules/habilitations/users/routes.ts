/**
 * The GID users API (docs/product/joining-and-habilitations.md#gid-users-and-habilitations). Anyone
 * without a GID role is refused by the access rule (403). Before any input is judged, a hook runs
 * the service's tenant and role checks and finds the account named in the path: another
 * organisation's ids, malformed or unknown ones answer 404 (the agency's limits 403) whatever the
 * body, so not even a 422 tells a stranger anything.
 */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { actorOf, requestMeta } from '../../../http/request-meta.js';
import { noBody, problemResponses } from '../../../http/schemas.js';
import { gidAccess } from '../access.js';
import { grantSchema, listQuerySchema, newUserSchema, type GidAction } from './rules.js';
import {
  GID_TAGS,
  createdUserWire,
  grantedWire,
  habilitationParams,
  noContent,
  organisationParams,
  suspendBody,
  userListWire,
  userParams,
} from './schemas.js';
import {
  checkInScope,
  createUser,
  deleteUser,
  grantHabilitation,
  listUsers,
  reactivateUser,
  revokeHabilitation,
  suspendUser,
  type GidUser,
} from './service.js';

export function userJson(u: GidUser) {
  return {
    id: u.id,
    login: u.login,
    displayName: u.displayName,
    firstName: u.firstName,
    lastName: u.lastName,
    email: u.email,
    status: u.status,
    securitySuspension: u.securitySuspension,
    lastSignInAt: u.lastSignInAt?.toISOString() ?? null,
    habilitations: u.habilitations.map((h) => ({
      id: h.id,
      application: h.application,
      role: h.role,
      grantedAt: h.grantedAt.toISOString(),
      grantedBy: h.grantedBy,
    })),
  };
}

/** The preValidation hook of a route acting on the organisation (and the user) in its path. */
function inScope(action: GidAction) {
  return async function checkPath(this: FastifyInstance, request: FastifyRequest): Promise<void> {
    const { orgId, userId } = request.params as { orgId?: unknown; userId?: unknown };
    await checkInScope(this.ctx, actorOf(request), orgId, action, userId);
  };
}

export async function gidRoutes(fastify: FastifyInstance): Promise<void> {
  const app = fastify.withTypeProvider<ZodTypeProvider>();
  const base = '/api/v1/organisations/:orgId/users';
  const config = gidAccess;
  const tags = GID_TAGS;

  app.get(
    base,
    {
      config,
      preValidation: inScope('list'),
      schema: {
        summary: 'Lister les comptes de l’organisme (recherche q, filtre status)',
        tags,
        params: organisationParams,
        querystring: listQuerySchema,
        response: { 200: userListWire, ...problemResponses(401, 403, 404, 422) },
      },
    },
    async (request) => {
      const { users } = await listUsers(app.ctx, actorOf(request), request.params.orgId, request.query);
      return { users: users.map(userJson) };
    },
  );

  app.post(
    base,
    {
      config,
      preValidation: inScope('create'),
      schema: {
        summary: 'Créer le compte d’un collègue (identifiant et code d’activation envoyés à part)',
        tags,
        params: organisationParams,
        body: newUserSchema,
        response: { 201: createdUserWire, ...problemResponses(401, 403, 404, 409, 422) },
      },
    },
    async (request, reply) => {
      const created = await createUser(app.ctx, actorOf(request), request.params.orgId, request.body, requestMeta(request));
      return reply.code(201).send({ id: created.id, login: created.login, pendingAgencyConfirmation: created.pendingAgencyConfirmation });
    },
  );

  app.post(
    `${base}/:userId/suspend`,
    {
      config,
      preValidation: inScope('suspend'),
      schema: {
        summary: 'Suspendre un compte (ses sessions sont fermées)',
        tags,
        params: userParams,
        body: suspendBody,
        response: { 204: noContent, ...problemResponses(401, 403, 404, 409, 422) },
      },
    },
    async (request, reply) => {
      const { orgId, userId } = request.params;
      await suspendUser(app.ctx, actorOf(request), orgId, userId, request.body, requestMeta(request));
      return reply.code(204).send(null);
    },
  );

  app.post(
    `${base}/:userId/reactivate`,
    {
      config,
      preValidation: inScope('reactivate'),
      schema: { summary: 'Réactiver un compte suspendu', tags, params: userParams, body: noBody, response: { 204: noContent, ...problemResponses(401, 403, 404, 409, 422) } },
    },
    async (request, reply) => {
      const { orgId, userId } = request.params;
      await reactivateUser(app.ctx, actorOf(request), orgId, userId, requestMeta(request));
      return reply.code(204).send(null);
    },
  );

  app.delete(
    `${base}/:userId`,
    {
      config,
      preValidation: inScope('delete'),
      schema: { summary: 'Supprimer un compte (son identifiant n’est jamais réattribué)', tags, params: userParams, response: { 204: noContent, ...problemResponses(401, 403, 404, 409) } },
    },
    async (request, reply) => {
      const { orgId, userId } = request.params;
      await deleteUser(app.ctx, actorOf(request), orgId, userId, requestMeta(request));
      return reply.code(204).send(null);
    },
  );

  app.post(
    `${base}/:userId/habilitations`,
    {
      config,
      preValidation: inScope('grant'),
      schema: {
        summary: 'Accorder une habilitation (rôles Kairos de l’organisme, accès à l’assistance)',
        tags,
        params: userParams,
        body: grantSchema,
        response: { 201: grantedWire, ...problemResponses(401, 403, 404, 409, 422) },
      },
    },
    async (request, reply) => {
      const { orgId, userId } = request.params;
      const granted = await grantHabilitation(app.ctx, actorOf(request), orgId, userId, request.body, requestMeta(request));
      return reply.code(201).send(granted);
    },
  );

  app.delete(
    `${base}/:userId/habilitations/:habilitationId`,
    {
      config,
      preValidation: inScope('revoke'),
      schema: { summary: 'Retirer une habilitation', tags, params: habilitationParams, response: { 204: noContent, ...problemResponses(401, 403, 404, 409) } },
    },
    async (request, reply) => {
      const { orgId, userId, habilitationId } = request.params;
      await revokeHabilitation(app.ctx, actorOf(request), orgId, userId, habilitationId, requestMeta(request));
      return reply.code(204).send(null);
    },
  );
}
