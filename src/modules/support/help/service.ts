import type { AppContext } from '../../../context.js';
import { helpArticles, type HelpArticle } from './articles.js';
import { leadExcerpt, searchHelp, type HelpHit } from './search.js';

export function findArticle(slug: string): HelpArticle | undefined {
  return helpArticles().find((a) => a.slug === slug);
}

/** Best matches first, each with an excerpt whose matched terms are marked (see search.ts). */
export function searchArticles(ctx: AppContext, query: string): Promise<HelpHit[]> {
  return searchHelp(ctx.db, helpArticles(), query);
}

/** Every article in topic order, each with its first words as excerpt. */
export function allArticles(): HelpHit[] {
  return helpArticles().map((article) => ({ article, excerpt: leadExcerpt(article) }));
}
