/**
 * Organisation API tokens (docs/api-auth.md, decision 0038): what the application registers
 * (routes, pages, the expiry reminder), the bearer check the access hook calls, and the
 * automatic revocation bulk-access detection applies.
 */
export { actorFromBearer, hasBearer } from './bearer.js';
export { registerApiTokenJobs, remindExpiringTokens, TOKEN_EXPIRY_REMINDER } from './jobs.js';
export { apiTokenPages } from './pages.js';
export { apiTokenRoutes } from './routes.js';
export { revokeTokenAutomatically } from './service.js';
