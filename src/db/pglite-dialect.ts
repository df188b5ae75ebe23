import type { PGlite } from '@electric-sql/pglite';
import {
  CompiledQuery,
  PostgresAdapter,
  PostgresIntrospector,
  PostgresQueryCompiler,
  type DatabaseConnection,
  type Dialect,
  type Driver,
  type Kysely,
  type QueryResult,
  type TransactionSettings,
} from 'kysely';

/**
 * Kysely dialect over PGlite (see docs/decisions/0001-pglite-dialect.md).
 *
 * PGlite is a single connection: two Kysely transactions must never interleave on it, so the
 * driver hands out that connection to one holder at a time (a FIFO mutex). A transaction keeps
 * the connection from BEGIN to COMMIT/ROLLBACK; lone queries hold it for one statement.
 */
export class PGliteDialect implements Dialect {
  private readonly driver: PGliteDriver;
  constructor(private readonly pglite: PGlite) {
    this.driver = new PGliteDriver(pglite);
  }
  createAdapter() {
    return new PostgresAdapter();
  }
  createDriver(): Driver {
    return this.driver;
  }
  /**
   * Runs `work` holding the single connection, after a CHECKPOINT: no query or transaction runs
   * meanwhile, and PGlite (single-user, no background writer) touches no file, so the data
   * folder read by `work` is a consistent image that needs no WAL replay.
   */
  async whileQuiescent<T>(work: () => Promise<T>): Promise<T> {
    await this.driver.acquireConnection();
    try {
      await this.pglite.exec('checkpoint');
      return await work();
    } finally {
      await this.driver.releaseConnection();
    }
  }
  /** The connection is the pool: in use (total 1, idle 0) or not, and how many wait for it. */
  stats(): { total: number; idle: number; waiting: number } {
    return { total: 1, idle: this.driver.busy ? 0 : 1, waiting: this.driver.waiting };
  }
  createIntrospector(db: Kysely<any>) {
    return new PostgresIntrospector(db);
  }
  createQueryCompiler() {
    return new PostgresQueryCompiler();
  }
}

class PGliteConnection implements DatabaseConnection {
  constructor(private readonly pglite: PGlite) {}

  async executeQuery<R>(compiled: CompiledQuery): Promise<QueryResult<R>> {
    // A parameterless script of several statements (migrations) needs the simple protocol,
    // as node-postgres uses for it; PGlite exposes that as exec().
    if (compiled.parameters.length === 0 && /;\s*\S/.test(compiled.sql)) {
      const results = await this.pglite.exec(compiled.sql);
      const last = results[results.length - 1];
      return { rows: (last?.rows ?? []) as R[] };
    }
    const result = await this.pglite.query<R>(compiled.sql, compiled.parameters as unknown[], {
      rowMode: 'object',
    });
    return {
      rows: result.rows,
      ...(result.affectedRows !== undefined ? { numAffectedRows: BigInt(result.affectedRows) } : {}),
    };
  }

  async *streamQuery<R>(): AsyncIterableIterator<QueryResult<R>> {
    throw new Error('Streaming is not supported by the PGlite dialect');
  }
}

class PGliteDriver implements Driver {
  private readonly connection: PGliteConnection;
  private queue: Promise<void> = Promise.resolve();
  private release: (() => void) | null = null;
  busy = false;
  waiting = 0;

  constructor(private readonly pglite: PGlite) {
    this.connection = new PGliteConnection(pglite);
  }

  async init(): Promise<void> {
    await this.pglite.waitReady;
  }

  async acquireConnection(): Promise<DatabaseConnection> {
    const previous = this.queue;
    let unlock!: () => void;
    this.queue = new Promise<void>((resolve) => (unlock = resolve));
    this.waiting++;
    await previous;
    this.waiting--;
    this.busy = true;
    this.release = unlock;
    return this.connection;
  }

  async beginTransaction(conn: DatabaseConnection, settings: TransactionSettings): Promise<void> {
    const parts = ['begin'];
    if (settings.isolationLevel) parts.push(`isolation level ${settings.isolationLevel}`);
    if (settings.accessMode) parts.push(settings.accessMode);
    await conn.executeQuery(CompiledQuery.raw(parts.join(' ')));
  }

  async commitTransaction(conn: DatabaseConnection): Promise<void> {
    await conn.executeQuery(CompiledQuery.raw('commit'));
  }

  async rollbackTransaction(conn: DatabaseConnection): Promise<void> {
    await conn.executeQuery(CompiledQuery.raw('rollback'));
  }

  async releaseConnection(): Promise<void> {
    const unlock = this.release;
    this.release = null;
    this.busy = false;
    unlock?.();
  }

  async destroy(): Promise<void> {
    await this.queue;
    if (!this.pglite.closed) await this.pglite.close();
  }
}
