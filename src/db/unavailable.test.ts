import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { databaseUnavailableKind } from './unavailable.js';

const withCode = (code: string, message = 'x') => Object.assign(new Error(message), { code });

describe('which errors mean the database is away', () => {
  const cases: Array<[string, unknown, 'timeout' | 'unreachable' | null]> = [
    ['connection refused', withCode('ECONNREFUSED'), 'unreachable'],
    ['connection reset', withCode('ECONNRESET'), 'unreachable'],
    ['network timeout', withCode('ETIMEDOUT'), 'unreachable'],
    ['SQLSTATE 08006 connection failure', withCode('08006'), 'unreachable'],
    ['SQLSTATE 57P01 admin shutdown', withCode('57P01'), 'unreachable'],
    ['SQLSTATE 57P03 cannot connect now', withCode('57P03'), 'unreachable'],
    ['SQLSTATE 53300 too many connections', withCode('53300'), 'unreachable'],
    ['statement_timeout (57014)', withCode('57014', 'canceling statement due to statement timeout'), 'timeout'],
    ['pool connect timeout', new Error('timeout exceeded when trying to connect'), 'unreachable'],
    ['connection terminated', new Error('Connection terminated unexpectedly'), 'unreachable'],
    ['client query timeout', new Error('Query read timeout'), 'timeout'],
    ['wrapped in a cause', new Error('outer', { cause: withCode('ECONNREFUSED') }), 'unreachable'],
    ['AggregateError of connect attempts', Object.assign(new AggregateError([withCode('ECONNREFUSED')]), { code: 'ECONNREFUSED' }), 'unreachable'],
    ['a unique violation (a bug or a conflict, not an outage)', withCode('23505'), null],
    ['a syntax error', withCode('42601'), null],
    ['a plain error', new Error('boom'), null],
    ['not an error', 'boom', null],
  ];
  for (const [what, error, expected] of cases) {
    it(`${what} → ${expected ?? 'not an outage'}`, () => assert.equal(databaseUnavailableKind(error), expected));
  }
});
