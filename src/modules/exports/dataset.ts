/** What each kind of export hands the service: its table, the candidates it names, its filters as audited. */
import type { Table } from './columns.js';

export interface Dataset<R = unknown> {
  table: Table<R>;
  /** Every candidate the export shows, counted as exported by bulk-access detection before it is sent. */
  candidateIds: readonly string[];
  /** The filters as the audit row records them: never a person's name or other personal data. */
  filters: Record<string, string | boolean | null>;
}
