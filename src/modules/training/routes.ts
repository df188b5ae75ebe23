/**
 * Training follow-up API (docs/product/training-follow-up.md): trainings, entry, attendance (JSON
 * and CSV import), monthly statements and corrections, withdrawal, exit, report, advisor alerts,
 * and the candidate's own view under /api/v1/me/trainings. Access rules: see policy.ts.
 */
import type { FastifyInstance, FastifyReply } from 'fastify';
import { uuidOr404 } from '../../http/ids.js';
import { HttpProblem, TITLES } from '../../http/problem.js';
import { actorOf, requestMeta } from '../../http/request-meta.js';
import { listAlerts } from './alerts.js';
import { getAttendance, importAttendanceCsv, saveAttendance } from './attendance-service.js';
import { acceptCsvBodies } from './csv-body.js';
import { myTraining, myTrainings } from './me-service.js';
import { advisors, attendanceOfficers, candidates, trainingReaders } from './policy.js';
import {
  attendanceBodySchema,
  correctionBodySchema,
  entryBodySchema,
  listQuerySchema,
  monthQuerySchema,
  monthSchema,
  parse,
  reportBodySchema,
  withdrawalBodySchema,
} from './schemas.js';
import { TRAINING_NOT_FOUND, declareEntry, declareExit, declareWithdrawal, getTraining, listTrainingsFor, submitReport } from './service.js';
import { correctAttendance, getStatement, statementPdf, submitStatement } from './statement-service.js';

const idOf = (params: unknown) => uuidOr404((params as { id: string }).id, TRAINING_NOT_FOUND);
const monthOfPath = (params: unknown) => parse(monthSchema, (params as { month: string }).month);

function sendPdf(reply: FastifyReply, pdf: Buffer, month: string) {
  return reply
    .type('application/pdf')
    .header('content-disposition', `attachment; filename="etat-de-presence-${month}.pdf"`)
    .header('cache-control', 'no-store')
    .send(pdf);
}

/** Staff routes: organisations (attendance officers write, readers read) and advisors (read). */
export async function trainingRoutes(app: FastifyInstance): Promise<void> {
  const read = { access: trainingReaders };
  const write = { access: attendanceOfficers };

  app.get('/api/v1/trainings', { config: read }, async (request) => listTrainingsFor(app.ctx, actorOf(request), parse(listQuerySchema, request.query), requestMeta(request)));

  app.get('/api/v1/trainings/:id', { config: read }, async (request) => getTraining(app.ctx, actorOf(request), idOf(request.params), requestMeta(request)));

  app.post('/api/v1/trainings/:id/entry', { config: write }, async (request) => {
    const id = idOf(request.params);
    const { startDate } = parse(entryBodySchema, request.body);
    return declareEntry(app.ctx, actorOf(request), id, startDate, requestMeta(request));
  });

  app.get('/api/v1/trainings/:id/attendance', { config: read }, async (request) => {
    const id = idOf(request.params);
    return getAttendance(app.ctx, actorOf(request), id, parse(monthQuerySchema, request.query).month, requestMeta(request));
  });

  app.put('/api/v1/trainings/:id/attendance', { config: write }, async (request) => {
    const id = idOf(request.params);
    const { entries } = parse(attendanceBodySchema, request.body);
    return saveAttendance(app.ctx, actorOf(request), id, entries, requestMeta(request));
  });

  app.get('/api/v1/trainings/:id/statements/:month.pdf', { config: read }, async (request, reply) => {
    const id = idOf(request.params);
    const month = monthOfPath(request.params);
    return sendPdf(reply, await statementPdf(app.ctx, actorOf(request), id, month, requestMeta(request)), month);
  });

  app.get('/api/v1/trainings/:id/statements/:month', { config: read }, async (request) => {
    const id = idOf(request.params);
    return getStatement(app.ctx, actorOf(request), id, monthOfPath(request.params), requestMeta(request));
  });

  app.post('/api/v1/trainings/:id/statements/:month/submit', { config: write }, async (request) => {
    const id = idOf(request.params);
    return submitStatement(app.ctx, actorOf(request), id, monthOfPath(request.params), requestMeta(request));
  });

  app.post('/api/v1/trainings/:id/statements/:month/corrections', { config: write }, async (request, reply) => {
    const id = idOf(request.params);
    const month = monthOfPath(request.params);
    const input = parse(correctionBodySchema, request.body);
    return reply.code(201).send(await correctAttendance(app.ctx, actorOf(request), id, month, input, requestMeta(request)));
  });

  app.post('/api/v1/trainings/:id/withdrawal', { config: write }, async (request) => {
    const id = idOf(request.params);
    return declareWithdrawal(app.ctx, actorOf(request), id, parse(withdrawalBodySchema, request.body), requestMeta(request));
  });

  app.post('/api/v1/trainings/:id/exit', { config: write }, async (request) => declareExit(app.ctx, actorOf(request), idOf(request.params), requestMeta(request)));

  app.post('/api/v1/trainings/:id/report', { config: write }, async (request, reply) => {
    const id = idOf(request.params);
    const input = parse(reportBodySchema, request.body);
    return reply.code(201).send(await submitReport(app.ctx, actorOf(request), id, input, requestMeta(request)));
  });

  app.get('/api/v1/training-alerts', { config: { access: advisors } }, async (request) => listAlerts(app.ctx, actorOf(request), requestMeta(request)));

  // Only this scope parses text/csv: elsewhere it stays a 415.
  await app.register(async (csvScope) => {
    acceptCsvBodies(csvScope);
    csvScope.post('/api/v1/attendance-imports', { config: write }, async (request) => {
      if (typeof request.body !== 'string') {
        throw new HttpProblem(415, TITLES[415], 'Envoyez le fichier CSV tel quel, avec l’en-tête Content-Type: text/csv.');
      }
      return importAttendanceCsv(app.ctx, actorOf(request), request.body, requestMeta(request));
    });
  });
}

/** The candidate's own trainings (never anyone else's: the scope is their account). */
export async function myTrainingRoutes(app: FastifyInstance): Promise<void> {
  const own = { access: candidates };
  app.get('/api/v1/me/trainings', { config: own }, async (request) => myTrainings(app.ctx, actorOf(request)));
  app.get('/api/v1/me/trainings/:id', { config: own }, async (request) => myTraining(app.ctx, actorOf(request), idOf(request.params)));
  app.get('/api/v1/me/trainings/:id/attendance', { config: own }, async (request) => {
    const id = idOf(request.params);
    return getAttendance(app.ctx, actorOf(request), id, parse(monthQuerySchema, request.query).month, requestMeta(request));
  });
  app.get('/api/v1/me/trainings/:id/statements/:month.pdf', { config: own }, async (request, reply) => {
    const id = idOf(request.params);
    const month = monthOfPath(request.params);
    return sendPdf(reply, await statementPdf(app.ctx, actorOf(request), id, month, requestMeta(request)), month);
  });
}
