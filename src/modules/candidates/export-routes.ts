import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { actorOf, requestMeta } from '../../http/request-meta.js';
import { noQuery, problemResponses } from '../../http/schemas.js';
import { candidateOnly } from '../habilitations/policy.js';
import { candidateDataExport } from './data-export.js';
import { renderDataExportPdf } from './export-pdf.js';
import { dataExportSchema } from './export-schemas.js';

const TAGS = ['Candidats'];

/** The candidate's right of access: their data, as JSON or as a PDF summary; staff are refused (403). */
export async function dataExportRoutes(fastify: FastifyInstance): Promise<void> {
  const app = fastify.withTypeProvider<ZodTypeProvider>();

  app.get(
    '/api/v1/me/data-export',
    {
      config: { access: candidateOnly },
      schema: {
        summary: 'Télécharger toutes mes données personnelles (JSON)',
        tags: TAGS,
        querystring: noQuery,
        response: { 200: dataExportSchema, ...problemResponses(401, 403) },
      },
    },
    async (request, reply) => {
      const data = await candidateDataExport(app.ctx, actorOf(request), requestMeta(request), 'json');
      return reply.header('Content-Disposition', 'attachment; filename="mes-donnees-kairos.json"').header('Cache-Control', 'private, no-store').send(data);
    },
  );

  app.get(
    '/api/v1/me/data-export.pdf',
    {
      config: { access: candidateOnly },
      schema: {
        summary: 'Télécharger le résumé de mes données personnelles (PDF)',
        tags: TAGS,
        querystring: noQuery,
        response: {
          200: { description: 'Le résumé de vos données (PDF).', content: { 'application/pdf': { schema: z.string().meta({ format: 'binary' }) } } },
          ...problemResponses(401, 403),
        },
      },
    },
    async (request, reply) => {
      const data = await candidateDataExport(app.ctx, actorOf(request), requestMeta(request), 'pdf');
      const pdf = await renderDataExportPdf(app.ctx.config.operatorName, data);
      return reply
        .header('Content-Type', 'application/pdf')
        .header('Content-Disposition', 'attachment; filename="mes-donnees-kairos.pdf"')
        .header('Cache-Control', 'private, no-store')
        // A Buffer is sent as it is (never serialised); the schema documents it as binary content.
        .send(pdf as unknown as string);
    },
  );
}
