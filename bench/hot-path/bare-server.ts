// The bare baseline of bench/hot-path.ts, in its own process like the real server: Fastify and a
// `pg` pool of the same size, no plugin, no hook. Each route does what its real twin cannot skip:
// the session lookup by the cookie's hash (the same join as the real one), then the route's main
// select, answered with JSON.stringify. Env: DATABASE_URL, SESSION_COOKIE (the cookie's name).
// Prints `listening <port>` once ready.
import { createHash } from 'node:crypto';
import Fastify, { type FastifyRequest } from 'fastify';
import pg from 'pg';

const pool = new pg.Pool({ connectionString: process.env.DATABASE_URL, max: 10 });
const cookieName = process.env.SESSION_COOKIE ?? 'kairos_session';
const app = Fastify({ logger: false });

const SESSION = `select s.id, s.csrf_token, s.created_at, s.last_seen_at, a.id as account_id, a.login, a.display_name, a.kind, a.status,
  o.id as organisation_id, o.name as organisation_name, o.kind as organisation_kind, o.status as organisation_status
  from session s join account a on a.id = s.account_id left join organisation o on o.id = a.organisation_id
  where s.id = $1 and s.ended_at is null`;

/** The session behind the cookie, or null: the same hash and join as the real server. */
async function session(request: FastifyRequest): Promise<{ organisation_id: string | null } | null> {
  const header = request.headers.cookie ?? '';
  const pair = header.split(/;\s*/).find((p) => p.startsWith(`${cookieName}=`));
  if (!pair) return null;
  const id = createHash('sha256').update(decodeURIComponent(pair.slice(cookieName.length + 1))).digest('hex');
  const { rows } = await pool.query<{ organisation_id: string | null }>(SESSION, [id]);
  return rows[0] ?? null;
}

app.get('/quotes/:id', async (request, reply) => {
  const s = await session(request);
  if (!s) return reply.code(401).send({});
  const { rows } = await pool.query('select * from quote where id = $1 and organisation_id = $2', [(request.params as { id: string }).id, s.organisation_id]);
  return rows[0] ?? reply.code(404).send({});
});

app.get('/quotes', async (request, reply) => {
  const s = await session(request);
  if (!s) return reply.code(401).send({});
  const { rows } = await pool.query(
    `select q.id, q.candidate_id, q.type, q.status, q.version, q.data, q.updated_at, c.identifier, c.last_name, c.birth_date, count(*) over () as total
     from quote q join candidate c on c.id = q.candidate_id where q.organisation_id = $1 order by q.updated_at desc, q.id limit 20`,
    [s.organisation_id],
  );
  return { total: Number(rows[0]?.total ?? 0), items: rows };
});

app.get('/trainings/:id/attendance', async (request, reply) => {
  const s = await session(request);
  if (!s) return reply.code(401).send({});
  const month = (request.query as { month: string }).month;
  const { rows } = await pool.query(
    `select date, period, status, late_minutes, reason, justified from attendance
     where training_id = $1 and date >= $2 and date < ($2::date + interval '1 month')::date order by date, period`,
    [(request.params as { id: string }).id, `${month}-01`],
  );
  return { month, items: rows };
});

app.get('/quote-queue', async (request, reply) => {
  const s = await session(request);
  if (!s) return reply.code(401).send({});
  const { rows } = await pool.query(
    `with page as (select id as page_id, coalesce(accepted_at, submitted_at) as since, count(*) over () as total from quote
       where status = 'accepted' and submitted_at is not null order by since, id limit 20)
     select q.id, q.type, q.status, q.version, q.data, q.warnings, q.organisation_id, q.candidate_id, page.total, c.identifier, c.last_name, o.name
     from page join quote q on q.id = page.page_id join candidate c on c.id = q.candidate_id join organisation o on o.id = q.organisation_id
     order by page.since, q.id`,
  );
  return { total: Number(rows[0]?.total ?? 0), items: rows };
});

app.get('/unauthenticated', async (_request, reply) =>
  reply.code(401).type('application/problem+json').send({ type: 'about:blank', title: 'Non authentifié', status: 401, detail: 'Connectez-vous pour continuer.' }),
);

const address = await app.listen({ port: 0, host: '127.0.0.1' });
process.stdout.write(`listening ${new URL(address).port}\n`);
const stop = () => void app.close().then(() => pool.end()).then(() => process.exit(0));
process.on('SIGTERM', stop);
process.on('SIGINT', stop);
