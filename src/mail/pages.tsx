import type { FastifyInstance } from 'fastify';
import { formatDateTime } from '../http/format.js';
import { problems } from '../http/problem.js';
import { sendPage } from '../http/render.js';
import { requireHabilitation } from '../modules/habilitations/policy.js';

/** The outbox is shown only in demo mode: in production mail really leaves through SMTP. */
export async function outboxPages(app: FastifyInstance): Promise<void> {
  const access = requireHabilitation('gid', ['agency_admin']);
  const load = async () => {
    if (!app.ctx.config.demoMode) throw problems.notFound();
    return app.ctx.db.selectFrom('mail_outbox').selectAll().orderBy('created_at', 'desc').limit(100).execute();
  };

  app.get('/api/v1/outbox', { config: { access } }, async () => ({
    messages: (await load()).map((m) => ({ id: m.id, to: m.to_address, subject: m.subject, text: m.text_body, createdAt: m.created_at.toISOString() })),
  }));

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
