// The bare baseline of bench/memory.ts and bench/workers.ts: Fastify answering one query per
// request, on pg (DATABASE_URL) or an in-memory PGlite, with WORKERS processes (node:cluster):
// the floor the real server's memory and throughput compare with, in the same run.
import cluster from 'node:cluster';
import { PGlite } from '@electric-sql/pglite';
import Fastify from 'fastify';
import pg from 'pg';

const workers = Number(process.env.WORKERS ?? 1);
if (workers > 1 && cluster.isPrimary) {
  let listening = 0;
  for (let i = 0; i < workers; i++) {
    cluster.fork().on('message', () => {
      if (++listening === workers) process.stdout.write('listening\n');
    });
  }
  process.on('SIGTERM', () => {
    for (const w of Object.values(cluster.workers ?? {})) w?.kill('SIGTERM');
    process.exit(0);
  });
} else {
  const query: () => Promise<unknown> = process.env.DATABASE_URL
    ? ((pool) => () => pool.query('select 1 as one'))(new pg.Pool({ connectionString: process.env.DATABASE_URL, max: 10 }))
    : await (async () => {
        const db = new PGlite();
        await db.waitReady;
        return () => db.query('select 1 as one');
      })();
  const app = Fastify();
  app.get('/', async () => ({ rows: await query() }));
  await app.listen({ port: Number(process.env.PORT), host: '127.0.0.1' });
  if (cluster.isWorker) process.send?.('listening');
  else process.stdout.write('listening\n');
  process.on('SIGTERM', () => process.exit(0));
}
