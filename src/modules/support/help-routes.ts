import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { publicAccess } from '../habilitations/policy.js';
import { helpArticles } from './help-articles.js';
import { helpPages } from './help-pages.js';
import { plainExcerpt } from './help-search.js';
import { EMPTY_QUERY, LONG_QUERY, QUERY_MAX, allArticles, searchArticles } from './help-service.js';

const querystring = z.object({ q: z.string(EMPTY_QUERY).trim().min(1, EMPTY_QUERY).max(QUERY_MAX, LONG_QUERY).optional() });

/**
 * Help centre (docs/product/support.md#help-centre): `GET /api/v1/help/articles?q=` and the `/aide`
 * pages. Public: a user who cannot sign in must still reach the help.
 */
export async function helpRoutes(app: FastifyInstance): Promise<void> {
  helpArticles(); // read and rendered once, at start: a broken article stops the start with its file name
  const r = app.withTypeProvider<ZodTypeProvider>();
  r.get('/api/v1/help/articles', { config: { access: publicAccess }, schema: { querystring } }, async (request) => {
    const q = request.query.q;
    const hits = q === undefined ? allArticles() : await searchArticles(app.ctx, q);
    // The API's excerpt is plain text: no highlight markers.
    return hits.map(({ article, excerpt }) => ({ slug: article.slug, title: article.title, topic: article.topic, excerpt: plainExcerpt(excerpt) }));
  });

  await app.register(helpPages);
}
