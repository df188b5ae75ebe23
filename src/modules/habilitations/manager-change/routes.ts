import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { uuidOr404 } from '../../../http/ids.js';
import { problems } from '../../../http/problem.js';
import { actorOf, requestMeta } from '../../../http/request-meta.js';
import { problemResponses } from '../../../http/schemas.js';
import { accountManagerOnly, agencyAdminOnly, ownOrganisationInPath } from '../access.js';
import type { ChangeRow } from './repository.js';
import { changeListQuerySchema, changeRequestSchema, rejectSchema } from './rules.js';
import { CHANGE_TAGS, approveBody, changeListWire, changeParams, changeStateWire, organisationParams } from './schemas.js';
import { CHANGE_NOT_FOUND, approveManagerChange, changeExists, listManagerChanges, rejectManagerChange, requestManagerChange } from './service.js';

export function changeJson(c: ChangeRow) {
  return {
    id: c.id,
    status: c.status,
    organisation: { id: c.organisation_id, name: c.organisation_name, siret: c.organisation_siret },
    requestedBy: { id: c.requester_id, login: c.requester_login, displayName: c.requester_name },
    newManager: { id: c.new_manager_id, login: c.new_manager_login, displayName: c.new_manager_name },
    reason: c.reason,
    createdAt: c.created_at.toISOString(),
    decidedAt: c.decided_at?.toISOString() ?? null,
    decidedBy: c.decided_by_login,
    decisionReason: c.decision_reason,
  };
}

/** Malformed and unknown ids answer 404 before the body is even validated (API and the agency's pages). */
export async function changeIdInPath(this: FastifyInstance, request: FastifyRequest): Promise<void> {
  const id = uuidOr404((request.params as { id?: unknown }).id, CHANGE_NOT_FOUND);
  if (!(await changeExists(this.ctx, id))) throw problems.notFound(CHANGE_NOT_FOUND);
}

export async function managerChangeRoutes(app: FastifyInstance): Promise<void> {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const agency = { access: agencyAdminOnly };
  const tags = CHANGE_TAGS;

  r.post(
    '/api/v1/organisations/:orgId/account-manager-change',
    {
      config: { access: accountManagerOnly },
      preValidation: ownOrganisationInPath,
      schema: {
        summary: 'Demander à l’agence de désigner un nouveau responsable de gestion des comptes',
        tags,
        params: organisationParams,
        body: changeRequestSchema,
        response: { 201: changeStateWire, ...problemResponses(401, 403, 404, 409, 422) },
      },
    },
    async (request, reply) => {
      const created = await requestManagerChange(app.ctx, actorOf(request), request.params.orgId, request.body, requestMeta(request));
      return reply.code(201).send(created);
    },
  );

  r.get(
    '/api/v1/account-manager-changes',
    {
      config: agency,
      schema: { summary: 'Les demandes de changement de responsable (filtre status)', tags, querystring: changeListQuerySchema, response: { 200: changeListWire, ...problemResponses(401, 403, 422) } },
    },
    async (request) => ({ changes: (await listManagerChanges(app.ctx, request.query.status)).map(changeJson) }),
  );

  r.post(
    '/api/v1/account-manager-changes/:id/approve',
    {
      config: agency,
      preValidation: changeIdInPath,
      schema: { summary: 'Approuver : le rôle change de titulaire', tags, params: changeParams, body: approveBody, response: { 200: changeStateWire, ...problemResponses(401, 403, 404, 409, 422) } },
    },
    async (request) => approveManagerChange(app.ctx, actorOf(request), request.params.id, request.body, requestMeta(request)),
  );

  r.post(
    '/api/v1/account-manager-changes/:id/reject',
    {
      config: agency,
      preValidation: changeIdInPath,
      schema: { summary: 'Refuser, avec un motif', tags, params: changeParams, body: rejectSchema, response: { 200: changeStateWire, ...problemResponses(401, 403, 404, 409, 422) } },
    },
    async (request) => rejectManagerChange(app.ctx, actorOf(request), request.params.id, request.body, requestMeta(request)),
  );
}
