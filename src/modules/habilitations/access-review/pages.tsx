import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { formatDate } from '../../../http/format.js';
import { formErrors } from '../../../http/forms.js';
import type { FieldError } from '../../../http/problem.js';
import { actorOf, requestMeta } from '../../../http/request-meta.js';
import { sendPage } from '../../../http/render.js';
import { CsrfField, ErrorSummary } from '../../../http/views/layout.js';
import { noticeOf, redirectAfterPost } from '../forms.js';
import { daysAfter } from './rules.js';
import { decisionForm } from './schemas.js';
import { accountManagerOnly } from '../access.js';
import { decideReviewItem, findCurrentReview, lastReviewOpenedAt, type CurrentReview } from './service.js';

const NOTICES = {
  confirmed: 'L’habilitation est confirmée.',
  revoked: 'L’habilitation est retirée.',
  closed: 'Toutes les habilitations sont revues : la revue est terminée. Merci.',
};

function ItemRow({ item, csrf }: { item: CurrentReview['items'][number]; csrf: string }) {
  const who = `${item.displayName} (${item.applicationName}, ${item.roleLabel})`;
  return (
    <tr>
      <td>
        {item.displayName} <span class="text-body-secondary small">{item.login}</span>
      </td>
      <td>{item.applicationName}</td>
      <td>
        {item.roleLabel}
        {item.suspendedAt ? <span class="badge text-bg-warning ms-2">suspendue</span> : null}
      </td>
      <td>
        {item.decision === 'confirmed' ? (
          <span>Confirmée</span>
        ) : (
          <form method="post" action="/gid/revue" class="d-flex gap-2 flex-wrap">
            <CsrfField token={csrf} />
            <input type="hidden" name="habilitationId" value={item.habilitationId} />
            <button class="btn btn-sm btn-primary" type="submit" name="decision" value="confirmed">
              Confirmer<span class="visually-hidden"> : {who}</span>
            </button>
            <button class="btn btn-sm btn-outline-danger" type="submit" name="decision" value="revoked">
              Retirer<span class="visually-hidden"> : {who}</span>
            </button>
          </form>
        )}
      </td>
    </tr>
  );
}

function ReviewBody({ current, csrf }: { current: CurrentReview; csrf: string }) {
  const left = current.items.filter((i) => !i.decision).length;
  return (
    <>
      <p>
        Revue ouverte le {formatDate(current.review.opened_at)}. À terminer avant le{' '}
        <strong id="echeance">{formatDate(current.review.due_at)}</strong> : passé ce délai, les habilitations non revues
        seront suspendues.
      </p>
      <p id="restant">
        {left === 0 ? 'Toutes les habilitations sont revues.' : `${left} habilitation${left > 1 ? 's' : ''} à revoir.`} Confirmez
        celles dont chaque personne a encore besoin ; retirez les autres (départ, changement de poste).
      </p>
      <table class="table align-middle">
        <caption class="visually-hidden">Habilitations à revoir</caption>
        <thead>
          <tr>
            <th scope="col">Personne</th>
            <th scope="col">Application</th>
            <th scope="col">Rôle</th>
            <th scope="col">Décision</th>
          </tr>
        </thead>
        <tbody>
          {current.items.map((item) => (
            <ItemRow item={item} csrf={csrf} />
          ))}
        </tbody>
      </table>
    </>
  );
}

export async function reviewPages(app: FastifyInstance): Promise<void> {
  const config = { access: accountManagerOnly };

  const show = async (request: FastifyRequest, reply: FastifyReply, errors: FieldError[], status = 200) => {
    const actor = actorOf(request);
    const orgId = actor.organisation!.id;
    const current = await findCurrentReview(app.ctx, actor, orgId);
    const lastOpened = current ? null : await lastReviewOpenedAt(app.ctx, orgId);
    const notice = status === 200 ? noticeOf(request, NOTICES) : null;
    const next = lastOpened ? daysAfter(lastOpened, app.ctx.config.accessReview.periodDays) : null;
    return sendPage(request, reply, errors.length ? 'Erreur — Revue des habilitations' : 'Revue des habilitations', (csrf) => (
      <section>
        <h1 class="h3">Revue des habilitations</h1>
        <ErrorSummary errors={errors} />
        {notice ? <p class="alert alert-success" role="status">{notice}</p> : null}
        {current ? (
          <ReviewBody current={current} csrf={csrf} />
        ) : (
          <p>
            Aucune revue des habilitations n’est en cours pour votre organisme.
            {next ? ` La prochaine s’ouvrira à partir du ${formatDate(next)}.` : ''}
          </p>
        )}
        <p><a href="/gid">Retour à GID Partenaires</a></p>
      </section>
    ), status);
  };

  app.get('/gid/revue', { config }, (request, reply) => show(request, reply, []));

  app.withTypeProvider<ZodTypeProvider>().post('/gid/revue', { config, attachValidation: true, schema: { body: decisionForm } }, async (request, reply) => {
    if (request.validationError) return show(request, reply, formErrors(request), 422);
    const actor = actorOf(request);
    const result = await decideReviewItem(app.ctx, actor, actor.organisation?.id, request.body, requestMeta(request));
    return redirectAfterPost(reply, `/gid/revue?fait=${result.reviewClosed ? 'closed' : result.decision}`);
  });
}
