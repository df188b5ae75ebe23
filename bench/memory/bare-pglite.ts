// The bare PGlite baseline of bench/memory.ts: Fastify and an in-memory PGlite with the same
// PGlite options as the real server (PGLITE_START_PARAMS, when given, as JSON), a session
// table, and one route doing what the real authenticated read cannot skip: the session lookup by
// the cookie's hash, answered with JSON. Env: SESSION_COOKIE. Prints `listening <port>` once ready.
import { createHash } from 'node:crypto';
import { PGlite } from '@electric-sql/pglite';
import Fastify from 'fastify';

const cookieName = process.env.SESSION_COOKIE ?? '__Host-kairos_session';
const db = new PGlite();
await db.waitReady;
await db.exec(`create table session (id text primary key, account_id text not null, csrf_token text not null, created_at timestamptz not null default now(), ended_at timestamptz);
  insert into session (id, account_id, csrf_token) select md5(i::text), 'a' || i, md5('c' || i) from generate_series(1, 1000) i;`);
const app = Fastify({ logger: false });

app.get('/lookup', async (request) => {
  const header = request.headers.cookie ?? '';
  const pair = header.split(/;\s*/).find((p) => p.startsWith(`${cookieName}=`)) ?? '';
  const id = createHash('sha256').update(pair).digest('hex');
  const { rows } = await db.query('select * from session where id = $1 and ended_at is null', [id]);
  return { session: rows[0] ?? null };
});

const address = await app.listen({ port: 0, host: '127.0.0.1' });
process.stdout.write(`listening ${new URL(address).port}\n`);
const stop = () => void app.close().then(() => db.close()).then(() => process.exit(0));
process.on('SIGTERM', stop);
process.on('SIGINT', stop);
