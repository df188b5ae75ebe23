import type { FastifyInstance } from 'fastify';
import { formatDateTime } from '../../../http/format.js';
import { actorOf } from '../../../http/request-meta.js';
import { sendPage } from '../../../http/render.js';
import { signedIn } from '../../habilitations/policy.js';
import { incidentsOf } from './service.js';

/** The user's own journal of errors, each with its reference and a pre-filled support request. */
export async function incidentPages(app: FastifyInstance): Promise<void> {
  app.get('/compte/incidents', { config: { access: signedIn } }, async (request, reply) => {
    const incidents = await incidentsOf(app.ctx, actorOf(request).accountId);
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
