import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { problemResponses } from '../../../http/schemas.js';
import { publicAccess } from '../../habilitations/policy.js';
import { helpArticles } from './articles.js';
import { helpPages } from './pages.js';
import { plainExcerpt } from './search.js';
import { articleHitSchema, articlesQuery } from './schemas.js';
import { allArticles, searchArticles } from './service.js';

/**
 * Help centre (docs/product/support.md#help-centre): `GET /api/v1/help/articles?q=` and the `/aide`
 * pages. Public: a user who cannot sign in must still reach the help.
 */
export async function helpRoutes(app: FastifyInstance): Promise<void> {
  helpArticles(); // read and rendered once, at start: a broken article stops the start with its file name
  const r = app.withTypeProvider<ZodTypeProvider>();
  r.get('/api/v1/help/articles', {
      config: { access: publicAccess },
      schema: {
        summary: 'Articles d’aide, tous ou ceux qui répondent à une recherche (les meilleurs d’abord)',
        tags: ['Aide'],
        querystring: articlesQuery,
        response: { 200: z.array(articleHitSchema), ...problemResponses(422) },
      },
    }, async (request) => {
    const q = request.query.q;
    const hits = q === undefined ? allArticles() : await searchArticles(app.ctx, q);
    // The API's excerpt is plain text: no highlight markers.
    return hits.map(({ article, excerpt }) => ({ slug: article.slug, title: article.title, topic: article.topic, excerpt: plainExcerpt(excerpt) }));
  });

  await app.register(helpPages);
}
