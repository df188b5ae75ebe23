import type { FastifyInstance, FastifyRequest } from 'fastify';
import { actorOf, requestMeta } from '../../../http/request-meta.js';
import { gidAccess } from '../access.js';
import {
  createUser,
  deleteUser,
  grantHabilitation,
  listUsers,
  reactivateUser,
  revokeHabilitation,
  suspendUser,
  type GidUser,
} from './service.js';


type Params = Record<string, string | undefined>;
const paramsOf = (request: FastifyRequest) => request.params as Params;

export function userJson(u: GidUser) {
  return {
    id: u.id,
    login: u.login,
    displayName: u.displayName,
    firstName: u.firstName,
    lastName: u.lastName,
    email: u.email,
    status: u.status,
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

export async function gidRoutes(app: FastifyInstance): Promise<void> {
  const base = '/api/v1/organisations/:orgId/users';
  const config = gidAccess;

  app.get(base, { config }, async (request) => {
    const { users } = await listUsers(app.ctx, actorOf(request), paramsOf(request).orgId, request.query);
    return { users: users.map(userJson) };
  });

  app.post(base, { config }, async (request, reply) => {
    const created = await createUser(app.ctx, actorOf(request), paramsOf(request).orgId, request.body, requestMeta(request));
    return reply.code(201).send({ id: created.id, login: created.login, pendingAgencyConfirmation: created.pendingAgencyConfirmation });
  });

  app.post(`${base}/:userId/suspend`, { config }, async (request, reply) => {
    const { orgId, userId } = paramsOf(request);
    await suspendUser(app.ctx, actorOf(request), orgId, userId, request.body, requestMeta(request));
    return reply.code(204).send();
  });

  app.post(`${base}/:userId/reactivate`, { config }, async (request, reply) => {
    const { orgId, userId } = paramsOf(request);
    await reactivateUser(app.ctx, actorOf(request), orgId, userId, requestMeta(request));
    return reply.code(204).send();
  });

  app.delete(`${base}/:userId`, { config }, async (request, reply) => {
    const { orgId, userId } = paramsOf(request);
    await deleteUser(app.ctx, actorOf(request), orgId, userId, requestMeta(request));
    return reply.code(204).send();
  });

  app.post(`${base}/:userId/habilitations`, { config }, async (request, reply) => {
    const { orgId, userId } = paramsOf(request);
    const granted = await grantHabilitation(app.ctx, actorOf(request), orgId, userId, request.body, requestMeta(request));
    return reply.code(201).send(granted);
  });

  app.delete(`${base}/:userId/habilitations/:habilitationId`, { config }, async (request, reply) => {
    const { orgId, userId, habilitationId } = paramsOf(request);
    await revokeHabilitation(app.ctx, actorOf(request), orgId, userId, habilitationId, requestMeta(request));
    return reply.code(204).send();
  });
}
