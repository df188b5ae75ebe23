/**
 * Tells a database that is away (down, restarting, unreachable, overloaded, or a statement
 * cancelled by `statement_timeout`) from a bug. The first kind is answered 503 with
 * Retry-After and retried by the job worker; the second is a 500 to investigate.
 */
const NETWORK_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', 'EHOSTUNREACH', 'ENETUNREACH', 'ENOTFOUND', 'EAI_AGAIN']);

// SQLSTATE: 57P01 admin shutdown, 57P02 crash shutdown, 57P03 cannot connect now, 57014 query
// cancelled (statement_timeout), 53300 too many connections; class 08 is connection exceptions.
const SQLSTATES = new Set(['57P01', '57P02', '57P03', '57014', '53300']);

// node-postgres reports a lost or unobtainable connection with plain Errors and these messages.
const PG_MESSAGES = [
  'Connection terminated',
  'timeout exceeded when trying to connect',
  'Client has encountered a connection error and is not queryable',
  'Query read timeout',
  'Client was closed and is not queryable',
  'Connection ended unexpectedly',
];

export type UnavailableKind = 'timeout' | 'unreachable';

export function databaseUnavailableKind(error: unknown): UnavailableKind | null {
  for (let err = error, depth = 0; err && typeof err === 'object' && depth < 5; depth++) {
    const e = err as { code?: unknown; message?: unknown; cause?: unknown; errors?: unknown };
    const code = typeof e.code === 'string' ? e.code : '';
    if (code === '57014' || (typeof e.message === 'string' && e.message.includes('Query read timeout'))) return 'timeout';
    if (NETWORK_CODES.has(code) || SQLSTATES.has(code) || /^08[0-9A-Z]{3}$/.test(code)) return 'unreachable';
    if (typeof e.message === 'string' && PG_MESSAGES.some((m) => (e.message as string).includes(m))) return 'unreachable';
    // net's happy-eyeballs connect reports an AggregateError of the attempts.
    if (Array.isArray(e.errors) && e.errors.some((inner) => databaseUnavailableKind(inner))) return 'unreachable';
    err = e.cause;
  }
  return null;
}

export function isDatabaseUnavailable(error: unknown): boolean {
  return databaseUnavailableKind(error) !== null;
}
