/**
 * Named prepared statements on PostgreSQL (docs/decisions/0045-prepared-statements.md).
 *
 * Every query Kysely sends with parameters goes through the extended protocol, and PostgreSQL
 * parses and plans it anew each time: for the session lookup and the record reads of the hot
 * path, that planning was most of the database's CPU, on a machine whose two cores it shares
 * with the application. Giving each such text a name lets `pg` parse it once per connection
 * and only bind and execute afterwards (PostgreSQL keeps a generic plan when it is as good).
 *
 * The name is derived from the text (a hash), never from an arrival order: `pg` remembers per
 * connection which names it has prepared, so a name must always mean the same text. The number
 * of names is bounded, so that texts that vary (an `in (…)` list of any length) cannot grow
 * the cache of every connection without end: past the bound, texts go unnamed as before.
 * Texts without parameters stay on the simple protocol (a migration may hold several
 * statements in one text, which the extended protocol refuses).
 */
import { createHash } from 'node:crypto';
import type pg from 'pg';

export const MAX_NAMED_STATEMENTS = 2_000;

export type StatementNamer = (text: string) => string | undefined;

export function statementNamer(max = MAX_NAMED_STATEMENTS): StatementNamer {
  const names = new Map<string, string>();
  return (text) => {
    const known = names.get(text);
    if (known !== undefined || names.size >= max) return known;
    const name = `k_${createHash('sha256').update(text).digest('base64url').slice(0, 40)}`;
    names.set(text, name);
    return name;
  };
}

type QueryFunction = (...args: unknown[]) => unknown;

/** Makes the client name the parameterised texts it is given as `query(text, values)`. */
export function nameStatementsOf(client: pg.ClientBase, nameOf: StatementNamer): void {
  // Looked up at each call rather than bound once, so that a wrapper installed later on the
  // class (the tests' statement counter) still sees every statement.
  const prototype = Object.getPrototypeOf(client) as { query: QueryFunction };
  const query: QueryFunction = (...args) => prototype.query.apply(client, args);
  const named: QueryFunction = (text, values, callback) => {
    if (typeof text === 'string' && Array.isArray(values) && values.length > 0 && callback === undefined) {
      const name = nameOf(text);
      if (name !== undefined) return query({ name, text, values });
    }
    return callback === undefined ? query(text, values) : query(text, values, callback);
  };
  (client as unknown as { query: QueryFunction }).query = named;
}
