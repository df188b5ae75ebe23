/**
 * Habilitations as the application registers them: GID's routes and pages, by sub-domain, and the
 * nightly access-review sweep (docs/product/joining-and-habilitations.md). Inside, four
 * sub-domains:
 * - users/: the organisation's accounts and their habilitations (the GID home and user pages);
 * - access-review/: the periodic review campaigns, the account manager's decisions, the sweep;
 * - manager-change/: a change of account manager, asked by the organisation, decided by the agency;
 * - security-policy/: the organisation's internal security policy, and who has none.
 * The module root holds what they share: the access rules and the actor (policy.ts, access.ts),
 * the application catalogue, the account-creation guard and its mails, the form helpers. Other
 * modules import policy.ts and catalogue.ts directly (every route names an access rule). Why this
 * layout: docs/decisions/0025-habilitations-sub-domains.md.
 */
import type { FastifyInstance } from 'fastify';
import { reviewPages } from './access-review/pages.js';
import { reviewRoutes } from './access-review/routes.js';
import { managerChangePages } from './manager-change/pages.js';
import { managerChangeRoutes } from './manager-change/routes.js';
import { securityPolicyPages } from './security-policy/pages.js';
import { securityPolicyRoutes } from './security-policy/routes.js';

export { gidPages } from './users/pages.js';
export { gidRoutes } from './users/routes.js';
export { ACCESS_REVIEW_SWEEP, registerAccessReviewJobs, runAccessReviewSweep } from './access-review/jobs.js';

/** GID governance: access review, security policy, change of account manager (API and pages). */
export async function gidGovernance(app: FastifyInstance): Promise<void> {
  for (const plugin of [reviewRoutes, reviewPages, securityPolicyRoutes, securityPolicyPages, managerChangeRoutes, managerChangePages]) {
    await app.register(plugin);
  }
}
