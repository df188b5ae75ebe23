import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { formatDate, formatDateTime } from '../../../http/format.js';
import { formErrors } from '../../../http/forms.js';
import { HttpProblem, type FieldError } from '../../../http/problem.js';
import { actorOf, requestMeta } from '../../../http/request-meta.js';
import { sendPage } from '../../../http/render.js';
import { CsrfField, ErrorSummary } from '../../../http/views/layout.js';
import { accountManagerOnly, agencyAdminOnly } from '../access.js';
import type { ChangeRow } from './repository.js';
import { CHANGE_STATUSES, type ChangeStatus } from './rules.js';
import { changeIdInPath } from './routes.js';
import { approveForm, changeParams, changeRequestForm, rejectForm } from './schemas.js';
import { approveManagerChange, listManagerChanges, managerChangeOverview, rejectManagerChange, requestManagerChange } from './service.js';
import { keepSentBody, noticeOf, redirectAfterPost, sentText } from '../forms.js';

const STATUS_LABELS: Record<ChangeStatus, string> = { pending: 'En attente', approved: 'Approuvée', rejected: 'Refusée' };
const FILTER_LABELS: Record<ChangeStatus, string> = { pending: 'En attente', approved: 'Approuvées', rejected: 'Refusées' };

type Overview = Awaited<ReturnType<typeof managerChangeOverview>>;
type Draft = { newManagerId: string; reason: string };

/** Refusals the form can explain in place (invalid choice, pending request) instead of an error page. */
function formErrorsOf(err: unknown): FieldError[] | null {
  if (!(err instanceof HttpProblem) || (err.status !== 422 && err.status !== 409)) return null;
  return err.errors?.length ? err.errors : [{ field: 'newManagerId', message: err.detail }];
}

function RequestForm({ overview, draft, errors, csrf }: { overview: Overview; draft: Draft; errors: FieldError[]; csrf: string }) {
  const errorOf = (f: string) => errors.find((e) => e.field === f)?.message;
  if (overview.candidates.length === 0) {
    return <p>Aucun autre compte actif dans votre organisme : créez d’abord le compte de la personne qui vous succédera.</p>;
  }
  return (
    <form method="post" action="/gid/responsable" novalidate>
      <CsrfField token={csrf} />
      <div class="mb-3">
        <label class="form-label" for="newManagerId">Nouveau responsable</label>
        <select class={`form-select${errorOf('newManagerId') ? ' is-invalid' : ''}`} id="newManagerId" name="newManagerId" required aria-describedby={errorOf('newManagerId') ? 'newManagerId-erreur' : undefined}>
          <option value="">— Choisissez un compte —</option>
          {overview.candidates.map((c) => (
            <option value={c.id} selected={c.id === draft.newManagerId}>{`${c.display_name} (${c.login})`}</option>
          ))}
        </select>
        {errorOf('newManagerId') ? <div id="newManagerId-erreur" class="invalid-feedback">{errorOf('newManagerId')}</div> : null}
      </div>
      <div class="mb-3">
        <label class="form-label" for="reason">Motif de la demande</label>
        <textarea class={`form-control${errorOf('reason') ? ' is-invalid' : ''}`} id="reason" name="reason" rows={3} maxLength={1000} required aria-describedby={`reason-aide${errorOf('reason') ? ' reason-erreur' : ''}`} value={draft.reason} />
        <div id="reason-aide" class="form-text">De 10 à 1 000 caractères (départ, changement de poste…).</div>
        {errorOf('reason') ? <div id="reason-erreur" class="invalid-feedback">{errorOf('reason')}</div> : null}
      </div>
      <button class="btn btn-primary" type="submit">Demander le changement</button>
    </form>
  );
}

function History({ rows }: { rows: ChangeRow[] }) {
  if (rows.length === 0) return null;
  return (
    <>
      <h2 class="h5 mt-4">Demandes précédentes</h2>
      <ul>
        {rows.map((c) => (
          <li>
            {formatDate(c.created_at)} : {c.new_manager_name} — {STATUS_LABELS[c.status]}
            {c.decided_at ? ` le ${formatDate(c.decided_at)}` : ''}
            {c.decision_reason ? ` (motif : ${c.decision_reason})` : ''}
          </li>
        ))}
      </ul>
    </>
  );
}

async function showRequestPage(app: FastifyInstance, request: FastifyRequest, reply: FastifyReply, draft: Draft, errors: FieldError[], status = 200) {
  const actor = actorOf(request);
  const overview = await managerChangeOverview(app.ctx, actor, actor.organisation?.id);
  const notice = status === 200 ? noticeOf(request, { demandee: 'Votre demande est transmise à l’agence, qui vous répondra par courriel.' }) : null;
  return sendPage(request, reply, errors.length ? 'Erreur — Changement de responsable' : 'Changement de responsable', (csrf) => (
    <section>
      <h1 class="h3">Responsable de gestion des comptes</h1>
      <ErrorSummary errors={errors} />
      {notice ? <p class="alert alert-success" role="status">{notice}</p> : null}
      <p>Responsable actuel : {overview.managers.map((m) => m.display_name).join(', ') || '—'}.</p>
      <p>
        Le changement de responsable est validé par l’agence. Une fois la demande approuvée, la personne désignée reçoit le
        rôle et vous perdez l’accès à GID Partenaires.
      </p>
      {overview.pending ? (
        <p class="alert alert-info" id="demande-en-attente">
          Demande en attente depuis le {formatDate(overview.pending.created_at)} : désignation de {overview.pending.new_manager_name}.
        </p>
      ) : (
        <RequestForm overview={overview} draft={draft} errors={errors} csrf={csrf} />
      )}
      <History rows={overview.history} />
      <p class="mt-3"><a href="/gid">Retour à GID Partenaires</a></p>
    </section>
  ), status);
}

function Decision({ c, csrf }: { c: ChangeRow; csrf: string }) {
  return (
    <div class="d-flex gap-4 flex-wrap align-items-end">
      <form method="post" action={`/admin/changements-responsable/${c.id}/approuver`}>
        <CsrfField token={csrf} />
        <button class="btn btn-primary" type="submit">Approuver<span class="visually-hidden"> la demande de {c.organisation_name}</span></button>
      </form>
      <form method="post" action={`/admin/changements-responsable/${c.id}/refuser`} class="flex-grow-1">
        <CsrfField token={csrf} />
        <label class="form-label" for={`reason-${c.id}`}>Motif du refus</label>
        <div class="d-flex gap-2">
          <input class="form-control" id={`reason-${c.id}`} name="reason" maxLength={1000} required />
          <button class="btn btn-outline-danger" type="submit">Refuser<span class="visually-hidden"> la demande de {c.organisation_name}</span></button>
        </div>
      </form>
    </div>
  );
}

function ChangeCard({ c, csrf }: { c: ChangeRow; csrf: string }) {
  return (
    <article class="card mb-3" data-change={c.id}>
      <div class="card-body">
        <h2 class="h5 card-title">{c.organisation_name} <span class="text-body-secondary small">SIRET {c.organisation_siret ?? '—'}</span></h2>
        <p class="mb-1">Demandée le {formatDateTime(c.created_at)} par {c.requester_name} ({c.requester_login}).</p>
        <p class="mb-1">Nouveau responsable : {c.new_manager_name} ({c.new_manager_login}).</p>
        <p>Motif : {c.reason}</p>
        {c.status === 'pending' ? (
          <Decision c={c} csrf={csrf} />
        ) : (
          <p class="mb-0">{STATUS_LABELS[c.status]} le {c.decided_at ? formatDateTime(c.decided_at) : '—'} par {c.decided_by_login ?? '—'}{c.decision_reason ? ` — ${c.decision_reason}` : ''}.</p>
        )}
      </div>
    </article>
  );
}

async function showQueue(app: FastifyInstance, request: FastifyRequest, reply: FastifyReply, errors: FieldError[], status = 200) {
  const wanted = (request.query as Record<string, unknown> | undefined)?.statut;
  const filter: ChangeStatus = (CHANGE_STATUSES as readonly unknown[]).includes(wanted) ? (wanted as ChangeStatus) : 'pending';
  const rows = await listManagerChanges(app.ctx, filter);
  const notice = status === 200 ? noticeOf(request, { approuvee: 'La demande est approuvée : le rôle a changé de titulaire.', refusee: 'La demande est refusée.' }) : null;
  return sendPage(request, reply, 'Changements de responsable', (csrf) => (
    <section>
      <h1 class="h3">Changements de responsable de gestion des comptes</h1>
      <ErrorSummary errors={errors} />
      {notice ? <p class="alert alert-success" role="status">{notice}</p> : null}
      <nav aria-label="Filtrer par statut" class="mb-3 d-flex gap-3">
        {CHANGE_STATUSES.map((s) => (
          <a href={`/admin/changements-responsable?statut=${s}`} aria-current={s === filter ? 'page' : undefined}>{FILTER_LABELS[s]}</a>
        ))}
      </nav>
      {rows.length === 0 ? <p>Aucune demande.</p> : rows.map((c) => <ChangeCard c={c} csrf={csrf} />)}
    </section>
  ), status);
}

export async function managerChangePages(app: FastifyInstance): Promise<void> {
  app.get('/gid/responsable', { config: { access: accountManagerOnly } }, (request, reply) =>
    showRequestPage(app, request, reply, { newManagerId: '', reason: '' }, []),
  );

  const r = app.withTypeProvider<ZodTypeProvider>();
  const requestForm = { config: { access: accountManagerOnly }, preValidation: keepSentBody, attachValidation: true, schema: { body: changeRequestForm } };
  r.post('/gid/responsable', requestForm, async (request, reply) => {
    // Shown again as typed, whether the schema or the service refuses it.
    const draft = { newManagerId: sentText(request, 'newManagerId'), reason: sentText(request, 'reason') };
    if (request.validationError) return showRequestPage(app, request, reply, draft, formErrors(request), 422);
    const actor = actorOf(request);
    try {
      await requestManagerChange(app.ctx, actor, actor.organisation?.id, request.body, requestMeta(request));
    } catch (err) {
      const errors = formErrorsOf(err);
      if (!errors) throw err;
      return showRequestPage(app, request, reply, draft, errors, (err as HttpProblem).status);
    }
    return redirectAfterPost(reply, '/gid/responsable?fait=demandee');
  });

  const agency = { access: agencyAdminOnly };
  app.get('/admin/changements-responsable', { config: agency }, (request, reply) => showQueue(app, request, reply, []));

  // The request is looked up before the form is judged (changeIdInPath), as in the API: an unknown one is a 404.
  const decision = { config: agency, preValidation: changeIdInPath, attachValidation: true };
  r.post('/admin/changements-responsable/:id/approuver', { ...decision, schema: { params: changeParams, body: approveForm } }, async (request, reply) => {
    if (request.validationError) return showQueue(app, request, reply, formErrors(request), 422);
    await approveManagerChange(app.ctx, actorOf(request), request.params.id, request.body, requestMeta(request));
    return redirectAfterPost(reply, '/admin/changements-responsable?fait=approuvee');
  });

  r.post('/admin/changements-responsable/:id/refuser', { ...decision, schema: { params: changeParams, body: rejectForm } }, async (request, reply) => {
    if (request.validationError) return showQueue(app, request, reply, formErrors(request), 422);
    await rejectManagerChange(app.ctx, actorOf(request), request.params.id, request.body, requestMeta(request));
    return redirectAfterPost(reply, '/admin/changements-responsable?fait=refusee');
  });
}
