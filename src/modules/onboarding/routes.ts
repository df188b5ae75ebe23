/**
 * Onboarding API (docs/product/joining-and-habilitations.md): the public membership request, the
 * agency's review of requests and letters, and the two public steps of activation.
 */
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { uuidOr404 } from '../../http/ids.js';
import { HttpProblem, problems } from '../../http/problem.js';
import { actorOf, requestMeta } from '../../http/request-meta.js';
import { noBody, noQuery, problemResponses } from '../../http/schemas.js';
import { publicAccess, requireHabilitation } from '../habilitations/policy.js';
import { ACTIVATION_REFUSED, confirmActivation, startActivation, type ActivationOutcome } from './activation-service.js';
import { letterPdf, listLetters, markLetterSent, regenerateActivationLetter } from './letters-service.js';
import {
  approveMembershipRequest,
  getMembershipRequest,
  listMembershipRequests,
  rejectMembershipRequest,
  submitMembershipRequest,
} from './membership-service.js';
import { parisDay } from './rules.js';
import {
  activationBody,
  activationConfirmBody,
  approvedSchema,
  createdRequestSchema,
  letterParams,
  lettersQuery,
  lettersSchema,
  membershipBody,
  membershipRequestJson,
  pdfResponse,
  regeneratedSchema,
  rejectBody,
  rejectedSchema,
  requestListQuery,
  requestParams,
  sentSchema,
} from './schemas.js';
import { membershipRequestView } from './views.js';

export const agencyAdmin = requireHabilitation('gid', ['agency_admin']);
const TAGS = ['Adhésion et activation'];

/** Throws the HTTP answer for a refused activation step. */
export function activationProblem(outcome: Exclude<ActivationOutcome<object>, { ok: true }>): HttpProblem {
  if (outcome.reason === 'throttled') return problems.tooMany(outcome.retryAfterSeconds);
  if (outcome.reason === 'password') return problems.invalid([{ field: 'password', message: outcome.message }]);
  return new HttpProblem(401, 'Activation refusée', ACTIVATION_REFUSED);
}

export async function onboardingRoutes(fastify: FastifyInstance): Promise<void> {
  const app = fastify.withTypeProvider<ZodTypeProvider>();
  const publicForm = { access: publicAccess, rateLimit: { max: app.ctx.config.publicFormRateLimitPerHour, timeWindow: 3_600_000 } };
  const admin = { access: agencyAdmin };

  app.post(
    '/api/v1/membership-requests',
    {
      config: publicForm,
      schema: {
        summary: 'Déposer une demande d’adhésion (public)',
        tags: TAGS,
        body: membershipBody(() => parisDay(app.ctx.clock.now())),
        response: { 201: createdRequestSchema, ...problemResponses(409, 422, 429) },
      },
    },
    async (request, reply) => {
      const created = await submitMembershipRequest(app.ctx, request.body, requestMeta(request));
      return reply.code(201).send({ id: created.id, status: created.status });
    },
  );

  app.get(
    '/api/v1/membership-requests',
    {
      config: admin,
      schema: { summary: 'Demandes d’adhésion, les plus récentes d’abord (200 au plus)', tags: TAGS, querystring: requestListQuery, response: { 200: z.object({ requests: z.array(membershipRequestJson) }), ...problemResponses(401, 403, 422) } },
    },
    async (request) => ({ requests: (await listMembershipRequests(app.ctx, request.query)).map(membershipRequestView) }),
  );

  app.get(
    '/api/v1/membership-requests/:id',
    { config: admin, schema: { summary: 'Une demande d’adhésion', tags: TAGS, params: requestParams, querystring: noQuery, response: { 200: membershipRequestJson, ...problemResponses(401, 403, 404, 422) } } },
    async (request) => membershipRequestView(await getMembershipRequest(app.ctx, request.params.id)),
  );

  app.post(
    '/api/v1/membership-requests/:id/approve',
    {
      config: admin,
      schema: { summary: 'Accepter une demande : organisme, compte du responsable, deux courriers', tags: TAGS, params: requestParams, body: noBody, response: { 200: approvedSchema, ...problemResponses(401, 403, 404, 409, 422) } },
    },
    async (request) => approveMembershipRequest(app.ctx, actorOf(request), request.params.id, requestMeta(request)),
  );

  app.post(
    '/api/v1/membership-requests/:id/reject',
    { config: admin, schema: { summary: 'Refuser une demande (le motif est envoyé au demandeur)', tags: TAGS, params: requestParams, body: rejectBody, response: { 200: rejectedSchema, ...problemResponses(401, 403, 404, 409, 422) } } },
    async (request) => rejectMembershipRequest(app.ctx, actorOf(request), request.params.id, request.body.reason, requestMeta(request)),
  );

  app.get(
    '/api/v1/letters',
    { config: admin, schema: { summary: 'Les courriers d’un organisme', tags: TAGS, querystring: lettersQuery, response: { 200: lettersSchema, ...problemResponses(401, 403, 404, 422) } } },
    async (request) => {
      const organisationId = uuidOr404(request.query.organisation, 'Cet organisme est introuvable.');
      const letters = await listLetters(app.ctx, organisationId);
      return {
        letters: letters.map((l) => ({
          id: l.id,
          kind: l.kind,
          reference: l.reference,
          createdAt: l.created_at.toISOString(),
          sentAt: l.sent_at?.toISOString() ?? null,
          ready: !!l.pdf_sealed,
        })),
      };
    },
  );

  app.get(
    '/api/v1/letters/:id/pdf',
    { config: admin, schema: { summary: 'Télécharger un courrier (PDF)', tags: TAGS, params: letterParams, querystring: noQuery, response: { 200: pdfResponse, ...problemResponses(401, 403, 404, 409, 422) } } },
    async (request, reply) => {
      const { pdf, reference } = await letterPdf(app.ctx, actorOf(request), request.params.id, requestMeta(request));
      return reply
        .type('application/pdf')
        .header('content-disposition', `attachment; filename="${reference}.pdf"`)
        .header('cache-control', 'no-store')
        // A Buffer is sent as it is (never serialised); the schema documents it as binary content.
        .send(pdf as unknown as string);
    },
  );

  app.post(
    '/api/v1/letters/:id/sent',
    { config: admin, schema: { summary: 'Marquer un courrier comme posté', tags: TAGS, params: letterParams, body: noBody, response: { 200: sentSchema, ...problemResponses(401, 403, 404, 409, 422) } } },
    async (request) => markLetterSent(app.ctx, actorOf(request), request.params.id, requestMeta(request)),
  );

  app.post(
    '/api/v1/letters/:id/regenerate',
    {
      config: admin,
      schema: { summary: 'Un nouveau courrier d’activation (l’ancien code cesse de fonctionner)', tags: TAGS, params: letterParams, body: noBody, response: { 201: regeneratedSchema, ...problemResponses(401, 403, 404, 409, 422) } },
    },
    async (request, reply) => reply.code(201).send(await regenerateActivationLetter(app.ctx, actorOf(request), request.params.id, requestMeta(request))),
  );

  app.post(
    '/api/v1/activation',
    {
      config: { access: publicAccess },
      schema: { summary: 'Activation, étape 1 : identifiant, code d’activation et mot de passe choisi', tags: TAGS, body: activationBody, response: { 200: z.object({ otpauthUrl: z.string() }), ...problemResponses(401, 422, 429) } },
    },
    async (request) => {
      const outcome = await startActivation(app.ctx, request.body, requestMeta(request));
      if (!outcome.ok) throw activationProblem(outcome);
      return { otpauthUrl: outcome.otpauthUrl };
    },
  );

  app.post(
    '/api/v1/activation/confirm',
    {
      config: { access: publicAccess },
      schema: {
        summary: 'Activation, étape 2 : un code de l’application d’authentification ; le compte devient actif',
        tags: TAGS,
        body: activationConfirmBody,
        response: { 200: z.object({ recoveryCodes: z.array(z.string()) }), ...problemResponses(401, 422, 429) },
      },
    },
    async (request) => {
      const outcome = await confirmActivation(app.ctx, request.body, requestMeta(request));
      if (!outcome.ok) throw activationProblem(outcome);
      return { recoveryCodes: outcome.recoveryCodes };
    },
  );
}
