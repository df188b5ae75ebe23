import { sql } from 'kysely';
import type { Database } from '../../../db/database.js';

/**
 * French full-text search over the help articles, in the database but without a table: the
 * articles (already accent-free) are sent as one JSON parameter, weighted title (A) over body
 * (B), ranked with ts_rank, and the excerpt is cut by ts_headline between the given marks. The
 * query goes through websearch_to_tsquery, which accepts any input.
 */
export async function rankArticles(
  db: Database,
  docs: Array<{ slug: string; title: string; body: string }>,
  query: string,
  marks: { start: string; end: string },
): Promise<Array<{ slug: string; headline: string }>> {
  const options = `StartSel=${marks.start}, StopSel=${marks.end}, MaxWords=35, MinWords=15, ShortWord=2, HighlightAll=false`;
  const { rows } = await sql<{ slug: string; headline: string }>`
    with q as (select websearch_to_tsquery('french', ${query}) as query),
    d as (
      select a.slug, a.body,
             setweight(to_tsvector('french', a.title), 'A') || setweight(to_tsvector('french', a.body), 'B') as doc
      from jsonb_to_recordset(${JSON.stringify(docs)}::jsonb) as a(slug text, title text, body text)
    )
    select d.slug, ts_headline('french', d.body, q.query, ${options}) as headline
    from d, q
    where d.doc @@ q.query
    order by ts_rank(d.doc, q.query) desc, d.slug
  `.execute(db);
  return rows;
}
