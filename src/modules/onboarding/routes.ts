import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { uuidOr404 } from '../../http/ids.js';
import { HttpProblem, fieldErrorsFrom, problems } from '../../http/problem.js';
import { actorOf, requestMeta } from '../../http/request-meta.js';
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
import { isRealDate, membershipRequestSchema, parisDay } from './rules.js';
import { membershipRequestView } from './views.js';

export const agencyAdmin = requireHabilitation('gid', ['agency_admin']);
// A real calendar day: 2026-02-30 passed the format and made the database fail (found by fuzzing).
const day = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'Date au format aaaa-mm-jj attendue.').refine(isRealDate, 'Date invalide : saisissez un jour qui existe, au format aaaa-mm-jj.');

/** Throws the HTTP answer for a refused activation step. */
export function activationProblem(outcome: Exclude<ActivationOutcome<object>, { ok: true }>): HttpProblem {
  if (outcome.reason === 'throttled') return problems.tooMany(outcome.retryAfterSeconds);
  if (outcome.reason === 'password') return problems.invalid([{ field: 'password', message: outcome.message }]);
  return new HttpProblem(401, 'Activation refusée', ACTIVATION_REFUSED);
}

export async function onboardingRoutes(app: FastifyInstance): Promise<void> {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const publicForm = { access: publicAccess, rateLimit: { max: app.ctx.config.publicFormRateLimitPerHour, timeWindow: 3_600_000 } };

  r.post('/api/v1/membership-requests', { config: publicForm }, async (request, reply) => {
    const parsed = membershipRequestSchema(parisDay(app.ctx.clock.now())).safeParse(request.body ?? {});
    if (!parsed.success) {
      throw problems.invalid(fieldErrorsFrom(parsed.error.issues));
    }
    const created = await submitMembershipRequest(app.ctx, parsed.data, requestMeta(request));
    return reply.code(201).send({ id: created.id, status: created.status });
  });

  r.get(
    '/api/v1/membership-requests',
    { config: { access: agencyAdmin }, schema: { querystring: z.object({ status: z.enum(['pending', 'approved', 'rejected']).optional(), from: day.optional(), to: day.optional() }) } },
    async (request) => ({ requests: (await listMembershipRequests(app.ctx, request.query)).map(membershipRequestView) }),
  );

  r.get('/api/v1/membership-requests/:id', { config: { access: agencyAdmin } }, async (request) =>
    membershipRequestView(await getMembershipRequest(app.ctx, uuidOr404((request.params as { id: string }).id))),
  );

  r.post('/api/v1/membership-requests/:id/approve', { config: { access: agencyAdmin } }, async (request) => {
    const id = uuidOr404((request.params as { id: string }).id);
    return approveMembershipRequest(app.ctx, actorOf(request), id, requestMeta(request));
  });

  r.post(
    '/api/v1/membership-requests/:id/reject',
    { config: { access: agencyAdmin }, schema: { body: z.strictObject({ reason: z.string().trim().min(5, 'Motif : au moins 5 caractères, pour que le demandeur comprenne le refus.').max(2000, 'Motif : 2 000 caractères au maximum.') }) } },
    async (request) => {
      const id = uuidOr404((request.params as { id: string }).id);
      return rejectMembershipRequest(app.ctx, actorOf(request), id, request.body.reason, requestMeta(request));
    },
  );

  r.get('/api/v1/letters', { config: { access: agencyAdmin }, schema: { querystring: z.object({ organisation: z.string().max(100) }) } }, async (request) => {
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
  });

  r.get('/api/v1/letters/:id/pdf', { config: { access: agencyAdmin } }, async (request, reply) => {
    const id = uuidOr404((request.params as { id: string }).id);
    const { pdf, reference } = await letterPdf(app.ctx, actorOf(request), id, requestMeta(request));
    return reply
      .type('application/pdf')
      .header('content-disposition', `attachment; filename="${reference}.pdf"`)
      .header('cache-control', 'no-store')
      .send(pdf);
  });

  r.post('/api/v1/letters/:id/sent', { config: { access: agencyAdmin } }, async (request) =>
    markLetterSent(app.ctx, actorOf(request), uuidOr404((request.params as { id: string }).id), requestMeta(request)),
  );

  r.post('/api/v1/letters/:id/regenerate', { config: { access: agencyAdmin } }, async (request, reply) => {
    const created = await regenerateActivationLetter(app.ctx, actorOf(request), uuidOr404((request.params as { id: string }).id), requestMeta(request));
    return reply.code(201).send(created);
  });

  const activationBody = z.strictObject({
    login: z.string().min(1).max(100),
    activationCode: z.string().min(1).max(64),
    password: z.string().min(1).max(1024),
  });
  r.post('/api/v1/activation', { config: { access: publicAccess }, schema: { body: activationBody } }, async (request) => {
    const outcome = await startActivation(app.ctx, request.body, requestMeta(request));
    if (!outcome.ok) throw activationProblem(outcome);
    return { otpauthUrl: outcome.otpauthUrl };
  });

  r.post(
    '/api/v1/activation/confirm',
    { config: { access: publicAccess }, schema: { body: z.strictObject({ login: z.string().min(1).max(100), otp: z.string().min(1).max(20) }) } },
    async (request) => {
      const outcome = await confirmActivation(app.ctx, request.body, requestMeta(request));
      if (!outcome.ok) throw activationProblem(outcome);
      return { recoveryCodes: outcome.recoveryCodes };
    },
  );
}
