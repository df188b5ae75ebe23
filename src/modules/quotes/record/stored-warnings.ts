/**
 * A quote's warnings are computed when its content is written and stored with it (and with each
 * frozen version), so that reads serve them without running a rule
 * (docs/decisions/0030-stored-quote-warnings.md). Rows written outside the application (SQL
 * imports, generated data) have none yet: `fillMissingWarnings` computes them in batches.
 */
import type { Kysely, Transaction } from 'kysely';
import type { DB, StoredWarning } from '../../../db/schema.js';
import { quoteWarnings } from '../rules/quote-rules.js';
import { costsFromStored, type StoredQuoteData } from './quote-json.js';
import * as repo from './repository.js';

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
    const rows = await repo.quotesWithoutWarnings(k, batch);
    if (rows.length === 0) break;
    await repo.setQuoteWarnings(k, rows.map((r) => ({ id: r.id, warnings: warningsColumn(r) })));
    filled += rows.length;
  }
  while (options.versions !== false) {
    const rows = await repo.versionsWithoutWarnings(k, batch);
    if (rows.length === 0) break;
    await repo.setVersionWarnings(k, rows.map((r) => ({ quoteId: r.quote_id, version: r.version, warnings: warningsColumn(r) })));
    filled += rows.length;
  }
  return filled;
}
