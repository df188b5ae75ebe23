/**
 * Attendance API (docs/product/training-follow-up.md#attendance): a training's month for staff and
 * for the candidate, half-day declarations, and the organisation-wide CSV import. Access rules:
 * see ../policy.ts.
 */
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { HttpProblem, TITLES } from '../../../http/problem.js';
import { actorOf, requestMeta } from '../../../http/request-meta.js';
import { problemResponses } from '../../../http/schemas.js';
import { attendanceOfficers, candidates, trainingReaders } from '../policy.js';
import { TRAINING_TAGS, jsonBody, trainingParams } from '../schemas.js';
import { acceptCsvBodies } from './csv-body.js';
import { attendanceBodySchema, attendanceMonthSchema, csvImportResponses, csvTextBody, monthQuerySchema, savedSchema } from './schemas.js';
import { getAttendance, saveAttendance } from './service.js';
import { importAttendanceCsv } from './import-service.js';
import { SpooledUpload, fileSource } from './csv-upload.js';

export async function attendanceRoutes(fastify: FastifyInstance): Promise<void> {
  const app = fastify.withTypeProvider<ZodTypeProvider>();

  app.get(
    '/api/v1/trainings/:id/attendance',
    {
      config: { access: trainingReaders },
      schema: {
        summary: 'Assiduité d’un mois : demi-journées prévues, déclarations, totaux, corrections',
        tags: TRAINING_TAGS,
        params: trainingParams,
        querystring: monthQuerySchema,
        response: { 200: attendanceMonthSchema, ...problemResponses(401, 403, 404, 422) },
      },
    },
    async (request) => getAttendance(app.ctx, actorOf(request), request.params.id, request.query.month, requestMeta(request)),
  );

  app.put(
    '/api/v1/trainings/:id/attendance',
    {
      config: { access: attendanceOfficers },
      schema: {
        summary: 'Déclarer des demi-journées (tout ou rien ; chaque refus nomme son entrée)',
        tags: TRAINING_TAGS,
        params: trainingParams,
        body: jsonBody(attendanceBodySchema),
        response: { 200: savedSchema, ...problemResponses(401, 403, 404, 409, 422) },
      },
    },
    async (request) => saveAttendance(app.ctx, actorOf(request), request.params.id, request.body.entries, requestMeta(request)),
  );

  // Only this scope parses text/csv: elsewhere it stays a 415.
  await app.register(async (csvScope) => {
    acceptCsvBodies(csvScope);
    csvScope.withTypeProvider<ZodTypeProvider>().post(
      '/api/v1/attendance-imports',
      {
        config: { access: attendanceOfficers },
        schema: {
          summary: 'Importer un mois d’assiduité de l’organisme (fichier CSV, tout ou rien)',
          tags: TRAINING_TAGS,
          body: csvTextBody,
          response: csvImportResponses,
        },
      },
      async (request) => {
        // JSON and form bodies (the app's own parsers) or no body at all reach here too: only text/csv is the file.
        const upload: unknown = request.body;
        if (!(upload instanceof SpooledUpload)) {
          throw new HttpProblem(415, TITLES[415], 'Envoyez le fichier CSV tel quel, avec l’en-tête Content-Type: text/csv.');
        }
        try {
          return await importAttendanceCsv(app.ctx, actorOf(request), fileSource(upload), requestMeta(request));
        } finally {
          await upload.remove();
        }
      },
    );
  });
}

/** The candidate's own month (never anyone else's: the scope is their account). */
export async function myAttendanceRoutes(fastify: FastifyInstance): Promise<void> {
  const app = fastify.withTypeProvider<ZodTypeProvider>();
  app.get(
    '/api/v1/me/trainings/:id/attendance',
    {
      config: { access: candidates },
      schema: {
        summary: 'Mon assiduité d’un mois',
        tags: TRAINING_TAGS,
        params: trainingParams,
        querystring: monthQuerySchema,
        response: { 200: attendanceMonthSchema, ...problemResponses(401, 403, 404, 422) },
      },
    },
    async (request) => getAttendance(app.ctx, actorOf(request), request.params.id, request.query.month, requestMeta(request)),
  );
}
