import { mkdirSync } from 'node:fs';
import { PGlite } from '@electric-sql/pglite';
import { Kysely, PostgresDialect } from 'kysely';
import pg from 'pg';
import { PGliteDialect } from './pglite-dialect.js';
import type { DB } from './schema.js';

export type Engine = 'pglite' | 'postgres';
export type Database = Kysely<DB>;

export interface DatabaseHandle {
  db: Database;
  engine: Engine;
  /** PGlite only: a gzipped copy of the data folder (tests start from such a template). */
  dump?: () => Promise<Blob>;
  close(): Promise<void>;
}

// int8 (bigint, count(*)) as JS numbers on both engines: our counters stay far below 2^53.
const INT8_OID = 20;
const NUMERIC_OID = 1700;
// `date` columns stay 'yyyy-mm-dd' strings: a calendar day has no time zone to shift it.
const DATE_OID = 1082;
pg.types.setTypeParser(INT8_OID, (v) => Number(v));
pg.types.setTypeParser(NUMERIC_OID, (v) => Number(v));
pg.types.setTypeParser(DATE_OID, (v) => v);
const pgliteParsers = {
  [INT8_OID]: (v: string) => Number(v),
  [NUMERIC_OID]: (v: string) => Number(v),
  [DATE_OID]: (v: string) => v,
};

export interface OpenOptions {
  databaseUrl?: string;
  /** Folder for PGlite's data; `null` keeps the database in memory (tests). */
  dataDir?: string | null;
  /** A PGlite data folder dump to start from (tests load a migrated template). */
  loadDataDir?: Blob;
  poolSize?: number;
}

export async function openDatabase(options: OpenOptions): Promise<DatabaseHandle> {
  if (options.databaseUrl) {
    const pool = new pg.Pool({ connectionString: options.databaseUrl, max: options.poolSize ?? 10 });
    // Without a listener an idle client's network error would crash the process.
    pool.on('error', () => {});
    const db = new Kysely<DB>({ dialect: new PostgresDialect({ pool }) });
    return { db, engine: 'postgres', close: () => db.destroy() };
  }
  if (options.dataDir) mkdirSync(options.dataDir, { recursive: true });
  const pglite = new PGlite({
    ...(options.dataDir ? { dataDir: options.dataDir } : {}),
    ...(options.loadDataDir ? { loadDataDir: options.loadDataDir } : {}),
    parsers: pgliteParsers,
  });
  await pglite.waitReady;
  const db = new Kysely<DB>({ dialect: new PGliteDialect(pglite) });
  return { db, engine: 'pglite', dump: () => pglite.dumpDataDir('gzip'), close: () => db.destroy() };
}
