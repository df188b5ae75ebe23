/**
 * The webhook pages of GID Partenaires (/gid/api/webhooks), plain forms that work without
 * JavaScript: the list and the creation form, the secret shown once after creation, deletion,
 * and each webhook's deliveries with a button to send one again.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { formatDateTime } from '../../http/format.js';
import { formErrors, throwIfParamsRefused } from '../../http/forms.js';
import { HttpProblem, type FieldError } from '../../http/problem.js';
import { actorOf, requestMeta } from '../../http/request-meta.js';
import { sendPage } from '../../http/render.js';
import { uuidParam } from '../../http/schemas.js';
import { CsrfField, ErrorSummary } from '../../http/views/layout.js';
import { accountManagerOnly } from '../habilitations/access.js';
import { WEBHOOK_EVENTS, type WebhookEventType } from './events.js';
import { createBody } from './schemas.js';
import { createEndpoint, deleteEndpoint, listDeliveries, listEndpoints, replayDelivery } from './service.js';

const EVENT_LABELS: Record<WebhookEventType, string> = {
  'quote.status_changed': 'Un devis change de statut',
  'training.entered': 'Entrée en formation déclarée',
  'training.withdrawn': 'Abandon déclaré',
  'training.exited': 'Sortie de formation déclarée',
  'training.reported': 'Bilan de formation transmis',
  'statement.submitted': 'État de présence mensuel transmis',
  'attendance.alert': 'Alerte d’assiduité levée',
};
const STATUS_LABELS = { pending: 'En attente', delivered: 'Reçu', failed: 'Échec' } as const;
const BASE = '/gid/api/webhooks';

// A checkbox group arrives as nothing, one string or a list.
const asList = (v: unknown) => (v === undefined ? [] : Array.isArray(v) ? v : [v]);
const createForm = z.preprocess((body) => {
  const form = (body && typeof body === 'object' ? body : {}) as Record<string, unknown>;
  return { url: form.url ?? '', events: asList(form.events) };
}, createBody);
const pageParams = z.strictObject({ id: uuidParam() });
const replayParams = z.strictObject({ id: uuidParam(), deliveryId: uuidParam() });
/** Delete and replay buttons post nothing but the CSRF field. */
const actionForm = z.object({});
const NOTICES: Record<string, string> = { supprime: 'Le webhook est supprimé.', rejoue: 'L’envoi est remis en file : il part dans quelques instants.' };

interface FormState {
  url: string;
  events: string[];
  errors: FieldError[];
  secret?: string;
}

async function showList(app: FastifyInstance, request: FastifyRequest, reply: FastifyReply, state: FormState, status = 200) {
  const actor = actorOf(request);
  const endpoints = await listEndpoints(app.ctx, actor, actor.organisation?.id);
  const fait = (request.query as Record<string, unknown> | undefined)?.fait;
  const notice = typeof fait === 'string' && Object.hasOwn(NOTICES, fait) ? NOTICES[fait] : null;
  const errorOf = (f: string) => state.errors.find((e) => e.field === f)?.message;
  return sendPage(request, reply, state.errors.length ? 'Erreur — Webhooks' : 'Webhooks', (csrf) => (
    <section>
      <h1 class="h3">Webhooks</h1>
      <ErrorSummary errors={state.errors} />
      {notice ? <p class="alert alert-success" role="status">{notice}</p> : null}
      {state.secret ? (
        <div class="alert alert-warning" role="status">
          <p class="fw-semibold">Le webhook est créé. Copiez son secret de signature maintenant : il ne sera plus jamais affiché.</p>
          <p><code id="secret">{state.secret}</code></p>
          <p class="mb-0">Votre serveur s’en sert pour vérifier l’en-tête webhook-signature de chaque envoi.</p>
        </div>
      ) : null}
      <p>Kairos prévient votre serveur des événements choisis par un appel HTTPS signé ; les envois échoués sont retentés pendant environ 24 heures.</p>
      {endpoints.length === 0 ? <p>Aucun webhook n’est déclaré.</p> : (
        <table class="table">
          <caption class="visually-hidden">Webhooks de votre organisme</caption>
          <thead><tr><th scope="col">Adresse</th><th scope="col">Événements</th><th scope="col">État</th><th scope="col">Actions</th></tr></thead>
          <tbody>
            {endpoints.map((e) => (
              <tr data-webhook={e.id}>
                <td><a href={`${BASE}/${e.id}`}>{e.url}</a></td>
                <td>{(e.events as WebhookEventType[]).map((t) => EVENT_LABELS[t] ?? t).join(', ')}</td>
                <td>{e.enabled ? 'Actif' : `Désactivé${e.disabled_at ? ` le ${formatDateTime(e.disabled_at)}` : ''}`}</td>
                <td>
                  <form method="post" action={`${BASE}/${e.id}/supprimer`}>
                    <CsrfField token={csrf} />
                    <button class="btn btn-sm btn-outline-danger" type="submit">Supprimer<span class="visually-hidden"> le webhook {e.url}</span></button>
                  </form>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <h2 class="h4 mt-4">Déclarer un webhook</h2>
      <form method="post" action={BASE} novalidate>
        <CsrfField token={csrf} />
        <div class="mb-3">
          <label class="form-label fw-semibold" for="url">Adresse (URL https de votre serveur)</label>
          <input class={`form-control${errorOf('url') ? ' is-invalid' : ''}`} id="url" name="url" type="url" value={state.url} maxLength={2000} required
            aria-invalid={errorOf('url') ? 'true' : undefined} aria-describedby={errorOf('url') ? 'url-erreur' : undefined} />
          {errorOf('url') ? <div id="url-erreur" class="invalid-feedback">{errorOf('url')}</div> : null}
        </div>
        <fieldset class="mb-3" aria-describedby={errorOf('events') ? 'events-erreur' : undefined}>
          <legend class="form-label fw-semibold fs-6">Événements</legend>
          {WEBHOOK_EVENTS.map((t) => (
            <div class="form-check">
              <input class="form-check-input" type="checkbox" name="events" id={`event-${t}`} value={t} checked={state.events.includes(t)} />
              <label class="form-check-label" for={`event-${t}`}>{EVENT_LABELS[t]} <code>{t}</code></label>
            </div>
          ))}
          {errorOf('events') ? <div id="events-erreur" class="text-danger">{errorOf('events')}</div> : null}
        </fieldset>
        <button class="btn btn-primary" type="submit">Créer le webhook</button>
      </form>
      <p class="mt-3"><a href="/gid">Retour à GID Partenaires</a></p>
    </section>
  ), status);
}

const fieldsOf = (err: unknown): FieldError[] | null =>
  err instanceof HttpProblem && err.status === 422 ? (err.errors ?? [{ field: 'url', message: err.detail }]) : null;

export async function webhookPages(app: FastifyInstance): Promise<void> {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const config = { access: accountManagerOnly };

  r.get(BASE, { config }, (request, reply) => showList(app, request, reply, { url: '', events: [], errors: [] }));

  r.post(BASE, { config, attachValidation: true, schema: { body: createForm } }, async (request, reply) => {
    const sent = (request.body ?? {}) as Record<string, unknown>;
    const typed = { url: typeof sent.url === 'string' ? sent.url : '', events: asList(sent.events).filter((v): v is string => typeof v === 'string') };
    if (request.validationError) return showList(app, request, reply, { ...typed, errors: formErrors(request) }, 422);
    const actor = actorOf(request);
    try {
      const { secret } = await createEndpoint(app.ctx, actor, actor.organisation?.id, request.body, requestMeta(request));
      return showList(app, request, reply, { url: '', events: [], errors: [], secret }, 201);
    } catch (err) {
      const errors = fieldsOf(err);
      if (!errors) throw err;
      return showList(app, request, reply, { ...typed, errors }, 422);
    }
  });

  r.post(`${BASE}/:id/supprimer`, { config, schema: { params: pageParams, body: actionForm } }, async (request, reply) => {
    const actor = actorOf(request);
    await deleteEndpoint(app.ctx, actor, actor.organisation?.id, request.params.id, requestMeta(request));
    return reply.redirect(`${BASE}?fait=supprime`, 303);
  });

  r.get(`${BASE}/:id`, { config, schema: { params: pageParams } }, async (request, reply) => {
    const actor = actorOf(request);
    const { endpoint, deliveries } = await listDeliveries(app.ctx, actor, actor.organisation?.id, request.params.id);
    const fait = (request.query as Record<string, unknown> | undefined)?.fait;
    const notice = typeof fait === 'string' && Object.hasOwn(NOTICES, fait) ? NOTICES[fait] : null;
    return sendPage(request, reply, 'Envois du webhook', (csrf) => (
      <section>
        <h1 class="h3">Envois du webhook</h1>
        <p><code>{endpoint.url}</code> — {endpoint.enabled ? 'actif' : 'désactivé : réactivez-le par l’API (PATCH, enabled: true) pour rejouer des envois'}</p>
        {notice ? <p class="alert alert-success" role="status">{notice}</p> : null}
        {deliveries.length === 0 ? <p>Aucun envoi pour l’instant.</p> : (
          <table class="table">
            <caption class="visually-hidden">Les 100 derniers envois, du plus récent au plus ancien</caption>
            <thead><tr><th scope="col">Événement</th><th scope="col">Créé le</th><th scope="col">Statut</th><th scope="col">Tentatives</th><th scope="col">Réponse</th><th scope="col">Durée</th><th scope="col">Action</th></tr></thead>
            <tbody>
              {deliveries.map((d) => (
                <tr data-delivery={d.id}>
                  <td><code>{d.event_type}</code></td>
                  <td>{formatDateTime(d.created_at)}</td>
                  <td>{STATUS_LABELS[d.status]}{d.status === 'pending' && d.next_attempt_at ? ` (prochaine tentative le ${formatDateTime(d.next_attempt_at)})` : ''}</td>
                  <td>{d.attempts}</td>
                  <td>{d.response_code ?? (d.last_error ? 'pas de réponse' : '—')}</td>
                  <td>{d.duration_ms === null ? '—' : `${d.duration_ms} ms`}</td>
                  <td>
                    {d.status !== 'pending' && endpoint.enabled ? (
                      <form method="post" action={`${BASE}/${endpoint.id}/envois/${d.id}/rejouer`}>
                        <CsrfField token={csrf} />
                        <button class="btn btn-sm btn-outline-primary" type="submit">Rejouer<span class="visually-hidden"> l’envoi {d.event_type} du {formatDateTime(d.created_at)}</span></button>
                      </form>
                    ) : null}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
        <p class="mt-3"><a href={BASE}>Retour aux webhooks</a></p>
      </section>
    ));
  });

  r.post(`${BASE}/:id/envois/:deliveryId/rejouer`, { config, attachValidation: true, schema: { params: replayParams, body: actionForm } }, async (request, reply) => {
    throwIfParamsRefused(request);
    const actor = actorOf(request);
    await replayDelivery(app.ctx, actor, actor.organisation?.id, request.params.id, request.params.deliveryId, requestMeta(request));
    return reply.redirect(`${BASE}/${request.params.id}?fait=rejoue`, 303);
  });
}
