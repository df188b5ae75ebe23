/**
 * Hot-path queries built and compiled once (docs/decisions/0050-hot-path-compiled-queries.md).
 *
 * Building a query with Kysely's builder and compiling it to SQL text costs CPU at every call —
 * a fifth of a busy server's time on the most used reads, whose shape never changes. Here the
 * query is written with the builder as usual, once, with a marker in place of each value that
 * changes per call; its compiled text and parameter list are kept, and each call only puts its
 * values at the markers' positions. The text sent is byte for byte what the builder produces,
 * so the named prepared statements (src/db/prepared-statements.ts) and both engines see no
 * difference, and the row type is the builder's own.
 */
import type { Compilable, CompiledQuery, Kysely, Transaction } from 'kysely';
import type { DB } from './schema.js';

type Db = Kysely<DB> | Transaction<DB>;

/** The marker standing for argument `key` while the query is built (never sent to the database). */
const MARK = '\u0000kairos-arg:';

interface Shape {
  compiled: CompiledQuery;
  /** For each parameter of the compiled query, the argument it takes, or null for a fixed value. */
  slots: Array<string | null>;
}

/**
 * A query of fixed shape over arguments `A` (each used as a plain value: a string, a number,
 * a Date…). `build` receives markers typed as the arguments; it must not branch on them (a
 * marker is not the value), only place them in the query. Every argument must appear in the
 * compiled parameters, which is checked at the first call.
 */
export function compiledOnce<A extends object, R>(keys: ReadonlyArray<keyof A & string>, build: (db: Db, args: A) => Compilable<R>) {
  let shape: Shape | undefined;
  const shapeOf = (db: Db): Shape => {
    if (shape) return shape;
    const marks = Object.fromEntries(keys.map((k) => [k, `${MARK}${k}`])) as unknown as A;
    const compiled = build(db, marks).compile();
    const slots = compiled.parameters.map((p) => (typeof p === 'string' && p.startsWith(MARK) ? p.slice(MARK.length) : null));
    const missing = keys.filter((k) => !slots.includes(k));
    if (missing.length > 0) throw new Error(`compiledOnce: argument(s) ${missing.join(', ')} not used as query parameters`);
    shape = { compiled, slots };
    return shape;
  };
  /** The compiled query with `args` in place of the markers. */
  const bind = (db: Db, args: A): CompiledQuery<R> => {
    const { compiled, slots } = shapeOf(db);
    const parameters = slots.map((slot, i) => (slot === null ? compiled.parameters[i] : (args as Record<string, unknown>)[slot]));
    return { ...compiled, parameters } as CompiledQuery<R>;
  };
  return {
    bind,
    async execute(db: Db, args: A): Promise<R[]> {
      return (await db.executeQuery(bind(db, args))).rows;
    },
    async executeTakeFirst(db: Db, args: A): Promise<R | undefined> {
      return (await db.executeQuery(bind(db, args))).rows[0];
    },
  };
}
