/**
 * Quote template pages: the organisation's templates (rename, delete, start a
 * quote from one) and the "save the training as a template" form of a quote page. The service
 * checks names and ownership; its 422 problems are shown next to the field that caused them.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { formErrors, throwIfParamsRefused } from '../../../http/forms.js';
import type { FieldError } from '../../../http/problem.js';
import { actorOf, requestMeta } from '../../../http/request-meta.js';
import { sendPage } from '../../../http/render.js';
import { formText } from '../../../http/views/form.js';
import { CsrfField } from '../../../http/views/layout.js';
import { formatDateTime } from '../../../http/format.js';
import { formatFrenchDate } from '../rules/holidays.js';
import { quoteEditor } from '../record/access.js';
import { quoteIdParams } from '../record/schemas.js';
import { getQuote } from '../record/service.js';
import { formProblem, renderQuotePage } from '../editor/pages.js';
import { templateActionForm, templateIdParams, templateNameForm, templatesPageQuery } from './schemas.js';
import { createTemplate, deleteTemplate, getTemplate, listTemplates, renameTemplate, type TemplateView } from './service.js';

const NOTICES: Record<string, string> = {
  cree: 'Le modèle est enregistré : utilisez-le pour commencer un nouveau devis.',
  renomme: 'Le modèle est renommé.',
  supprime: 'Le modèle est supprimé. Les devis commencés à partir de lui ne changent pas.',
};

/** A rename refused for one template: its row shows the typed name and the message. */
interface RowError {
  templateId: string;
  name: string;
  message: string;
}

const nameInputId = (templateId: string) => `modele-${templateId}-nom`;

function TemplateRow({ t, csrf, error }: { t: TemplateView; csrf: string; error: RowError | null }) {
  const inputId = nameInputId(t.id);
  return (
    <tr data-template={t.id}>
      <th scope="row">{t.name}</th>
      <td>{t.type}</td>
      <td>
        {t.training.title}
        <span class="d-block small text-body-secondary">du {formatFrenchDate(t.training.startDate)} au {formatFrenchDate(t.training.endDate)}</span>
      </td>
      <td>{formatDateTime(new Date(t.updatedAt))}</td>
      <td>
        <a class="btn btn-sm btn-primary mb-2" href={`/devis/nouveau?modele=${t.id}`}>Utiliser<span class="visually-hidden"> le modèle {t.name}</span></a>
        <form method="post" action={`/devis/modeles/${t.id}/renommer`} class="d-flex gap-2 align-items-start mb-2" novalidate>
          <CsrfField token={csrf} />
          <div>
            <label class="visually-hidden" for={inputId}>Nouveau nom du modèle {t.name}</label>
            <input class={`form-control form-control-sm${error ? ' is-invalid' : ''}`} id={inputId} name="name" value={error ? error.name : t.name} maxLength={100} aria-invalid={error ? 'true' : undefined} aria-describedby={error ? `${inputId}-erreur` : undefined} />
            {error ? <div id={`${inputId}-erreur`} class="invalid-feedback d-block">{error.message}</div> : null}
          </div>
          <button type="submit" class="btn btn-sm btn-outline-secondary">Renommer<span class="visually-hidden"> le modèle {t.name}</span></button>
        </form>
        <form method="post" action={`/devis/modeles/${t.id}/supprimer`}>
          <CsrfField token={csrf} />
          <button type="submit" class="btn btn-sm btn-outline-danger">Supprimer<span class="visually-hidden"> le modèle {t.name}</span></button>
        </form>
      </td>
    </tr>
  );
}

async function showTemplates(app: FastifyInstance, request: FastifyRequest, reply: FastifyReply, error: RowError | null = null, status = 200) {
  const { templates } = await listTemplates(app.ctx, actorOf(request));
  const key = formText(request.query, 'fait', 20);
  const notice = status === 200 && Object.hasOwn(NOTICES, key) ? NOTICES[key] : null;
  return sendPage(request, reply, `${error ? 'Erreur — ' : ''}Modèles de devis`, (csrf) => (
    <>
      <h1 class="h3">Modèles de devis</h1>
      <p class="mb-2"><a href="/devis">Retour à la liste des devis</a></p>
      {error ? (
        <div class="alert alert-danger" role="alert" id="resume-erreurs">
          <h2 class="h5">Le modèle n’a pas été renommé</h2>
          <ul class="mb-0"><li><a class="alert-link" href={`#${nameInputId(error.templateId)}`}>{error.message}</a></li></ul>
        </div>
      ) : null}
      {notice ? <p class="alert alert-success" role="status" id="avis">{notice}</p> : null}
      <p>Un modèle reprend la partie « formation » d’un devis. Pour en créer un, ouvrez un devis et utilisez « Enregistrer comme modèle ».</p>
      {templates.length === 0 ? (
        <p id="aucun-modele">Votre organisme n’a encore aucun modèle de devis.</p>
      ) : (
        <table class="table align-top">
          <caption class="visually-hidden">Modèles de devis de votre organisme</caption>
          <thead>
            <tr><th scope="col">Nom</th><th scope="col">Type</th><th scope="col">Formation</th><th scope="col">Modifié le</th><th scope="col">Actions</th></tr>
          </thead>
          <tbody>
            {templates.map((t) => <TemplateRow t={t} csrf={csrf} error={error?.templateId === t.id ? error : null} />)}
          </tbody>
        </table>
      )}
    </>
  ), status);
}

const firstMessage = (errors: FieldError[] | undefined, fallback: string) => errors?.find((e) => e.field === 'name')?.message ?? errors?.[0]?.message ?? fallback;

export async function quoteTemplatePages(fastify: FastifyInstance): Promise<void> {
  const app = fastify.withTypeProvider<ZodTypeProvider>();
  const config = { access: quoteEditor };
  const form = { config, attachValidation: true };

  app.get('/devis/modeles', { config, schema: { querystring: templatesPageQuery } }, (request, reply) => showTemplates(app, request, reply));

  app.post('/devis/modeles/:id/renommer', { ...form, schema: { params: templateIdParams, body: templateNameForm } }, async (request, reply) => {
    throwIfParamsRefused(request);
    const { id } = request.params;
    const actor = actorOf(request);
    // The template is looked up before its new name is judged: another organisation's is a 404.
    if (request.validationError) {
      await getTemplate(app.ctx, actor, id);
      return showTemplates(app, request, reply, { templateId: id, name: formText(request.body, 'name', 1000), message: firstMessage(formErrors(request), '') }, 422);
    }
    const { name } = request.body;
    try {
      await renameTemplate(app.ctx, actor, id, name, requestMeta(request));
    } catch (err) {
      const problem = formProblem(err);
      if (!problem) throw err;
      return showTemplates(app, request, reply, { templateId: id, name, message: firstMessage(problem.errors, problem.detail) }, 422);
    }
    return reply.redirect('/devis/modeles?fait=renomme', 303);
  });

  app.post('/devis/modeles/:id/supprimer', { config, schema: { params: templateIdParams, body: templateActionForm } }, async (request, reply) => {
    await deleteTemplate(app.ctx, actorOf(request), request.params.id, requestMeta(request));
    return reply.redirect('/devis/modeles?fait=supprime', 303);
  });

  // From a quote page: the quote's stored training section becomes a template.
  app.post('/devis/:id/modele', { ...form, schema: { params: quoteIdParams, body: templateNameForm } }, async (request, reply) => {
    throwIfParamsRefused(request);
    const actor = actorOf(request);
    const quote = await getQuote(app.ctx, actor, request.params.id, requestMeta(request));
    if (request.validationError) {
      const typed = formText(request.body, 'name', 1000);
      return renderQuotePage(request, reply, { quote, templateName: typed, templateError: firstMessage(formErrors(request), ''), status: 422 });
    }
    const { name } = request.body;
    try {
      await createTemplate(app.ctx, actor, { name, quoteId: quote.id }, requestMeta(request));
    } catch (err) {
      const problem = formProblem(err);
      if (!problem) throw err;
      return renderQuotePage(request, reply, { quote, templateName: name, templateError: firstMessage(problem.errors, problem.detail), status: 422 });
    }
    return reply.redirect('/devis/modeles?fait=cree', 303);
  });
}
