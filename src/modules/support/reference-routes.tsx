import type { FastifyInstance } from 'fastify';
import { formatDateTime } from '../../http/format.js';
import { problems } from '../../http/problem.js';
import { actorOf } from '../../http/request-meta.js';
import { sendPage } from '../../http/render.js';
import { requireHabilitation, signedIn } from '../habilitations/policy.js';
import { DAY_MS } from '../../jobs/recurring.js';
import { ERROR_RETENTION_DAYS, findReference, incidentsOf } from './error-references.js';

const REFERENCE = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const NOT_FOUND = 'Aucune erreur n’est enregistrée sous cette référence (les références sont conservées 30 jours).';

/**
 * Error references (docs/product/support.md#error-references): the support agent's lookup and the
 * user's own journal.
 */
export async function referenceRoutes(app: FastifyInstance): Promise<void> {
  const since = () => new Date(app.ctx.clock.now().getTime() - ERROR_RETENTION_DAYS * DAY_MS);

  app.get('/api/v1/support/references/:requestId', { config: { access: requireHabilitation('support', ['agent']) } }, async (request) => {
    const { requestId } = request.params as { requestId: string };
    if (!REFERENCE.test(requestId)) throw problems.notFound(NOT_FOUND);
    const row = await findReference(app.ctx.db, requestId.toLowerCase(), since());
    if (!row) throw problems.notFound(NOT_FOUND);
    return {
      requestId: row.request_id,
      at: row.at.toISOString(),
      method: row.method,
      route: row.route,
      status: row.status,
      user: row.login ? { login: row.login } : null,
      organisationId: row.organisation_id,
      errorClass: row.error_class,
      message: row.message,
    };
  });

  app.get('/compte/incidents', { config: { access: signedIn } }, async (request, reply) => {
    const incidents = await incidentsOf(app.ctx.db, actorOf(request).accountId, since());
    return sendPage(request, reply, 'Mes incidents', () => (
      <section aria-labelledby="titre-incidents">
        <h1 id="titre-incidents" class="h3">Mes incidents des 30 derniers jours</h1>
        <p>
          Chaque erreur rencontrée porte une référence. Communiquez-la à l’assistance : elle lui permet de retrouver ce
          qui s’est passé, sans que vous ayez à décrire l’écran. <a href="/aide/contacter-assistance">Préparer une demande d’assistance</a> ;{' '}
          <a href="/support/demandes">mes demandes d’assistance</a>.
        </p>
        {incidents.length === 0 ? (
          <p>Aucune erreur enregistrée.</p>
        ) : (
          <table class="table">
            <caption class="visually-hidden">Erreurs rencontrées</caption>
            <thead>
              <tr><th scope="col">Date</th><th scope="col">Page ou action</th><th scope="col">Code</th><th scope="col">Référence</th><th scope="col">Assistance</th></tr>
            </thead>
            <tbody>
              {incidents.map((i) => (
                <tr>
                  <td>{formatDateTime(i.at)}</td>
                  <td class="font-monospace">{i.method} {i.route}</td>
                  <td>{i.status}</td>
                  <td class="font-monospace">{i.request_id}</td>
                  <td>
                    {/* Pre-filled support request; the hidden text tells screen readers which error. */}
                    <a class="btn btn-sm btn-outline-primary text-nowrap" href={`/support/demandes/nouvelle?reference=${i.request_id}`}>
                      Demander de l’aide<span class="visually-hidden"> pour l’erreur du {formatDateTime(i.at)}, référence {i.request_id}</span>
                    </a>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </section>
    ));
  });
}
