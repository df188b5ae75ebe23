/**
 * Monthly statements API (docs/product/training-follow-up.md#monthly-statements): a month's
 * statement and its PDF, its submission (which locks the month), and corrections of a locked
 * month; the candidate reads their PDFs. Access rules: see ../policy.ts.
 */
import type { FastifyInstance, FastifyReply } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { actorOf, requestMeta } from '../../../http/request-meta.js';
import { noBody, noQuery, problemResponses } from '../../../http/schemas.js';
import { attendanceOfficers, candidates, trainingReaders } from '../policy.js';
import { TRAINING_TAGS, jsonBody, trainingMonthParams } from '../schemas.js';
import { correctionBodySchema, pdfResponse, statementSchema } from './schemas.js';
import { correctAttendance, getStatement, statementPdf, submitStatement } from './service.js';

function sendPdf(reply: FastifyReply, pdf: Buffer, month: string) {
  return reply
    .type('application/pdf')
    .header('content-disposition', `attachment; filename="etat-de-presence-${month}.pdf"`)
    .header('cache-control', 'no-store')
    .send(pdf);
}

const pdfResponses = { 200: pdfResponse, ...problemResponses(401, 403, 404, 422) };

export async function statementRoutes(fastify: FastifyInstance): Promise<void> {
  const app = fastify.withTypeProvider<ZodTypeProvider>();
  const read = { access: trainingReaders };
  const write = { access: attendanceOfficers };

  app.get(
    '/api/v1/trainings/:id/statements/:month.pdf',
    { config: read, schema: { summary: 'État de présence d’un mois transmis (PDF)', tags: TRAINING_TAGS, params: trainingMonthParams, querystring: noQuery, response: pdfResponses } },
    async (request, reply) => sendPdf(reply, await statementPdf(app.ctx, actorOf(request), request.params.id, request.params.month, requestMeta(request)), request.params.month),
  );

  app.get(
    '/api/v1/trainings/:id/statements/:month',
    {
      config: read,
      schema: {
        summary: 'État de présence d’un mois : transmis, ou calculé à ce jour',
        tags: TRAINING_TAGS,
        params: trainingMonthParams,
        querystring: noQuery,
        response: { 200: statementSchema, ...problemResponses(401, 403, 404, 422) },
      },
    },
    async (request) => getStatement(app.ctx, actorOf(request), request.params.id, request.params.month, requestMeta(request)),
  );

  app.post(
    '/api/v1/trainings/:id/statements/:month/submit',
    {
      config: write,
      schema: {
        summary: 'Transmettre l’état de présence d’un mois (le mois est alors verrouillé)',
        tags: TRAINING_TAGS,
        params: trainingMonthParams,
        body: noBody,
        response: { 200: statementSchema, ...problemResponses(401, 403, 404, 409, 422) },
      },
    },
    async (request) => submitStatement(app.ctx, actorOf(request), request.params.id, request.params.month, requestMeta(request)),
  );

  app.post(
    '/api/v1/trainings/:id/statements/:month/corrections',
    {
      config: write,
      schema: {
        summary: 'Corriger une demi-journée d’un mois transmis, avec un motif',
        tags: TRAINING_TAGS,
        params: trainingMonthParams,
        body: jsonBody(correctionBodySchema),
        response: { 201: statementSchema, ...problemResponses(401, 403, 404, 409, 422) },
      },
    },
    async (request, reply) => reply.code(201).send(await correctAttendance(app.ctx, actorOf(request), request.params.id, request.params.month, request.body, requestMeta(request))),
  );
}

/** The candidate's own statement PDFs. */
export async function myStatementRoutes(fastify: FastifyInstance): Promise<void> {
  const app = fastify.withTypeProvider<ZodTypeProvider>();
  app.get(
    '/api/v1/me/trainings/:id/statements/:month.pdf',
    { config: { access: candidates }, schema: { summary: 'Mon état de présence d’un mois (PDF)', tags: TRAINING_TAGS, params: trainingMonthParams, querystring: noQuery, response: pdfResponses } },
    async (request, reply) => sendPdf(reply, await statementPdf(app.ctx, actorOf(request), request.params.id, request.params.month, requestMeta(request)), request.params.month),
  );
}
