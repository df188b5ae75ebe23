import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { formatDateTime } from '../http/format.js';
import { problems } from '../http/problem.js';
import { isoInstant, noQuery, problemResponses } from '../http/schemas.js';
import { sendPage } from '../http/render.js';
import { requireHabilitation } from '../modules/habilitations/policy.js';
import { latestOutboxMessages } from './repository.js';

const outboxSchema = z.object({
  messages: z.array(z.object({ id: z.string(), to: z.string(), subject: z.string(), text: z.string(), createdAt: isoInstant })).describe('Les 100 derniers, du plus récent au plus ancien.'),
});

/** The outbox is shown only in demo mode: in production mail really leaves through SMTP. */
export async function outboxPages(fastify: FastifyInstance): Promise<void> {
  const app = fastify.withTypeProvider<ZodTypeProvider>();
  const access = requireHabilitation('gid', ['agency_admin']);
  const load = async () => {
    if (!app.ctx.config.demoMode) throw problems.notFound();
    return latestOutboxMessages(app.ctx.db);
  };

  app.get(
    '/api/v1/outbox',
    {
      config: { access },
      schema: {
        summary: 'Courriels conservés au lieu d’être envoyés (mode démonstration seulement)',
        tags: ['Démonstration'],
        querystring: noQuery,
        response: { 200: outboxSchema, ...problemResponses(401, 403, 404, 422) },
      },
    },
    async () => ({
    messages: (await load()).map((m) => ({ id: m.id, to: m.to_address, subject: m.subject, text: m.text_body, createdAt: m.created_at.toISOString() })),
    }),
  );

  app.get('/admin/courriels', { config: { access } }, async (request, reply) => {
    const messages = await load();
    return sendPage(request, reply, 'Courriels émis (démonstration)', () => (
      <section>
        <h1 class="h3">Courriels émis (démonstration)</h1>
        <p>Sans serveur SMTP configuré, les courriels sont conservés ici au lieu d’être envoyés.</p>
        {messages.length === 0 ? <p>Aucun courriel pour l’instant.</p> : null}
        {messages.map((m) => (
          <article class="card mb-3">
            <div class="card-body">
              <h2 class="h6 card-title">{m.subject}</h2>
              <p class="small mb-2">À {m.to_address}, le {formatDateTime(m.created_at)}</p>
              <pre class="mb-0 outbox-body">{m.text_body}</pre>
            </div>
          </article>
        ))}
      </section>
    ));
  });
}
