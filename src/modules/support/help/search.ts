import type { Database } from '../../../db/database.js';
import { normaliseForSearch, type HelpArticle } from './articles.js';
import { rankArticles } from './repository.js';

/**
 * French full-text search over the help articles (the query itself: repository.ts). The
 * articles and the query are made accent-free here (normaliseForSearch, since PGlite has no
 * `unaccent`), and the accents are put back into the excerpt the database cut.
 */

/** Around each highlighted term of an excerpt; never present in an article. */
export const MARK_START = '\u27e6';
export const MARK_END = '\u27e7';

export interface HelpHit {
  article: HelpArticle;
  /** Plain text of the original article, with the matched terms between MARK_START and MARK_END. */
  excerpt: string;
}

export async function searchHelp(db: Database, articles: HelpArticle[], query: string): Promise<HelpHit[]> {
  const docs = articles.map((a) => ({ slug: a.slug, title: normaliseForSearch(a.title), body: normaliseForSearch(a.text) }));
  // PostgreSQL text cannot hold NUL; control characters and our marks mean nothing in a search.
  const q = normaliseForSearch(query).replace(/[\u0000-\u001f\u007f\u27e6\u27e7]/g, ' ');
  const rows = await rankArticles(db, docs, q, { start: MARK_START, end: MARK_END });
  const bySlug = new Map(articles.map((a) => [a.slug, a]));
  return rows.flatMap((row) => {
    const article = bySlug.get(row.slug);
    return article ? [{ article, excerpt: restoreAccents(row.headline, article.text) }] : [];
  });
}

/**
 * The headline is cut from the accent-free text; normaliseForSearch keeps offsets, so the same
 * span of the original text is taken and the marks put back at the same places.
 */
export function restoreAccents(headline: string, original: string): string {
  const bare = headline.replaceAll(MARK_START, '').replaceAll(MARK_END, '');
  const at = normaliseForSearch(original).indexOf(bare);
  if (at < 0) return headline;
  let out = '';
  let pos = at;
  for (const ch of headline) {
    if (ch === MARK_START || ch === MARK_END) out += ch;
    else {
      out += original.slice(pos, pos + ch.length);
      pos += ch.length;
    }
  }
  return `${at > 0 ? '… ' : ''}${out}${at + bare.length < original.length ? ' …' : ''}`;
}

/** The excerpt without marks (API and plain contexts). */
export function plainExcerpt(excerpt: string): string {
  return excerpt.replaceAll(MARK_START, '').replaceAll(MARK_END, '');
}

/** The excerpt split into plain and highlighted parts, for JSX (which escapes each part). */
export function excerptParts(excerpt: string): Array<{ text: string; marked: boolean }> {
  const parts: Array<{ text: string; marked: boolean }> = [];
  for (const piece of excerpt.split(MARK_START)) {
    const end = piece.indexOf(MARK_END);
    if (end < 0) {
      if (piece) parts.push({ text: piece, marked: false });
      continue;
    }
    if (end > 0) parts.push({ text: piece.slice(0, end), marked: true });
    if (piece.length > end + 1) parts.push({ text: piece.slice(end + 1), marked: false });
  }
  return parts;
}

/** First words of an article, for lists without a query. */
export function leadExcerpt(article: HelpArticle, words = 30): string {
  const all = article.text.split(' ');
  return all.length > words ? `${all.slice(0, words).join(' ')} …` : article.text;
}
