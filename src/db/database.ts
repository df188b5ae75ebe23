import { Kysely, PostgresDialect } from 'kysely';
import { acquireDataFolderLock, type DataFolderLock } from './data-folder-lock.js';
import { PGliteDialect } from './pglite-dialect.js';
import { DURABLE_START_PARAMS, durableNodeFS } from './pglite-durable-fs.js';
import { seedFromTemplate } from './pglite-template.js';
import { nameStatementsOf, statementNamer } from './prepared-statements.js';
import type { DB } from './schema.js';
import type { Config } from '../config.js';
import { startMark } from '../start-trace.js';

export type Engine = 'pglite' | 'postgres';
export type Database = Kysely<DB>;

export interface DatabaseHandle {
  db: Database;
  engine: Engine;
  /** PGlite on disk: the data folder (locked by this process while open). */
  dataDir: string | null;
  /** PGlite only: a gzipped copy of the data folder (tests start from such a template). */
  dump?: () => Promise<Blob>;
  /** PGlite only: runs `work` after a checkpoint, while nothing can touch the data folder (backups). */
  whileQuiescent?: <T>(work: () => Promise<T>) => Promise<T>;
  poolStats(): PoolStats;
  /** PostgreSQL only: told about errors of idle pooled connections (logged, counted). */
  onIdleError?(listener: (err: Error) => void): void;
  close(): Promise<void>;
}

// int8 (bigint, count(*)) as JS numbers on both engines: our counters stay far below 2^53.
const INT8_OID = 20;
const NUMERIC_OID = 1700;
// `date` columns stay 'yyyy-mm-dd' strings: a calendar day has no time zone to shift it.
const DATE_OID = 1082;
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
  /** PGlite on disk: fsync the WAL at each commit (default), or trust the kernel's cache (faster). */
  fsync?: boolean;
  /** PGlite: shared_buffers in MB (default 16; PGlite's own is 128, and its WebAssembly heap only grows). */
  sharedBuffersMb?: number;
  /** PostgreSQL: longest a statement may run before the server cancels it (SQLSTATE 57014). */
  statementTimeoutMs?: number;
  /** PostgreSQL: name parameterised statements so each connection plans them once (default true). */
  preparedStatements?: boolean;
  /**
   * The data folder's lock when the caller took it already (main.ts takes it before loading the
   * application, to refuse within a second); otherwise it is taken here. Released on close.
   */
  lock?: DataFolderLock;
}

/** The database the settings name: PostgreSQL with DATABASE_URL, otherwise PGlite in DATA_DIR. */
export function openConfiguredDatabase(
  config: Pick<Config, 'databaseUrl' | 'dataDir' | 'statementTimeoutMs' | 'preparedStatements' | 'pgliteFsync' | 'pgliteSharedBuffersMb'>,
  options: Pick<OpenOptions, 'loadDataDir' | 'lock'> & { inMemory?: boolean } = {},
): Promise<DatabaseHandle> {
  return openDatabase({
    databaseUrl: config.databaseUrl,
    dataDir: options.inMemory ? null : config.dataDir,
    loadDataDir: options.loadDataDir,
    statementTimeoutMs: config.statementTimeoutMs,
    preparedStatements: config.preparedStatements,
    fsync: config.pgliteFsync,
    sharedBuffersMb: config.pgliteSharedBuffersMb,
    lock: options.lock,
  });
}

/** Connection pool figures for /metrics (PGlite: one connection, busy or not). */
export interface PoolStats {
  total: number;
  idle: number;
  waiting: number;
}

/** How long a request waits for a PostgreSQL connection before it is told the database is away. */
export const CONNECT_TIMEOUT_MS = 3_000;

/** PGlite 0.5.16's own start parameters (its `defaultStartParams`, not exported by the package). */
const PGLITE_START_PARAMS = ['--single', '-F', ...DURABLE_START_PARAMS.slice(1, -2)];

/**
 * PGlite's memory settings: the WebAssembly heap grows to what PostgreSQL touches and never gives
 * it back, so its buffers are kept small (decision 0040; PGlite's defaults are PostgreSQL's:
 * shared_buffers 128 MB, temp_buffers 8 MB). work_mem stays at 4 MB: sorts of a list page fit.
 */
export function pgliteMemoryParams(sharedBuffersMb: number): string[] {
  return ['-c', `shared_buffers=${sharedBuffersMb}MB`, '-c', 'temp_buffers=2MB', '-c', 'wal_buffers=1MB', '-c', 'maintenance_work_mem=16MB'];
}

/**
 * Only the engine in use is loaded (docs/decisions/0039): PGlite's module on PostgreSQL, or
 * `pg` on PGlite, would add tens of milliseconds to every start for nothing.
 */
export async function openDatabase(options: OpenOptions): Promise<DatabaseHandle> {
  if (options.databaseUrl) return openPostgres(options.databaseUrl, options);
  const lock = options.dataDir ? (options.lock ?? acquireDataFolderLock(options.dataDir)) : null;
  try {
    // After the lock, before PGlite touches the folder: a new folder starts from the template.
    if (options.dataDir && !options.loadDataDir) seedFromTemplate(options.dataDir);
    const memory = pgliteMemoryParams(options.sharedBuffersMb ?? 16);
    const durable = options.dataDir && options.fsync !== false;
    const { PGlite } = await import('@electric-sql/pglite');
    startMark('database: PGlite module loaded');
    const pglite = new PGlite({
      ...(options.dataDir ? (durable ? { fs: await durableNodeFS(options.dataDir) } : { dataDir: options.dataDir }) : {}),
      startParams: [...(durable ? DURABLE_START_PARAMS : PGLITE_START_PARAMS), ...memory],
      ...(options.loadDataDir ? { loadDataDir: options.loadDataDir } : {}),
      parsers: pgliteParsers,
    });
    await pglite.waitReady;
    startMark('database: PGlite ready');
    const dialect = new PGliteDialect(pglite);
    const db = new Kysely<DB>({ dialect });
    return {
      db,
      engine: 'pglite',
      dataDir: options.dataDir ?? null,
      dump: () => pglite.dumpDataDir('gzip'),
      whileQuiescent: (work) => dialect.whileQuiescent(work),
      poolStats: () => dialect.stats(),
      async close() {
        try {
          await db.destroy();
        } finally {
          lock?.release();
        }
      },
    };
  } catch (err) {
    lock?.release();
    throw err;
  }
}

async function openPostgres(databaseUrl: string, options: OpenOptions): Promise<DatabaseHandle> {
  const { default: pg } = await import('pg');
  pg.types.setTypeParser(INT8_OID, (v) => Number(v));
  pg.types.setTypeParser(NUMERIC_OID, (v) => Number(v));
  pg.types.setTypeParser(DATE_OID, (v) => v);
  const statementTimeout = options.statementTimeoutMs ?? 15_000;
  const pool = new pg.Pool({
    connectionString: databaseUrl,
    max: options.poolSize ?? 10,
    connectionTimeoutMillis: CONNECT_TIMEOUT_MS,
    // The server cancels a runaway statement; the client gives up a little later on a
    // connection that went silent (a cut network answers nothing at all).
    statement_timeout: statementTimeout,
    query_timeout: statementTimeout + 2_000,
    keepAlive: true,
    idleTimeoutMillis: 30_000,
  });
  // An idle client's network error (the server restarted, a proxy cut the line) is emitted on
  // the pool: without a listener it would crash the process. The pool drops that client itself.
  let idleErrorListener: ((err: Error) => void) | undefined;
  pool.on('error', (err) => idleErrorListener?.(err));
  // A checked-out client whose connection breaks emits 'error' too (the pool listens only while
  // it is idle): the running query already fails with it, so this listener only keeps the
  // event from crashing the process. The pool then discards the client on release.
  const nameOf = options.preparedStatements === false ? undefined : statementNamer();
  pool.on('connect', (client) => {
    client.on('error', () => {});
    if (nameOf) nameStatementsOf(client, nameOf);
  });
  const db = new Kysely<DB>({ dialect: new PostgresDialect({ pool }) });
  return {
    db,
    engine: 'postgres',
    dataDir: null,
    poolStats: () => ({ total: pool.totalCount, idle: pool.idleCount, waiting: pool.waitingCount }),
    close: () => db.destroy(),
    onIdleError(listener) {
      idleErrorListener = listener;
    },
  };
}
