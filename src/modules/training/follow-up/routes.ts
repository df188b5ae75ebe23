/**
 * Training follow-up API (docs/product/training-follow-up.md): the trainings of the actor's
 * scope, one training, and the declarations that move it through its life (entry, withdrawal,
 * exit, report); the candidate's own trainings under /api/v1/me/trainings. Access rules: see
 * ../policy.ts.
 */
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { actorOf, requestMeta } from '../../../http/request-meta.js';
import { noBody, noQuery, problemResponses } from '../../../http/schemas.js';
import { attendanceOfficers, candidates, trainingReaders } from '../policy.js';
import { TRAINING_TAGS, jsonBody, trainingParams } from '../schemas.js';
import { myTraining, myTrainings } from './me-service.js';
import {
  entryBodySchema,
  listQuerySchema,
  myTrainingSchema,
  myTrainingsSchema,
  reportBodySchema,
  trainingDetailSchema,
  trainingListSchema,
  withdrawalBodySchema,
} from './schemas.js';
import { declareEntry, declareExit, declareWithdrawal, getTraining, listTrainingsFor, submitReport } from './service.js';

/** A declaration answers the training as it now is. */
const declared = (status: 200 | 201) => ({ [status]: trainingDetailSchema, ...problemResponses(401, 403, 404, 409, 422) });

export async function followUpRoutes(fastify: FastifyInstance): Promise<void> {
  const app = fastify.withTypeProvider<ZodTypeProvider>();
  const read = { access: trainingReaders };
  const write = { access: attendanceOfficers };

  app.get(
    '/api/v1/trainings',
    {
      config: read,
      schema: {
        summary: 'Formations suivies (organisme, ou candidats du conseiller), 20 par page',
        tags: TRAINING_TAGS,
        querystring: listQuerySchema,
        response: { 200: trainingListSchema, ...problemResponses(401, 403, 422) },
      },
    },
    async (request) => listTrainingsFor(app.ctx, actorOf(request), request.query, requestMeta(request)),
  );

  app.get(
    '/api/v1/trainings/:id',
    {
      config: read,
      schema: {
        summary: 'Une formation : faits, mois et états de présence, bilan',
        tags: TRAINING_TAGS,
        params: trainingParams,
        querystring: noQuery,
        response: { 200: trainingDetailSchema, ...problemResponses(401, 403, 404, 422) },
      },
    },
    async (request) => getTraining(app.ctx, actorOf(request), request.params.id, requestMeta(request)),
  );

  app.post(
    '/api/v1/trainings/:id/entry',
    { config: write, schema: { summary: 'Déclarer l’entrée en formation', tags: TRAINING_TAGS, params: trainingParams, body: jsonBody(entryBodySchema), response: declared(200) } },
    async (request) => declareEntry(app.ctx, actorOf(request), request.params.id, request.body.startDate, requestMeta(request)),
  );

  app.post(
    '/api/v1/trainings/:id/withdrawal',
    { config: write, schema: { summary: 'Déclarer un abandon (le conseiller est alerté)', tags: TRAINING_TAGS, params: trainingParams, body: jsonBody(withdrawalBodySchema), response: declared(200) } },
    async (request) => declareWithdrawal(app.ctx, actorOf(request), request.params.id, request.body, requestMeta(request)),
  );

  app.post(
    '/api/v1/trainings/:id/exit',
    { config: write, schema: { summary: 'Déclarer la sortie, à la fin prévue ou après', tags: TRAINING_TAGS, params: trainingParams, body: noBody, response: declared(200) } },
    async (request) => declareExit(app.ctx, actorOf(request), request.params.id, requestMeta(request)),
  );

  app.post(
    '/api/v1/trainings/:id/report',
    { config: write, schema: { summary: 'Déposer le bilan de formation', tags: TRAINING_TAGS, params: trainingParams, body: jsonBody(reportBodySchema), response: declared(201) } },
    async (request, reply) => reply.code(201).send(await submitReport(app.ctx, actorOf(request), request.params.id, request.body, requestMeta(request))),
  );
}

/** The candidate's own trainings (never anyone else's: the scope is their account). */
export async function myFollowUpRoutes(fastify: FastifyInstance): Promise<void> {
  const app = fastify.withTypeProvider<ZodTypeProvider>();
  const own = { access: candidates };
  app.get(
    '/api/v1/me/trainings',
    { config: own, schema: { summary: 'Mes formations et leur chronologie', tags: TRAINING_TAGS, querystring: noQuery, response: { 200: myTrainingsSchema, ...problemResponses(401, 403, 422) } } },
    async (request) => myTrainings(app.ctx, actorOf(request)),
  );
  app.get(
    '/api/v1/me/trainings/:id',
    { config: own, schema: { summary: 'Une de mes formations', tags: TRAINING_TAGS, params: trainingParams, querystring: noQuery, response: { 200: myTrainingSchema, ...problemResponses(401, 403, 404, 422) } } },
    async (request) => myTraining(app.ctx, actorOf(request), request.params.id),
  );
}
