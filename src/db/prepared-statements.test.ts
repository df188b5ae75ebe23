// Named prepared statements: a name always stands for one text, the number of names is bounded,
// and on a real PostgreSQL connection a parameterised text is prepared once and reused while a
// text without parameters (several statements, as a migration holds) still runs.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import pg from 'pg';
import { nameStatementsOf, statementNamer } from './prepared-statements.js';

describe('statementNamer', () => {
  it('gives one text the same name every time, and two texts two names', () => {
    const nameOf = statementNamer();
    const a = nameOf('select $1::int');
    assert.ok(a);
    assert.equal(nameOf('select $1::int'), a);
    assert.notEqual(nameOf('select $1::text'), a);
  });

  it('derives the name from the text, not from the order of arrival', () => {
    const first = statementNamer();
    const second = statementNamer();
    first('select 1 where $1');
    assert.equal(first('select 2 where $1'), second('select 2 where $1'));
  });

  it('names no more texts than its bound, and keeps the names it gave', () => {
    const nameOf = statementNamer(2);
    const a = nameOf('select $1::int as a');
    const b = nameOf('select $1::int as b');
    assert.ok(a && b);
    assert.equal(nameOf('select $1::int as c'), undefined);
    assert.equal(nameOf('select $1::int as a'), a);
  });
});

const url = process.env.TEST_DATABASE_URL;
describe('named statements on a PostgreSQL connection', { skip: url ? false : 'TEST_DATABASE_URL is not set' }, () => {
  it('prepares a parameterised text once, and leaves texts without parameters on the simple protocol', async () => {
    const client = new pg.Client({ connectionString: url });
    await client.connect();
    try {
      nameStatementsOf(client, statementNamer());
      const text = 'select $1::int + 1 as n';
      assert.equal((await client.query(text, [41])).rows[0].n, 42);
      assert.equal((await client.query(text, [1])).rows[0].n, 2);
      const prepared = await client.query<{ name: string; statement: string }>('select name, statement from pg_prepared_statements');
      const ours = prepared.rows.filter((r) => r.statement === text);
      assert.equal(ours.length, 1, 'prepared once on this connection');
      assert.match(ours[0]!.name, /^k_/);
      // Several statements in one text, no parameters: refused by the extended protocol, so never named.
      await client.query('create temporary table t_named (n int); insert into t_named values (1);', []);
      assert.equal((await client.query('select count(*)::int as c from t_named')).rows[0].c, 1);
      assert.equal((await client.query<{ c: number }>('select count(*)::int as c from pg_prepared_statements')).rows[0]!.c, 1);
    } finally {
      await client.end();
    }
  });
});
