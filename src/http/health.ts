import type { FastifyInstance } from 'fastify';
import { sql } from 'kysely';
import { publicAccess } from '../modules/habilitations/policy.js';

export async function healthRoutes(app: FastifyInstance): Promise<void> {
  const quiet = { access: publicAccess, rateLimit: false as const };
  app.get('/healthz', { config: quiet, logLevel: 'warn' }, async () => ({ status: 'ok', database: app.ctx.engine }));
  app.get('/readyz', { config: quiet, logLevel: 'warn' }, async (_request, reply) => {
    try {
      await sql`select 1`.execute(app.ctx.db);
      return { status: 'ready', database: app.ctx.engine };
    } catch {
      return reply.code(503).send({ status: 'unavailable', database: app.ctx.engine });
    }
  });
}
