/**
 * GET /api/v1/exports/{quotes|trainings|attendance|statistics}.{csv|xlsx}: eight routes, each
 * with the access rule of the list it exports (the owning module's, not a new one). A session
 * cookie works as for every API read, so the pages link to them as plain download links.
 */
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import type { z } from 'zod';
import { actorOf, requestMeta } from '../../http/request-meta.js';
import { problemResponses } from '../../http/schemas.js';
import type { AccessRule } from '../habilitations/policy.js';
import { dashboardReaders } from '../dashboard/index.js';
import { quoteListReaders } from '../quotes/index.js';
import { trainingOrganisationReaders, trainingReaders } from '../training/index.js';
import { EXPORT_FORMATS, attendanceExportQuery, fileResponse, quotesExportQuery, statisticsExportQuery, trainingsExportQuery, type ExportKind } from './schemas.js';
import { exportFile, type ExportQueries } from './service.js';

const TAGS = ['Exports'];

interface KindSpec<K extends ExportKind> {
  kind: K;
  access: AccessRule;
  querystring: z.ZodType<ExportQueries[K]>;
  /** What the file holds, for the API reference. */
  what: string;
  summary: string;
}

const SPECS = [
  { kind: 'quotes', access: quoteListReaders, querystring: quotesExportQuery, what: 'Les devis', summary: 'Exporter les devis de mon organisme (mêmes filtres que la liste, toutes les pages)' },
  { kind: 'trainings', access: trainingReaders, querystring: trainingsExportQuery, what: 'Les formations', summary: 'Exporter les formations suivies (mêmes filtres que la liste, toutes les pages)' },
  { kind: 'attendance', access: trainingOrganisationReaders, querystring: attendanceExportQuery, what: 'L’assiduité', summary: 'Exporter l’assiduité d’une session pour un mois : une ligne par stagiaire et demi-journée' },
  { kind: 'statistics', access: dashboardReaders, querystring: statisticsExportQuery, what: 'Les indicateurs', summary: 'Exporter les indicateurs de mon tableau de bord : une ligne par chiffre' },
] as const satisfies ReadonlyArray<KindSpec<ExportKind>>;

export async function exportRoutes(fastify: FastifyInstance): Promise<void> {
  const app = fastify.withTypeProvider<ZodTypeProvider>();
  for (const spec of SPECS) {
    for (const format of EXPORT_FORMATS) {
      app.get(
        `/api/v1/exports/${spec.kind}.${format}`,
        {
          config: { access: spec.access },
          schema: {
            summary: `${spec.summary} — ${format.toUpperCase()}`,
            description:
              'Toutes les lignes des filtres donnés (au-delà du plafond, 422 : affinez les filtres). Chaque candidat exporté compte pour la détection des accès en masse (seuil des exports) ; chaque export est journalisé.',
            tags: TAGS,
            querystring: spec.querystring,
            response: { 200: fileResponse(format, spec.what), ...problemResponses(401, 403, 422) },
          },
        },
        async (request, reply) => {
          const file = await exportFile(app.ctx, actorOf(request), spec.kind, format, request.query as never, requestMeta(request));
          return reply
            .header('Content-Type', file.contentType)
            .header('Content-Disposition', `attachment; filename="${file.filename}"`)
            .header('Cache-Control', 'no-store')
            // A Buffer is sent as it is (never serialised); the schema documents it as binary content.
            .send(file.body as unknown as string);
        },
      );
    }
  }
}
