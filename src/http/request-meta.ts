import type { FastifyRequest } from 'fastify';
import type { RequestMeta } from '../context.js';
import type { Actor } from '../modules/habilitations/policy.js';
import { problems } from './problem.js';

export function requestMeta(request: FastifyRequest): RequestMeta {
  const ua = request.headers['user-agent'];
  return { ip: request.ip ?? null, userAgent: typeof ua === 'string' ? ua.slice(0, 300) : null, requestId: request.id };
}

/** The signed-in actor; routes reach this only after the access hook, so it is a bug if absent. */
export function actorOf(request: FastifyRequest): Actor {
  if (!request.actor) throw problems.unauthenticated();
  return request.actor;
}
