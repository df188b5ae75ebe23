/**
 * Who may open the GID screens, shared by the four sub-domains: the access rules routes declare,
 * and the tenant guard of the governance screens (access review, security policy, change of
 * account manager), which only ever concern the actor's own organisation.
 */
import type { FastifyRequest } from 'fastify';
import { uuidOr404 } from '../../http/ids.js';
import { problems } from '../../http/problem.js';
import { actorOf } from '../../http/request-meta.js';
import { sameOrganisation, requireHabilitation, type Actor } from './policy.js';

/**
 * GID users: anyone without a GID role is refused (403); finer checks (own organisation, agency
 * limits) are the service's, which answers 404 for anything outside the caller's tenant.
 */
export const gidAccess = { access: requireHabilitation('gid', ['account_manager', 'agency_admin']) };
export const accountManagerOnly = requireHabilitation('gid', ['account_manager']);
export const agencyAdminOnly = requireHabilitation('gid', ['agency_admin']);

/**
 * The organisation named in the path, when it is the actor's own; anything else (malformed,
 * unknown or another organisation's id) is answered 404 alike, so nothing is learnt from it.
 */
export function ownOrganisationOr404(actor: Actor, organisationId: unknown): string {
  const id = uuidOr404(organisationId);
  if (!sameOrganisation(actor, id)) throw problems.notFound();
  return id;
}

/**
 * Runs before validation: a caller naming another organisation gets the same 404 whatever its
 * body or query, so not even a 422 tells it anything about that organisation.
 */
export async function ownOrganisationInPath(request: FastifyRequest): Promise<void> {
  ownOrganisationOr404(actorOf(request), (request.params as { orgId?: unknown }).orgId);
}
