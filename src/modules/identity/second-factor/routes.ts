/** Candidates may add a second factor through the API; partner and agency accounts get theirs at activation. */
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { HttpProblem } from '../../../http/problem.js';
import { actorOf, requestMeta } from '../../../http/request-meta.js';
import { noBody, problemResponses } from '../../../http/schemas.js';
import { candidateOnly } from '../../habilitations/policy.js';
import { IDENTITY_TAGS } from '../schemas.js';
import { CODE_REFUSED, confirmBody, enrolmentConfirmed, enrolmentStarted } from './schemas.js';
import { confirmTotpEnrolment, ensureNotEnrolled, startTotpEnrolment } from './service.js';

export async function secondFactorRoutes(fastify: FastifyInstance): Promise<void> {
  const app = fastify.withTypeProvider<ZodTypeProvider>();
  const config = { access: candidateOnly };

  app.post(
    '/api/v1/me/second-factor',
    {
      config,
      schema: {
        summary: 'Commencer l’activation de la double authentification (candidat)',
        tags: IDENTITY_TAGS,
        body: noBody,
        response: { 200: enrolmentStarted, ...problemResponses(401, 403, 409, 422) },
      },
    },
    async (request) => {
      const actor = actorOf(request);
      await ensureNotEnrolled(app.ctx, actor.accountId);
      return { otpauthUrl: await startTotpEnrolment(app.ctx, app.ctx.db, { id: actor.accountId, login: actor.login }) };
    },
  );

  app.post(
    '/api/v1/me/second-factor/confirm',
    {
      config,
      schema: {
        summary: 'Confirmer par un code : la double authentification est active, les codes de secours sont donnés',
        tags: IDENTITY_TAGS,
        body: confirmBody,
        response: { 200: enrolmentConfirmed, ...problemResponses(401, 403, 409, 422) },
      },
    },
    async (request) => {
      const actor = actorOf(request);
      await ensureNotEnrolled(app.ctx, actor.accountId);
      const result = await confirmTotpEnrolment(app.ctx, { id: actor.accountId, login: actor.login, organisationId: null }, request.body.otp, requestMeta(request));
      if (!result.ok) throw new HttpProblem(422, 'Code refusé', CODE_REFUSED, [{ field: 'otp', message: CODE_REFUSED }]);
      return { recoveryCodes: result.recoveryCodes };
    },
  );
}
