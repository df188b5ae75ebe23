import { randomUUID } from 'node:crypto';
import path from 'node:path';
import cookie from '@fastify/cookie';
import rateLimit from '@fastify/rate-limit';
import fastifyStatic from '@fastify/static';
import Fastify, { type FastifyInstance, type FastifyServerOptions } from 'fastify';
import { validatorCompiler } from 'fastify-type-provider-zod';
import type { DestinationStream } from 'pino';
import { z } from 'zod';
import type { AppContext } from '../context.js';
import { registerIdempotency } from '../modules/idempotency/index.js';
import { registerAuth } from './auth.js';
import { registerBodyParsers, registerTextGuard } from './body-parsers.js';
import { frameworkErrorHandler, registerErrorHandling } from './errors.js';
import { HttpProblem, titleFor } from './problem.js';
import { loggerOptions } from './logging.js';
import { registerOpenApi } from './openapi/document.js';
import { registerRequestTiming } from './metrics-route.js';
import { registerRoutes } from './routes.js';
import { registerSecurityHeaders } from './security-headers.js';
import { responseSerializer } from './serializer.js';
import { sharedRateLimits } from './shared-rate-limit.js';
import './types.js';
import { PROJECT_ROOT } from '../project-root.js';

// Validation messages in French for every schema (field errors are shown to users as they are).
z.config(z.locales.fr());

const root = PROJECT_ROOT;

type CompilersFactory = NonNullable<NonNullable<FastifyServerOptions['schemaController']>['compilersFactory']>;

export interface BuildAppOptions {
  /** Where logs go (tests capture them to check nothing sensitive leaks). */
  logStream?: DestinationStream;
}

export async function buildApp(ctx: AppContext, options: BuildAppOptions = {}): Promise<FastifyInstance> {
  const serializerCompiler = responseSerializer(ctx.config.env === 'test');
  // Our own compilers (zod in, the response serializer out) as Fastify's factories: without them
  // Fastify loads its defaults, Ajv and fast-json-stringify (some 200 modules), at every start
  // only to have them replaced below (docs/decisions/0039). Fastify's types describe Ajv's
  // compilers; it calls whatever compiler the factory returns, as setValidatorCompiler does.
  const compilersFactory = { buildValidator: () => validatorCompiler, buildSerializer: () => serializerCompiler } as unknown as CompilersFactory;
  const app = Fastify({
    schemaController: { compilersFactory },
    logger: loggerOptions(ctx.config.logLevel, options.logStream),
    genReqId: () => randomUUID(),
    requestIdHeader: false, // never trust a client-chosen id: it ends up in logs and support lookups
    trustProxy: ctx.config.trustProxy,
    bodyLimit: 1024 * 1024,
    routerOptions: { maxParamLength: 200 },
    // The handler returns the reply, which is thenable; Fastify ignores that return value.
    // eslint-disable-next-line @typescript-eslint/no-misused-promises
    frameworkErrors: frameworkErrorHandler, // malformed URLs: a French problem, not Fastify's English echo of the path
  });
  app.decorate('ctx', ctx);
  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);

  app.addHook('onSend', async (request, reply) => {
    reply.header('x-request-id', request.id);
  });
  registerRequestTiming(app);

  await app.register(cookie);
  registerSecurityHeaders(app);
  app.addHook('onSend', async (request, reply) => {
    reply.header('permissions-policy', 'camera=(), microphone=(), geolocation=(), payment=(), usb=()');
    // HSTS only on answers that travel over TLS (RFC 6797, section 7.2): when a proxy trusted with
    // TRUST_PROXY says so in X-Forwarded-Proto (Fastify ignores the header otherwise, so a forged
    // one earns nothing) or TLS ends here; without a trusted proxy the server cannot see it, and
    // an https PUBLIC_URL (or production) is the operator's word that users come over TLS.
    const overTls = request.protocol === 'https' || (!ctx.config.trustProxy && ctx.config.secureCookies);
    if (overTls) reply.header('strict-transport-security', 'max-age=31536000; includeSubDomains');
    // Answers carry personal data (JSON reads, problem documents, health probes): no cache keeps
    // them unless the route chose otherwise. Pages set it when rendered; static files keep theirs.
    if (!reply.hasHeader('cache-control') && !request.url.startsWith('/assets/')) reply.header('cache-control', 'no-store');
  });
  // Shared by every instance through Redis when REDIS_URL is set; each process's memory otherwise.
  const shared = ctx.config.redis ? await sharedRateLimits(ctx.config.redis.url, ctx.config.redis.keyPrefix, app.log) : null;
  if (shared) {
    // The first requests are counted in Redis already, unless it does not answer in time: the
    // product starts without it.
    app.addHook('onReady', async () => shared.connected(2_000));
    app.addHook('onClose', async () => shared.close());
  }
  await app.register(rateLimit, {
    ...(shared ? { store: shared.store } : {}),
    max: ctx.config.rateLimitPerMinute,
    timeWindow: 60_000,
    errorResponseBuilder: (_req, context) =>
      new HttpProblem(429, titleFor(429), 'Trop de requêtes. Patientez une minute avant de réessayer.', undefined, {
        'retry-after': String(Math.ceil(context.ttl / 1000)),
      }),
  });

  registerBodyParsers(app);
  registerAuth(app);
  registerIdempotency(app); // after access: a stored answer is kept per caller
  registerTextGuard(app); // after access and CSRF: NUL and broken UTF-16 never reach a handler
  registerErrorHandling(app);

  await app.register(fastifyStatic, {
    root: path.join(root, 'node_modules/bootstrap/dist'),
    prefix: '/assets/bootstrap/',
    allowedPath: (p) => p.startsWith('/css/') || p.startsWith('/js/'),
    maxAge: 3_600_000,
  });
  await app.register(fastifyStatic, {
    root: path.join(root, 'node_modules/htmx.org/dist'),
    prefix: '/assets/htmx/',
    decorateReply: false,
    allowedPath: (p) => p === '/htmx.min.js',
  });
  // The WebAuthn browser module as published (ES modules importing each other): no build step, no CDN.
  await app.register(fastifyStatic, {
    root: path.join(root, 'node_modules/@simplewebauthn/browser/esm'),
    prefix: '/assets/simplewebauthn/',
    decorateReply: false,
    allowedPath: (p) => /^\/[\w/]+\.js$/.test(p) && !p.includes('..'),
    maxAge: 3_600_000,
  });
  await app.register(fastifyStatic, { root: path.join(root, 'public'), prefix: '/assets/', decorateReply: false });

  await registerOpenApi(app); // before the routes: it collects them as they register
  await registerRoutes(app);
  return app;
}
