/** Every route and page of the module, as the application registers them. */
import type { FastifyInstance } from 'fastify';
import { passkeyPages } from './passkeys/pages.js';
import { passkeyRoutes } from './passkeys/routes.js';
import { passwordPages } from './passwords/pages.js';
import { passwordRoutes } from './passwords/routes.js';
import { secondFactorPages } from './second-factor/pages.js';
import { secondFactorRoutes } from './second-factor/routes.js';
import { sessionPages } from './sessions/pages.js';
import { sessionRoutes } from './sessions/routes.js';
import { signInPages } from './sign-in/pages.js';
import { signInRoutes } from './sign-in/routes.js';

/** The API: /api/v1/session (and by passkey), /api/v1/me, its sessions, password, second factor and passkeys. */
export async function identityRoutes(app: FastifyInstance): Promise<void> {
  for (const plugin of [signInRoutes, sessionRoutes, passwordRoutes, secondFactorRoutes, passkeyRoutes]) await app.register(plugin);
}

/** The pages: /connexion, /deconnexion, /compte/mot-de-passe, /compte/double-authentification, /compte/cles-d-acces. */
export async function identityPages(app: FastifyInstance): Promise<void> {
  for (const plugin of [signInPages, sessionPages, passwordPages, secondFactorPages, passkeyPages]) await app.register(plugin);
}
