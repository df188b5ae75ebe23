import type { AppContext } from '../context.js';
import type { AccessRule, Actor } from '../modules/habilitations/policy.js';
import type { RouteEntry } from './auth.js';

declare module 'fastify' {
  interface FastifyContextConfig {
    /** Who may call the route; routes without one are refused at registration (deny by default). */
    access?: AccessRule;
  }
  interface FastifyRequest {
    actor: Actor | null;
    /** The signed-in session's CSRF token, or null when anonymous. */
    sessionCsrf: string | null;
    /** The date by which the actor must enrol a passkey (PASSKEY_REQUIRED_ROLES), shown as a banner; null when none is due. */
    passkeyDeadline: Date | null;
  }
  interface FastifyInstance {
    ctx: AppContext;
    /** Every route registered with an access rule (HEAD twins and static files excepted), for the access-control matrix test. */
    routeTable: RouteEntry[];
  }
}

export {};
