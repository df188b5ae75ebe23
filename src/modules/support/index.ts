/**
 * The support module as the application registers it (docs/product/support.md): the help centre,
 * error references with the user's incident journal, and support requests, each in its folder;
 * and the daily purge of expired error references. The error handler records errors through
 * error-references/service.ts.
 */
import type { FastifyInstance } from 'fastify';
import { incidentPages } from './error-references/pages.js';
import { referenceRoutes } from './error-references/routes.js';
import { helpRoutes } from './help/routes.js';
import { privacyPages } from './privacy/pages.js';
import { supportRequestPages } from './requests/pages.js';
import { supportRequestRoutes } from './requests/routes.js';

export { registerErrorPurge } from './error-references/purge-job.js';

/** Every route and page of the module: /aide, /compte/incidents, /support/…, and their API. */
export async function supportRoutes(app: FastifyInstance): Promise<void> {
  await app.register(referenceRoutes);
  await app.register(incidentPages);
  await app.register(helpRoutes); // public: reachable by someone who cannot sign in
  await app.register(privacyPages); // public: the privacy notice, /confidentialite, linked from every footer
  await app.register(supportRequestRoutes);
  await app.register(supportRequestPages);
}
