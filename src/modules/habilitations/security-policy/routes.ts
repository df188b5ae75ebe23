import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { problems } from '../../../http/problem.js';
import { actorOf, requestMeta } from '../../../http/request-meta.js';
import { noQuery, problemResponses } from '../../../http/schemas.js';
import { accountManagerOnly, agencyAdminOnly, ownOrganisationInPath } from '../access.js';
import { policySchema } from './rules.js';
import { POLICY_TAGS, missingPoliciesWire, organisationParams, policyWire } from './schemas.js';
import { getSecurityPolicy, organisationsMissingPolicy, saveSecurityPolicy, type PolicyView } from './service.js';

export const NO_POLICY = 'Votre organisme n’a pas encore rédigé sa politique de sécurité interne.';

function policyJson(p: PolicyView) {
  return {
    rolesPolicy: p.rolesPolicy,
    departuresPolicy: p.departuresPolicy,
    otherRules: p.otherRules,
    updatedAt: p.updatedAt.toISOString(),
    updatedBy: p.updatedBy,
  };
}

/** The account manager's policy (own organisation only: another's id is a 404 before anything is judged); the agency's list of organisations without one. */
export async function securityPolicyRoutes(app: FastifyInstance): Promise<void> {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const tags = POLICY_TAGS;
  const manager = { config: { access: accountManagerOnly }, preValidation: ownOrganisationInPath };

  r.get(
    '/api/v1/organisations/:orgId/security-policy',
    {
      ...manager,
      schema: { summary: 'La politique de sécurité interne de mon organisme', tags, params: organisationParams, querystring: noQuery, response: { 200: policyWire, ...problemResponses(401, 403, 404, 422) } },
    },
    async (request) => {
      const policy = await getSecurityPolicy(app.ctx, actorOf(request), request.params.orgId);
      if (!policy) throw problems.notFound(NO_POLICY);
      return policyJson(policy);
    },
  );

  r.put(
    '/api/v1/organisations/:orgId/security-policy',
    {
      ...manager,
      schema: { summary: 'Rédiger ou modifier la politique de sécurité interne', tags, params: organisationParams, body: policySchema, response: { 200: policyWire, ...problemResponses(401, 403, 404, 422) } },
    },
    async (request) => policyJson(await saveSecurityPolicy(app.ctx, actorOf(request), request.params.orgId, request.body, requestMeta(request))),
  );

  r.get(
    '/api/v1/security-policies/missing',
    {
      config: { access: agencyAdminOnly },
      schema: { summary: 'Organismes de formation actifs sans politique de sécurité interne', tags, querystring: noQuery, response: { 200: missingPoliciesWire, ...problemResponses(401, 403, 422) } },
    },
    async () => ({
      organisations: (await organisationsMissingPolicy(app.ctx)).map((o) => ({ id: o.id, name: o.name, siret: o.siret })),
    }),
  );
}
