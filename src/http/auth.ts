import type { FastifyInstance, FastifyRequest, FastifySchema } from 'fastify';
import { actorFromBearer, hasBearer } from '../modules/api-tokens/index.js';
import { decideAccess, type AccessRule } from '../modules/habilitations/policy.js';
import { passkeyGate } from '../modules/identity/passkeys/gate.js';
import { resolveSession } from '../modules/identity/sessions/service.js';
import { readSessionToken } from './cookies.js';
import { checkApiCsrf, checkFormCsrf, csrfRefused, isStateChanging } from './csrf.js';
import { problems } from './problem.js';

const PASSKEY_REQUIRED =
  'Votre rôle exige une clé d’accès pour utiliser Kairos : ajoutez-en une sur la page « Clés d’accès » (/compte/cles-d-acces), puis réessayez.';

/** One registered route, its declared access rule and schemas (see `app.routeTable`). */
export interface RouteEntry {
  method: string;
  url: string;
  access: AccessRule;
  /** What the route declares it accepts and answers (zod schemas), for the schema and OpenAPI tests. */
  schema: FastifySchema | undefined;
}

export function isApiRequest(request: FastifyRequest): boolean {
  return request.url.startsWith('/api/');
}

/**
 * Session, access and CSRF for every route, in one place:
 * - a route without an `access` rule cannot even be registered (deny by default);
 * - access is decided before the body is validated, so strangers learn nothing from 422s;
 * - state-changing calls need the session's CSRF token (header for the API, field for forms).
 */
export function registerAuth(app: FastifyInstance): void {
  app.decorateRequest('actor', null);
  app.decorateRequest('sessionCsrf', null);
  app.decorateRequest('passkeyDeadline', null);

  // The route table with each rule, read by the access-control matrix test so that a new route
  // is covered (or fails the test) without anyone remembering to list it. Costs one array.
  app.decorate('routeTable', [] as RouteEntry[]);
  app.addHook('onRoute', (route) => {
    const access = route.config?.access;
    if (access) {
      for (const method of [route.method].flat().map(String)) {
        if (method !== 'HEAD') app.routeTable.push({ method, url: route.url, access, schema: route.schema }); // HEAD twins answer as their GET
      }
      return;
    }
    // Static files and the framework's own HEAD twins inherit the rule of their GET.
    if (route.method === 'HEAD' || (route as { prefix?: string }).prefix?.startsWith('/assets')) return;
    if (route.url.startsWith('/assets/')) return;
    throw new Error(`Route ${String(route.method)} ${route.url} declares no access rule`);
  });

  app.addHook('onRequest', async (request, reply) => {
    // An API token replaces the session: cookies are not read, and no CSRF token is asked (a
    // browser never adds an Authorization header on its own, so a forged request carries none).
    const bearer = hasBearer(request);
    if (bearer) request.actor = await actorFromBearer(app.ctx, request);
    const token = bearer ? null : readSessionToken(request, app.ctx.config);
    if (token) {
      const resolved = await resolveSession(app.ctx, token);
      if (resolved) {
        request.actor = resolved.actor;
        request.sessionCsrf = resolved.csrfToken;
      }
    }
    if (isStateChanging(request.method) && request.headers['sec-fetch-site'] === 'cross-site') throw csrfRefused();
    const rule = request.routeOptions.config?.access;
    // Unknown paths answer 404 to everyone; static files are public.
    if (request.is404 || (!rule && request.url.startsWith('/assets/'))) return;
    const decision = decideAccess(rule, request.actor);
    if (decision === 'unauthenticated') throw problems.unauthenticated();
    if (decision === 'forbidden') throw problems.forbidden();
    // Public API routes grant nothing more to a session cookie, so a forged call gains nothing.
    if (isStateChanging(request.method) && isApiRequest(request) && rule?.kind !== 'public' && !bearer) checkApiCsrf(request);
    // A passkey required by the actor's role: a reminder during the grace period, then only enrolment.
    if (request.actor && !bearer) {
      const gate = await passkeyGate(app.ctx, request.actor, request.routeOptions.url ?? request.url);
      request.passkeyDeadline = gate.deadline;
      if (gate.blocked) {
        if (request.method === 'GET' && !isApiRequest(request)) return reply.redirect('/compte/cles-d-acces', 303);
        throw problems.forbidden(PASSKEY_REQUIRED);
      }
    }
  });

  app.addHook('preValidation', async (request) => {
    if (isStateChanging(request.method) && !isApiRequest(request)) checkFormCsrf(request, app.ctx.config);
  });
}
