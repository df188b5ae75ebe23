import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { problems } from '../../../http/problem.js';
import { actorOf, requestMeta } from '../../../http/request-meta.js';
import { accountManagerOnly, agencyAdminOnly, ownOrganisationInPath } from '../access.js';
import { policySchema } from './rules.js';
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

export async function securityPolicyRoutes(app: FastifyInstance): Promise<void> {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const orgId = (params: unknown) => (params as { orgId: string }).orgId;

  r.get('/api/v1/organisations/:orgId/security-policy', { config: { access: accountManagerOnly }, preValidation: ownOrganisationInPath }, async (request) => {
    const policy = await getSecurityPolicy(app.ctx, actorOf(request), orgId(request.params));
    if (!policy) throw problems.notFound(NO_POLICY);
    return policyJson(policy);
  });

  r.put(
    '/api/v1/organisations/:orgId/security-policy',
    { config: { access: accountManagerOnly }, preValidation: ownOrganisationInPath, schema: { body: policySchema } },
    async (request) => policyJson(await saveSecurityPolicy(app.ctx, actorOf(request), orgId(request.params), request.body, requestMeta(request))),
  );

  r.get('/api/v1/security-policies/missing', { config: { access: agencyAdminOnly } }, async () => ({
    organisations: (await organisationsMissingPolicy(app.ctx)).map((o) => ({ id: o.id, name: o.name, siret: o.siret })),
  }));
}
