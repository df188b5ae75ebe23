/**
 * Support request pages: the form (pre-filled with an error reference
 * when coming from an error page or the incident journal), the requester's list, a request with
 * its conversation, and the agents' queue.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { formErrors, throwIfParamsRefused } from '../../../http/forms.js';
import { formatDateTime } from '../../../http/format.js';
import type { FieldError } from '../../../http/problem.js';
import { actorOf, requestMeta } from '../../../http/request-meta.js';
import { sendPage } from '../../../http/render.js';
import { ErrorSummary } from '../../../http/views/layout.js';
import { formText } from '../../../http/views/form.js';
import { signedIn } from '../../habilitations/policy.js';
import { findReference } from '../error-references/service.js';
import { isSupportAgent, supportAgent } from '../policy.js';
import { creationForm } from './input.js';
import { acceptScreenshotUploads } from './multipart.js';
import { isErrorReference } from './rules.js';
import { SUPPORT_REQUEST_FIELDS, ownListQuery, replyForm, requestParams, statusForm } from './schemas.js';
import { changeRequestStatus, queueOrganisations, createSupportRequest, getSupportRequest, listOwnRequests, replyToRequest } from './service.js';
import { Attachments, Conversation, Facts, MultilineText, NewRequestForm, Pager, ReplyForm, RequestTable, StatusForms, type FormValues } from './views.js';
import { queuePage, queuePageQuery } from './queue-page.js';

const NOTICES: Record<string, string> = {
  envoyee: 'Votre demande est envoyée. L’assistance vous répondra sur cette page ; vous serez prévenu par courriel.',
  repondu: 'Votre message est envoyé.',
  close: 'La demande est close.',
  rouverte: 'La demande est rouverte : elle revient dans la file de l’assistance.',
};

function noticeOf(request: FastifyRequest): string | null {
  const value = (request.query as Record<string, unknown> | undefined)?.fait;
  return typeof value === 'string' && Object.hasOwn(NOTICES, value) ? NOTICES[value]! : null;
}

function valuesOf(body: unknown): FormValues {
  return Object.fromEntries(SUPPORT_REQUEST_FIELDS.map((f) => [f, formText(body, f, 5000)])) as FormValues;
}

export async function supportRequestPages(fastify: FastifyInstance): Promise<void> {
  const app = fastify.withTypeProvider<ZodTypeProvider>();
  const showForm = (request: FastifyRequest, reply: FastifyReply, values: FormValues, errors: FieldError[], status = 200) =>
    sendPage(request, reply, errors.length ? 'Erreur — Nouvelle demande d’assistance' : 'Nouvelle demande d’assistance', (csrf) => (
      <section aria-labelledby="titre-demande">
        <h1 id="titre-demande" class="h3">Nouvelle demande d’assistance</h1>
        <ErrorSummary errors={errors} />
        <p>
          Avant d’écrire, la réponse est peut-être dans l’<a href="/aide">aide</a> ; voyez aussi{' '}
          <a href="/aide/contacter-assistance">ce qu’il faut préparer</a>. Les champs marqués d’un astérisque (*) sont obligatoires.
        </p>
        <NewRequestForm values={values} errors={errors} csrf={csrf} />
      </section>
    ), status);

  app.get('/support/demandes/nouvelle', { config: { access: signedIn } }, async (request, reply) => {
    const reference = formText(request.query, 'reference', 100).trim();
    const known = isErrorReference(reference);
    const values: FormValues = { category: known ? 'erreur' : '', subject: '', description: '', steps: '', errorReference: known ? reference.toLowerCase() : '' };
    return showForm(request, reply, values, []);
  });

  // Multipart is accepted by this scope only (see multipart.ts); `_csrf` is checked by auth.ts on the parsed body.
  await app.register(async (uploads) => {
    acceptScreenshotUploads(uploads);
    uploads.withTypeProvider<ZodTypeProvider>().post('/support/demandes/nouvelle', { config: { access: signedIn }, schema: { body: creationForm } }, async (request, reply) => {
      const result = request.body;
      if (!result.ok) return showForm(request, reply, valuesOf(result.fields), result.errors, result.status);
      const created = await createSupportRequest(app.ctx, actorOf(request), result.input, result.files, requestMeta(request));
      return reply.redirect(`/support/demandes/${created.id}?fait=envoyee`, 303);
    });
  });

  app.get('/support/demandes', { config: { access: signedIn }, schema: { querystring: ownListQuery } }, async (request, reply) => {
    const actor = actorOf(request);
    const list = await listOwnRequests(app.ctx, actor, request.query);
    return sendPage(request, reply, 'Mes demandes d’assistance', () => (
      <section aria-labelledby="titre-mes-demandes">
        <h1 id="titre-mes-demandes" class="h3">Mes demandes d’assistance</h1>
        <p class="d-flex gap-3 flex-wrap align-items-center">
          <a class="btn btn-primary" href="/support/demandes/nouvelle">Nouvelle demande</a>
          <a href="/compte/incidents">Mes incidents</a>
          {isSupportAgent(actor) ? <a href="/support/file">File de l’assistance</a> : null}
        </p>
        {list.requests.length === 0 ? (
          <p>Vous n’avez envoyé aucune demande.</p>
        ) : (
          <RequestTable requests={list.requests} caption="Mes demandes, les plus récemment mises à jour d’abord" showRequester={false} />
        )}
        <Pager page={list.page} hasMore={list.hasMore} link={(p) => `/support/demandes?page=${p}`} />
      </section>
    ));
  });

  const showRequest = async (request: FastifyRequest, reply: FastifyReply, errors: FieldError[] = [], draft = '', status = 200) => {
    const view = await getSupportRequest(app.ctx, actorOf(request), (request.params as { id: string }).id);
    const notice = status === 200 ? noticeOf(request) : null;
    // Agents see what the server recorded behind the reference (kept 30 days).
    const recorded = view.viewerRole === 'agent' && view.errorReference ? await findReference(app.ctx, view.errorReference) : null;
    const title = `Demande n° ${view.number}`;
    return sendPage(request, reply, errors.length ? `Erreur — ${title}` : title, (csrf) => (
      <section aria-labelledby="titre-demande">
        <h1 id="titre-demande" class="h3">{title} : {view.subject}</h1>
        <ErrorSummary errors={errors} />
        {notice ? <p class="alert alert-success" role="status">{notice}</p> : null}
        <Facts
          view={view}
          extra={recorded ? <span class="d-block small">Enregistrée le {formatDateTime(recorded.at)} : {recorded.method} {recorded.route}, code {recorded.status} ({recorded.error_class}).</span> : null}
        />
        <section aria-labelledby="titre-description" class="mb-4">
          <h2 id="titre-description" class="h5">Description</h2>
          <MultilineText text={view.description} />
          {view.steps ? (
            <>
              <h3 class="h6">Étapes suivies</h3>
              <MultilineText text={view.steps} />
            </>
          ) : null}
        </section>
        <Attachments view={view} />
        <Conversation view={view} />
        <ReplyForm view={view} csrf={csrf} errors={errors} value={draft} />
        <StatusForms view={view} csrf={csrf} />
        <p>
          <a href={view.viewerRole === 'agent' ? '/support/file' : '/support/demandes'}>
            {view.viewerRole === 'agent' ? 'Retour à la file de l’assistance' : 'Retour à mes demandes'}
          </a>
        </p>
      </section>
    ), status);
  };

  app.get('/support/demandes/:id', { config: { access: signedIn }, schema: { params: requestParams } }, (request, reply) => showRequest(request, reply));

  // Refused, the message is shown again as typed beside its error (the raw body is kept on refusal).
  app.post('/support/demandes/:id/reponse', { config: { access: signedIn }, schema: { params: requestParams, body: replyForm }, attachValidation: true }, async (request, reply) => {
    throwIfParamsRefused(request);
    const errors = formErrors(request);
    if (errors.length) return showRequest(request, reply, errors, formText(request.body, 'body', 6000), 422);
    const { id } = request.params;
    await replyToRequest(app.ctx, actorOf(request), id, request.body.body, requestMeta(request));
    return reply.redirect(`/support/demandes/${id}?fait=repondu`, 303);
  });

  app.post('/support/demandes/:id/statut', { config: { access: signedIn }, schema: { params: requestParams, body: statusForm } }, async (request, reply) => {
    const { id } = request.params;
    await changeRequestStatus(app.ctx, actorOf(request), id, request.body.status, requestMeta(request));
    return reply.redirect(`/support/demandes/${id}?fait=${request.body.status === 'closed' ? 'close' : 'rouverte'}`, 303);
  });

  app.get('/support/file', { config: { access: supportAgent }, schema: { querystring: queuePageQuery }, attachValidation: true }, async (request, reply) =>
    queuePage(app, request, reply, await queueOrganisations(app.ctx)),
  );
}
