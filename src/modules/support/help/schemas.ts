/**
 * What the help centre's routes accept and answer (zod, French messages naming the field). The
 * search query is judged the same way by the API and the page: 1 to 200 characters once trimmed.
 */
import { z } from 'zod';

export const QUERY_MAX = 200;
export const EMPTY_QUERY = 'Recherche : saisissez un ou plusieurs mots.';
export const LONG_QUERY = `Recherche : ${QUERY_MAX} caractères au maximum. Raccourcissez-la.`;
export const ARTICLE_NOT_FOUND = 'Cet article d’aide n’existe pas ou a été déplacé. Retrouvez tous les articles sur la page Aide.';

const query = z.string({ error: EMPTY_QUERY }).trim().min(1, EMPTY_QUERY).max(QUERY_MAX, LONG_QUERY);

/** `GET /api/v1/help/articles`: without `q`, every article. */
export const articlesQuery = z.strictObject({ q: query.optional() });

/** `/aide/recherche`: `q` is required; other parameters a browser or a bookmark adds are ignored. */
export const searchPageQuery = z.object({ q: query });

/** `/aide/:slug`: a slug that cannot exist answers the unknown article's 404. */
export const articleParams = z.strictObject({ slug: z.string({ error: ARTICLE_NOT_FOUND }).max(200, ARTICLE_NOT_FOUND) });

export const articleHitSchema = z.object({
  slug: z.string(),
  title: z.string(),
  topic: z.string(),
  excerpt: z.string().meta({ description: 'Texte brut, sans marque de surlignage.' }),
});
