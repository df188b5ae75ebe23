import type { AppContext } from '../../context.js';
import type { FieldError } from '../../http/problem.js';
import { helpArticles, type HelpArticle } from './help-articles.js';
import { leadExcerpt, searchHelp, type HelpHit } from './help-search.js';

export const QUERY_MAX = 200;
export const EMPTY_QUERY = 'Recherche : saisissez un ou plusieurs mots.';
export const LONG_QUERY = `Recherche : ${QUERY_MAX} caractères au maximum. Raccourcissez-la.`;

/** The query's checks, shared by the page and the API: 1 to 200 characters once trimmed. */
export function checkHelpQuery(raw: unknown): { ok: true; query: string } | { ok: false; error: FieldError } {
  const query = typeof raw === 'string' ? raw.trim() : '';
  if (query.length === 0) return { ok: false, error: { field: 'q', message: EMPTY_QUERY } };
  if (query.length > QUERY_MAX) return { ok: false, error: { field: 'q', message: LONG_QUERY } };
  return { ok: true, query };
}

export function findArticle(slug: string): HelpArticle | undefined {
  return helpArticles().find((a) => a.slug === slug);
}

/** Best matches first, each with an excerpt whose matched terms are marked (see help-search.ts). */
export function searchArticles(ctx: AppContext, query: string): Promise<HelpHit[]> {
  return searchHelp(ctx.db, helpArticles(), query);
}

/** Every article in topic order, each with its first words as excerpt. */
export function allArticles(): HelpHit[] {
  return helpArticles().map((article) => ({ article, excerpt: leadExcerpt(article) }));
}
