/**
 * The HTTP side of idempotent writes: read and check the `Idempotency-Key` header once the
 * caller is known (after the access hook), replay a stored answer, keep the first one.
 */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { HttpProblem, TITLES } from '../../http/problem.js';
import { claimKey, isValidKey, releaseKey, requestFingerprint, storeAnswer, type KeyRef } from './service.js';

const METHODS = new Set(['POST', 'PUT', 'PATCH']);
export const REPLAYED_HEADER = 'idempotent-replayed';

const BAD_KEY = 'En-tête Idempotency-Key : de 1 à 255 caractères ASCII visibles (sans espace), par exemple un UUID. Corrigez-le ou retirez-le.';
const OTHER_BODY =
  'Cette clé d’idempotence (en-tête Idempotency-Key) a déjà servi pour une autre requête dans les dernières 24 heures. Utilisez une nouvelle clé pour une nouvelle requête.';
const STILL_RUNNING = 'La première requête portant cette clé d’idempotence (en-tête Idempotency-Key) est encore en cours. Réessayez dans quelques instants.';

interface Pending extends KeyRef {
  settled: boolean;
}
const pending = new WeakMap<FastifyRequest, Pending>();

/** The caller an answer is kept for: the token, else the account. Anonymous calls keep nothing. */
function principalOf(request: FastifyRequest): string | null {
  const actor = request.actor;
  if (!actor) return null;
  return actor.apiToken ? `token:${actor.apiToken.id}` : `account:${actor.accountId}`;
}

export function registerIdempotency(app: FastifyInstance): void {
  app.addHook('preValidation', async (request, reply) => {
    if (!METHODS.has(request.method) || !request.url.startsWith('/api/v1/')) return;
    const key = request.headers['idempotency-key'];
    if (key === undefined) return;
    if (!isValidKey(key)) throw new HttpProblem(400, TITLES[400], BAD_KEY, [{ field: 'Idempotency-Key', message: BAD_KEY }]);
    const principal = principalOf(request);
    // Public calls (signing in, a membership request) have no caller to keep an answer for.
    if (!principal) return;
    const ref = { principal, key };
    const outcome = await claimKey(app.ctx, ref, requestFingerprint(request.method, request.url, request.body));
    switch (outcome.kind) {
      case 'claimed':
        pending.set(request, { ...ref, settled: false });
        return;
      case 'mismatch':
        throw new HttpProblem(422, TITLES[422], OTHER_BODY, [{ field: 'Idempotency-Key', message: OTHER_BODY }]);
      case 'running':
        throw new HttpProblem(409, TITLES[409], STILL_RUNNING, undefined, { 'retry-after': '1' });
      case 'replay':
        reply.code(outcome.status).header(REPLAYED_HEADER, 'true');
        if (outcome.contentType) reply.type(outcome.contentType);
        return reply.send(outcome.status === 204 ? null : outcome.body);
    }
  });

  app.addHook('onSend', async (request, reply, payload) => {
    const claim = pending.get(request);
    if (!claim || claim.settled) return payload;
    claim.settled = true;
    const body = payload === null || payload === undefined ? '' : typeof payload === 'string' ? payload : null;
    // A server failure is not an answer to keep (the client should retry), nor is a stream.
    if (reply.statusCode >= 500 || body === null) await releaseKey(app.ctx, claim);
    else await storeAnswer(app.ctx, claim, { status: reply.statusCode, contentType: (reply.getHeader('content-type') as string | undefined) ?? null, body });
    return payload;
  });

  // A request that ended without an answer (connection lost, a crash before onSend) gives its key back.
  app.addHook('onResponse', async (request) => {
    const claim = pending.get(request);
    if (claim && !claim.settled) await releaseKey(app.ctx, claim);
  });
}
