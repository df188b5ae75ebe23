/** JSON API of the digital attendance sheets: open, read, close, list; the trainee's signature. */
import type { FastifyInstance, FastifyReply } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { actorOf, requestMeta } from '../../../http/request-meta.js';
import { noQuery, problemResponses } from '../../../http/schemas.js';
import { anyOf, candidateOnly, requireHabilitation } from '../../habilitations/policy.js';
import { pdfResponse } from '../statements/schemas.js';
import { closeSheetBody, listQuery, openSheetBody, sheetListSchema, sheetParams, sheetSchema, SHEET_TAGS, signatureReceiptSchema, signBody } from './schemas.js';
import { closeSheetBy, getSheet, listSheetsOf, openSheet, sheetPdf, signSheet } from './service.js';

function sendSheetPdf(reply: FastifyReply, pdf: Buffer, id: string) {
  return reply.type('application/pdf').header('content-disposition', `attachment; filename="feuille-emargement-${id}.pdf"`).header('cache-control', 'no-store').send(pdf);
}

const sheetRunners = requireHabilitation('kairos', ['trainer', 'attendance_officer']);
const sheetReaders = requireHabilitation('kairos', ['trainer', 'attendance_officer', 'reader']);

export async function attendanceSheetRoutes(fastify: FastifyInstance): Promise<void> {
  const app = fastify.withTypeProvider<ZodTypeProvider>();
  app.post(
    '/api/v1/attendance-sheets',
    {
      config: { access: sheetRunners },
      schema: {
        summary: 'Ouvrir la feuille d’émargement d’une demi-journée prévue (30 minutes avant son début au plus tôt, jusqu’à sa fin)',
        tags: SHEET_TAGS,
        body: openSheetBody,
        response: { 201: sheetSchema, ...problemResponses(400, 401, 403, 409, 422) },
      },
    },
    async (request, reply) => reply.code(201).send(await openSheet(app.ctx, actorOf(request), request.body, requestMeta(request))),
  );
  app.get(
    '/api/v1/attendance-sheets',
    {
      config: { access: anyOf(sheetReaders, requireHabilitation('kairos', ['advisor'])) },
      schema: { summary: 'Les feuilles d’émargement de l’organisme (pour un conseiller : celles où figure l’un de ses candidats), par session et par mois', tags: SHEET_TAGS, querystring: listQuery, response: { 200: sheetListSchema, ...problemResponses(401, 403, 422) } },
    },
    async (request) => listSheetsOf(app.ctx, actorOf(request), request.query),
  );
  app.get(
    '/api/v1/attendance-sheets/:id',
    {
      config: { access: sheetReaders },
      schema: { summary: 'Une feuille d’émargement : stagiaires, signatures et code du moment', tags: SHEET_TAGS, params: sheetParams, querystring: noQuery, response: { 200: sheetSchema, ...problemResponses(401, 403, 404) } },
    },
    async (request) => getSheet(app.ctx, actorOf(request), request.params.id, requestMeta(request)),
  );
  app.get(
    '/api/v1/attendance-sheets/:id.pdf',
    {
      config: { access: anyOf(sheetReaders, requireHabilitation('kairos', ['advisor']), candidateOnly) },
      schema: {
        summary: 'La feuille d’émargement en PDF (signatures, empreinte SHA-256, référence d’audit) ; un conseiller ou un stagiaire n’y voit que ses lignes',
        tags: SHEET_TAGS,
        params: sheetParams,
        querystring: noQuery,
        response: { 200: pdfResponse, ...problemResponses(401, 403, 404) },
      },
    },
    async (request, reply) => {
      const pdf = await sheetPdf(app.ctx, actorOf(request), request.params.id, requestMeta(request));
      return sendSheetPdf(reply, pdf, request.params.id);
    },
  );
  app.post(
    '/api/v1/attendance-sheets/:id/close',
    {
      config: { access: sheetRunners },
      schema: {
        summary: 'Signer et clore la feuille : les présences proposées attendent la confirmation de l’assiduité',
        tags: SHEET_TAGS,
        params: sheetParams,
        body: closeSheetBody,
        response: { 200: sheetSchema, ...problemResponses(400, 401, 403, 404, 409, 422) },
      },
    },
    async (request) => closeSheetBy(app.ctx, actorOf(request), request.params.id, request.body.signature, requestMeta(request)),
  );
  app.post(
    '/api/v1/me/attendance-signatures',
    {
      config: { access: candidateOnly },
      schema: {
        summary: 'Émarger : signer la feuille de la demi-journée avec le code scanné (valable 60 secondes)',
        tags: SHEET_TAGS,
        body: signBody,
        response: { 201: signatureReceiptSchema, ...problemResponses(400, 401, 403, 409, 422) },
      },
    },
    async (request, reply) => reply.code(201).send(await signSheet(app.ctx, actorOf(request), request.body, requestMeta(request))),
  );
}
