import { createHash, timingSafeEqual } from 'node:crypto';
import { isIP } from 'node:net';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { publicAccess } from '../modules/habilitations/policy.js';

function isLoopback(address: string | undefined): boolean {
  if (!address) return false;
  const plain = address.startsWith('::ffff:') ? address.slice(7) : address;
  return plain === '::1' || (isIP(plain) === 4 && plain.startsWith('127.'));
}

/**
 * Loopback means the connection comes from this machine AND carries no forwarded address: a
 * reverse proxy on the same host forwards outsiders' requests from 127.0.0.1 with
 * X-Forwarded-For (or Forwarded), and those are outsiders, whatever TRUST_PROXY says.
 */
export function fromLoopback(request: FastifyRequest): boolean {
  if (request.headers['x-forwarded-for'] !== undefined || request.headers.forwarded !== undefined) return false;
  return isLoopback(request.socket.remoteAddress) && isLoopback(request.ip);
}

function digest(value: string): Buffer {
  return createHash('sha256').update(value).digest();
}

/** `Authorization: Bearer <METRICS_TOKEN>`, compared in constant time (digests of equal length). */
export function bearerMatches(header: string | undefined, token: string | undefined): boolean {
  if (!token || !header) return false;
  const match = /^Bearer\s+(\S+)\s*$/i.exec(header);
  if (!match) return false;
  return timingSafeEqual(digest(match[1]!), digest(token));
}

/**
 * GET /metrics (Prometheus text format): for loopback peers or the bearer of METRICS_TOKEN;
 * anyone else gets the same 404 as an unknown page, so the route does not even show it exists.
 */
export async function metricsRoutes(app: FastifyInstance): Promise<void> {
  const { metrics, config } = app.ctx;
  app.get('/metrics', { config: { access: publicAccess, rateLimit: false }, logLevel: 'warn' }, async (request, reply) => {
    if (!fromLoopback(request) && !bearerMatches(request.headers.authorization, config.metricsToken)) return reply.callNotFound();
    const body = await metrics.registry.metrics();
    return reply.type(metrics.registry.contentType).header('cache-control', 'no-store').send(body);
  });
}

/** Times every answered request by route pattern (never the raw URL) and status. */
export function registerRequestTiming(app: FastifyInstance): void {
  app.addHook('onResponse', async (request, reply) => {
    const route = request.routeOptions?.url ?? (request.is404 ? '(not found)' : '(no route)');
    app.ctx.metrics.httpDuration.observe(
      { method: request.method, route: request.is404 ? '(not found)' : route, status_code: String(reply.statusCode) },
      reply.elapsedTime / 1000,
    );
  });
}
