/**
 * Support request pages: the form (pre-filled with an error reference
 * when coming from an error page or the incident journal), the requester's list, a request with
 * its conversation, and the agents' queue.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { formatDateTime } from '../../../http/format.js';
import { uuidOr404 } from '../../../http/ids.js';
import { fieldErrorsFrom, problems, type FieldError } from '../../../http/problem.js';
import { actorOf, requestMeta } from '../../../http/request-meta.js';
import { sendPage } from '../../../http/render.js';
import { ErrorSummary } from '../../../http/views/layout.js';
import { formText } from '../../../http/views/form.js';
import { signedIn } from '../../habilitations/policy.js';
import { findReference } from '../error-references/service.js';
import { isSupportAgent, supportAgent } from '../policy.js';
import { readCreation } from './input.js';
import { acceptScreenshotUploads } from './multipart.js';
import { SUPPORT_REQUEST_FIELDS, isErrorReference, ownListSchema, replySchema, statusSchema, withoutEmpty } from './rules.js';
import { REQUEST_NOT_FOUND, changeRequestStatus, queueOrganisations, createSupportRequest, getSupportRequest, listOwnRequests, replyToRequest } from './service.js';
import { Attachments, Conversation, Facts, MultilineText, NewRequestForm, Pager, ReplyForm, RequestTable, StatusForms, type FormValues } from './views.js';
import { queuePage } from './queue-page.js';

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

const idOf = (request: FastifyRequest) => uuidOr404((request.params as { id: string }).id, REQUEST_NOT_FOUND);

function valuesOf(body: unknown): FormValues {
  return Object.fromEntries(SUPPORT_REQUEST_FIELDS.map((f) => [f, formText(body, f, 5000)])) as FormValues;
}

export async function supportRequestPages(app: FastifyInstance): Promise<void> {
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
    uploads.post('/support/demandes/nouvelle', { config: { access: signedIn } }, async (request, reply) => {
      const result = readCreation(request.body, ['_csrf']);
      if (!result.ok) return showForm(request, reply, valuesOf(request.body), result.errors, result.status);
      const created = await createSupportRequest(app.ctx, actorOf(request), result.input, result.files, requestMeta(request));
      return reply.redirect(`/support/demandes/${created.id}?fait=envoyee`, 303);
    });
  });

  app.get('/support/demandes', { config: { access: signedIn } }, async (request, reply) => {
    const parsed = ownListSchema.safeParse(withoutEmpty(request.query));
    if (!parsed.success) throw problems.invalid(fieldErrorsFrom(parsed.error.issues));
    const actor = actorOf(request);
    const list = await listOwnRequests(app.ctx, actor, parsed.data);
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
    const view = await getSupportRequest(app.ctx, actorOf(request), idOf(request));
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

  app.get('/support/demandes/:id', { config: { access: signedIn } }, (request, reply) => showRequest(request, reply));

  app.post('/support/demandes/:id/reponse', { config: { access: signedIn } }, async (request, reply) => {
    const id = idOf(request);
    const parsed = replySchema.safeParse({ body: (request.body as Record<string, unknown> | undefined)?.body });
    if (!parsed.success) return showRequest(request, reply, fieldErrorsFrom(parsed.error.issues), formText(request.body, 'body', 6000), 422);
    await replyToRequest(app.ctx, actorOf(request), id, parsed.data.body, requestMeta(request));
    return reply.redirect(`/support/demandes/${id}?fait=repondu`, 303);
  });

  app.post('/support/demandes/:id/statut', { config: { access: signedIn } }, async (request, reply) => {
    const id = idOf(request);
    const parsed = statusSchema.safeParse({ status: (request.body as Record<string, unknown> | undefined)?.status });
    if (!parsed.success) throw problems.invalid(fieldErrorsFrom(parsed.error.issues));
    await changeRequestStatus(app.ctx, actorOf(request), id, parsed.data.status, requestMeta(request));
    return reply.redirect(`/support/demandes/${id}?fait=${parsed.data.status === 'closed' ? 'close' : 'rouverte'}`, 303);
  });

  app.get('/support/file', { config: { access: supportAgent } }, async (request, reply) =>
    queuePage(app, request, reply, await queueOrganisations(app.ctx)),
  );
}
