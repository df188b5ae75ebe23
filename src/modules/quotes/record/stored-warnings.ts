/**
 * A quote's warnings are computed when its content is written and stored with it (and with each
 * frozen version), so that reads serve them without running a rule
 * (docs/decisions/0030-stored-quote-warnings.md). Rows written outside the application (SQL
 * imports, generated data) have none yet: `fillMissingWarnings` computes them in batches.
 */
import { sql, type Kysely, type Transaction } from 'kysely';
import type { DB, StoredWarning } from '../../../db/schema.js';
import { quoteWarnings } from '../rules/quote-rules.js';
import { costsFromStored, type StoredQuoteData } from './quote-json.js';

type Db = Kysely<DB> | Transaction<DB>;

/** The warnings of stored quote content (sections as in the `data` column). */
export function warningsOfStored(row: { type: 'AIF' | 'POEI'; data: unknown }): StoredWarning[] {
  const data = row.data as StoredQuoteData;
  return quoteWarnings({ type: row.type, training: data.training, costs: costsFromStored(data.costs), poei: data.poei }).map((f) => ({
    field: f.field,
    code: f.code,
    message: f.message,
  }));
}

/** The column value to write with `data`. */
export function warningsColumn(row: { type: 'AIF' | 'POEI'; data: unknown }): string {
  return JSON.stringify(warningsOfStored(row));
}

const BATCH = 500;

/**
 * Computes the warnings left null (quotes, then frozen versions unless `versions` is false), a
 * batch per statement pair; returns how many rows it filled. With nothing to fill, it costs one
 * indexed probe per table. Safe to run concurrently with writes: it only fills nulls.
 */
export async function fillMissingWarnings(db: Db | Kysely<any>, options: { versions?: boolean; batch?: number } = {}): Promise<number> {
  const batch = options.batch ?? BATCH;
  const k = db as Kysely<DB>;
  let filled = 0;
  for (;;) {
    const rows = await k.selectFrom('quote').select(['id', 'type', 'data']).where('warnings', 'is', null).limit(batch).execute();
    if (rows.length === 0) break;
    const values = sql.join(rows.map((r) => sql`(${r.id}::uuid, ${warningsColumn(r)}::jsonb)`));
    await sql`update quote set warnings = v.w from (values ${values}) as v(id, w) where quote.id = v.id and quote.warnings is null`.execute(k);
    filled += rows.length;
  }
  while (options.versions !== false) {
    const rows = await k.selectFrom('quote_version').select(['quote_id', 'version', 'type', 'data']).where('warnings', 'is', null).limit(batch).execute();
    if (rows.length === 0) break;
    const values = sql.join(rows.map((r) => sql`(${r.quote_id}::uuid, ${r.version}::int, ${warningsColumn(r)}::jsonb)`));
    await sql`update quote_version set warnings = v.w from (values ${values}) as v(q, n, w)
      where quote_version.quote_id = v.q and quote_version.version = v.n and quote_version.warnings is null`.execute(k);
    filled += rows.length;
  }
  return filled;
}
