/** The security page: alerts, their access trail, reinstatement by the agency. */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { formErrors } from '../../http/forms.js';
import { formatDateTime } from '../../http/format.js';
import type { FieldError } from '../../http/problem.js';
import { actorOf, requestMeta } from '../../http/request-meta.js';
import { sendPage } from '../../http/render.js';
import { CsrfField, ErrorSummary } from '../../http/views/layout.js';
import { hasHabilitation } from '../habilitations/policy.js';
import { agencyAdmin, alertReaders, getAlert, listAlerts, reinstateFromAlert } from './alerts-service.js';
import { alertInPath } from './alerts-routes.js';
import { alertParams, reinstateForm } from './schemas.js';

const KIND_LABELS: Record<string, string> = { bulk_access: 'Accès en masse à des dossiers', account_creation: 'Création de comptes inhabituelle' };
const at = (iso: string) => formatDateTime(new Date(iso));

function summary(details: Record<string, unknown>): string {
  if (typeof details.count === 'number') {
    return `${details.count} candidats différents en moins d’une heure (${details.kind === 'export' ? 'exports' : 'consultations'} ; seuil ${String(details.threshold)}).`;
  }
  return typeof details.summary === 'string' ? details.summary : '';
}

type Alert = Awaited<ReturnType<typeof getAlert>>;

function AlertPage({ alert, canReinstate, csrf, errors, note }: { alert: Alert; canReinstate: boolean; csrf: string; errors: FieldError[]; note: string }) {
  const error = errors.find((e) => e.field === 'note')?.message;
  return (
    <section>
      <h1 class="h3">Alerte : {KIND_LABELS[alert.kind] ?? alert.kind}</h1>
      <ErrorSummary errors={errors} />
      <dl class="row">
        <dt class="col-sm-3">Date</dt><dd class="col-sm-9">{at(alert.at)}</dd>
        <dt class="col-sm-3">Compte</dt><dd class="col-sm-9">{alert.account.login} ({alert.account.status === 'suspended' ? 'suspendu' : alert.account.status === 'active' ? 'actif' : alert.account.status})</dd>
        <dt class="col-sm-3">Organisme</dt><dd class="col-sm-9">{alert.organisation ?? 'Agence'}</dd>
        <dt class="col-sm-3">Constat</dt><dd class="col-sm-9">{summary(alert.details)}</dd>
        <dt class="col-sm-3">État</dt><dd class="col-sm-9">{alert.status === 'open' ? 'à traiter' : `traitée le ${at(alert.resolvedAt!)} : ${alert.resolution ?? ''}`}</dd>
      </dl>
      {Array.isArray(alert.details.accounts) ? (
        <>
          <h2 class="h5">Comptes en attente de confirmation</h2>
          <ul>{(alert.details.accounts as Array<{ login: string; activationHeld: boolean }>).map((a) => <li>{a.login}{a.activationHeld ? ' (nouveau compte, courriels d’activation retenus)' : ' (habilitation attribuée)'}</li>)}</ul>
        </>
      ) : null}
      <h2 class="h5">Dossiers consultés dans l’heure précédant l’alerte ({alert.trail.candidates.length})</h2>
      <p class="text-body-secondary">Identifiants seulement ; la date est celle de la dernière consultation.</p>
      <ul class="list-inline small">{alert.trail.candidates.map((c) => <li class="list-inline-item">{c.identifier}{c.kind === 'export' ? ' (export)' : ''}</li>)}</ul>
      {alert.trail.unmatchedLookups > 0 ? <p id="recherches-sans-resultat">Et {alert.trail.unmatchedLookups} recherche(s) par identifiant n’ayant trouvé personne (comptées comme des consultations).</p> : null}
      <h2 class="h5">Actions du compte dans cette heure</h2>
      <table class="table table-sm">
        <caption class="visually-hidden">Actions du compte, les plus récentes d’abord</caption>
        <thead><tr><th scope="col">Date</th><th scope="col">Action</th><th scope="col">Adresse IP</th><th scope="col">Référence</th></tr></thead>
        <tbody>{alert.trail.actions.map((a) => <tr><td>{at(a.at)}</td><td>{a.action}</td><td>{a.ip ?? ''}</td><td>{a.requestId ?? ''}</td></tr>)}</tbody>
      </table>
      {canReinstate && alert.status === 'open' ? (
        <form method="post" action={`/securite/alertes/${alert.id}/retablir`} class="mt-4" novalidate>
          <CsrfField token={csrf} />
          <h2 class="h5">{alert.kind === 'account_creation' ? 'Confirmer les comptes après vérification' : 'Rétablir l’accès après vérification'}</h2>
          <label class="form-label" for="note">Ce que vous avez vérifié</label>
          <textarea class={`form-control${error ? ' is-invalid' : ''}`} id="note" name="note" rows={3} maxLength={2000} required aria-describedby={error ? 'note-erreur' : undefined}>{note}</textarea>
          {error ? <div id="note-erreur" class="invalid-feedback">{error}</div> : null}
          <button type="submit" class="btn btn-primary mt-2">{alert.kind === 'account_creation' ? 'Confirmer les comptes' : 'Rétablir le compte'}</button>
        </form>
      ) : null}
      <p class="mt-4"><a href="/securite/alertes">Toutes les alertes</a></p>
    </section>
  );
}

async function renderAlert(request: FastifyRequest, reply: FastifyReply, id: string, errors: FieldError[] = [], note = '') {
  const actor = actorOf(request);
  const alert = await getAlert(request.server.ctx, actor, id);
  const canReinstate = actor.organisation?.kind === 'agency' && hasHabilitation(actor, 'gid', ['agency_admin']);
  return sendPage(request, reply, errors.length ? 'Erreur — Alerte de sécurité' : 'Alerte de sécurité', (csrf) => <AlertPage alert={alert} canReinstate={canReinstate} csrf={csrf} errors={errors} note={note} />, errors.length ? 422 : 200);
}

export async function securityAlertPages(fastify: FastifyInstance): Promise<void> {
  const app = fastify.withTypeProvider<ZodTypeProvider>();

  app.get('/securite/alertes', { config: { access: alertReaders } }, async (request, reply) => {
    const { alerts } = await listAlerts(app.ctx, actorOf(request));
    return sendPage(request, reply, 'Alertes de sécurité', () => (
      <section>
        <h1 class="h3">Alertes de sécurité</h1>
        <p>Comptes suspendus automatiquement et opérations inhabituelles, les plus récentes d’abord.</p>
        {alerts.length === 0 ? <p>Aucune alerte.</p> : (
          <table class="table">
            <caption class="visually-hidden">Alertes de sécurité</caption>
            <thead><tr><th scope="col">Date</th><th scope="col">Type</th><th scope="col">Compte</th><th scope="col">Organisme</th><th scope="col">État</th></tr></thead>
            <tbody>
              {alerts.map((a) => (
                <tr>
                  <td><a href={`/securite/alertes/${a.id}`}>{at(a.at)}</a></td>
                  <td>{KIND_LABELS[a.kind] ?? a.kind}</td>
                  <td>{a.account.login}</td>
                  <td>{a.organisation ?? 'Agence'}</td>
                  <td>{a.status === 'open' ? 'à traiter' : 'traitée'}</td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </section>
    ));
  });

  app.get('/securite/alertes/:id', { config: { access: alertReaders }, schema: { params: alertParams } }, async (request, reply) => renderAlert(request, reply, request.params.id));

  // The alert is looked up before the note is judged (alertInPath): one the actor may not see is a 404.
  const reinstate = { config: { access: agencyAdmin }, preValidation: alertInPath, attachValidation: true, schema: { params: alertParams, body: reinstateForm } };
  app.post('/securite/alertes/:id/retablir', reinstate, async (request, reply) => {
    const { id } = request.params;
    if (request.validationError) {
      // A refused body is left as sent: the note is shown again as typed.
      const sent = (request.body as Record<string, unknown> | undefined)?.note;
      return renderAlert(request, reply, id, formErrors(request), typeof sent === 'string' ? sent.slice(0, 2000) : '');
    }
    await reinstateFromAlert(app.ctx, actorOf(request), id, request.body, requestMeta(request));
    return reply.redirect(`/securite/alertes/${id}`, 303);
  });
}
