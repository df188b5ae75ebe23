/**
 * A quote's warnings are computed when its content is written and stored with it (and with each
 * frozen version), so that reads serve them without running a rule
 * (docs/decisions/0030-stored-quote-warnings.md); so is the count of the blocking errors of the
 * content alone (docs/decisions/0049-dashboard-figures-at-scale.md). Rows written outside the
 * application (SQL imports, generated data) have neither yet: `fillMissingWarnings` computes them
 * in batches.
 */
import type { Kysely, Transaction } from 'kysely';
import type { DB, StoredWarning } from '../../../db/schema.js';
import { quoteContentErrorCount, quoteWarnings } from '../rules/quote-rules.js';
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

/** The blocking errors of stored quote content judged without context (`quote.error_count`). */
export function errorCountOfStored(row: { type: 'AIF' | 'POEI'; data: unknown }): number {
  const data = row.data as StoredQuoteData;
  return quoteContentErrorCount({ type: row.type, training: data.training, costs: costsFromStored(data.costs), poei: data.poei });
}

/** Both stored judgements of a quote's content, to write in the statement that writes `data`. */
export function findingColumns(row: { type: 'AIF' | 'POEI'; data: unknown }): { warnings: string; error_count: number } {
  return { warnings: warningsColumn(row), error_count: errorCountOfStored(row) };
}

const BATCH = 500;

/**
 * Computes the warnings and error counts left null (quotes, then frozen versions unless
 * `versions` is false), a batch per statement pair; returns how many rows it filled. With nothing
 * to fill, it costs one indexed probe per table. Safe to run concurrently with writes: it only
 * fills nulls. `errorCounts: false` is for migration 0010, which runs before the column exists.
 */
export async function fillMissingWarnings(db: Db | Kysely<any>, options: { versions?: boolean; batch?: number; errorCounts?: boolean } = {}): Promise<number> {
  const batch = options.batch ?? BATCH;
  const k = db as Kysely<DB>;
  let filled = 0;
  for (;;) {
    const rows = options.errorCounts === false ? await repo.quotesWithoutWarningsOnly(k, batch) : await repo.quotesWithoutWarnings(k, batch);
    if (rows.length === 0) break;
    if (options.errorCounts === false) await repo.setQuoteWarningsOnly(k, rows.map((r) => ({ id: r.id, warnings: warningsColumn(r) })));
    else await repo.setQuoteWarnings(k, rows.map((r) => ({ id: r.id, ...findingColumns(r) })));
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
