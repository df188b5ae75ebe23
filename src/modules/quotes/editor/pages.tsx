/**
 * The quote editor's pages (for training organisations): the list, the
 * editor form of a draft (new or existing), the read-only view of a submitted version with its
 * timeline, and the preview fragment htmx asks for while typing. The form is judged by the API's
 * quote schema declared on the route (schemas.ts), every other check is the service's, as for the
 * API; forms post here, then redirect (303) with a notice or re-render with errors.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { renderToString } from 'preact-render-to-string';
import { formErrors, throwIfParamsRefused } from '../../../http/forms.js';
import { uuidOr404 } from '../../../http/ids.js';
import { HttpProblem, problems, type FieldError } from '../../../http/problem.js';
import { actorOf, requestMeta } from '../../../http/request-meta.js';
import { sendPage } from '../../../http/render.js';
import { formText } from '../../../http/views/form.js';
import { ExportLinks } from '../../../http/views/export-links.js';
import { QUOTE_STATUSES } from '../rules/lifecycle.js';
import type { QuoteInput } from '../rules/quote-schema.js';
import { quoteEditor } from '../record/access.js';
import { quoteIdParams } from '../record/schemas.js';
import { getQuote } from '../record/service.js';
import { ChangeRequest, QuoteActions, QuoteRecord, TemplateSaveForm, Timeline, statusLabel, type QuoteView } from '../record/views.js';
import { TEMPLATE_NOT_FOUND, getTemplate } from '../templates/service.js';
import { QuoteErrorSummary, WarningSummary } from './editor-alerts.js';
import { SummaryRegion, TotalsList, editorTotals } from './editor-summary.js';
import { EditorForm } from './editor-views.js';
import { emptyFormValues, formValuesFromBody, formValuesOf, quoteFormErrors, trainingValuesOf, type FormValues } from './form-input.js';
import { QuoteList, type ListFilters } from './list-views.js';
import { listPageQuery, newQuoteQuery, noticeQuery, quoteActionForm, quoteFormBody, quoteFormFields, type QuoteFormExtras } from './schemas.js';
import { cancelQuote, createQuote, listQuotes, newQuoteVersion, patchQuote, submitQuote } from './service.js';

const NOTICES: Record<string, string> = {
  enregistre: 'Le brouillon est enregistré.',
  soumis: 'Le devis est soumis au candidat : il le verra dans son espace. Cette version n’est plus modifiable.',
  annule: 'Le devis est annulé.',
  'nouvelle-version': 'Une nouvelle version est ouverte en brouillon : corrigez-la puis soumettez-la.',
};

/** A fixed message chosen by the `fait` key of a redirect: nothing typed is echoed back. */
function noticeOf(key: string): string | null {
  return Object.hasOwn(NOTICES, key) ? NOTICES[key] : null;
}

/** Problems a form shows next to its fields; anything else (403, 404, 409) is an error page. */
export function formProblem(err: unknown): HttpProblem | null {
  return err instanceof HttpProblem && err.status === 422 ? err : null;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export interface QuotePageState {
  /** null for a quote not stored yet. */
  quote: QuoteView | null;
  /** What the form shows; the stored quote's values by default. */
  values?: FormValues;
  errors?: FieldError[];
  /** Shown next to fields only when they describe what the form shows (the stored quote). */
  warnings?: FieldError[];
  notice?: string | null;
  /** The template a new quote starts from, recorded with its creation. */
  fromTemplate?: string;
  templateName?: string;
  /** Why "save as template" was refused, shown under its name field. */
  templateError?: string;
  status?: number;
}

function Notice({ text }: { text: string | null | undefined }) {
  return text ? <p class="alert alert-success" role="status" id="avis">{text}</p> : null;
}

function headingOf(quote: QuoteView | null): string {
  if (!quote) return 'Nouveau devis';
  return `Devis ${quote.type} — ${quote.candidate.lastName} (${quote.candidate.identifier})`;
}

/** The editor for a draft (or a new quote), the record otherwise (submitted versions are immutable). */
export function renderQuotePage(request: FastifyRequest, reply: FastifyReply, s: QuotePageState) {
  const q = s.quote;
  const errors = s.errors ?? [];
  const heading = headingOf(q);
  const title = `${errors.length || s.templateError ? 'Erreur — ' : ''}${heading}`;
  const summary = s.templateError ? [...errors, { field: 'modele.nom', message: s.templateError }] : errors;
  const editable = !q || q.status === 'draft';
  const values = s.values ?? (q ? formValuesOf(q) : emptyFormValues());
  const warnings = s.warnings ?? (s.values ? [] : (q?.warnings ?? []));
  return sendPage(
    request,
    reply,
    title,
    (csrf) => (
      <>
        <h1 class="h3">{heading}</h1>
        <p class="mb-2 d-flex gap-3 flex-wrap">
          <a href="/devis">Retour à la liste des devis</a>
          <a href="/aide/formulaire-de-devis">Aide : remplir le formulaire de devis</a>
        </p>
        {q ? (
          <p id="statut">
            Statut : <strong>{statusLabel(q.status)}</strong>, version {q.version}.
            {editable ? ' Vous pouvez le modifier jusqu’à sa soumission.' : ' Cette version est soumise : elle n’est plus modifiable.'}
          </p>
        ) : null}
        <Notice text={s.notice ?? null} />
        {q ? <ChangeRequest quote={q} /> : null}
        <QuoteErrorSummary errors={summary} />
        <WarningSummary warnings={warnings} />
        {editable ? (
          <EditorForm action={q ? `/devis/${q.id}` : '/devis/nouveau'} templateId={q ? undefined : s.fromTemplate} csrf={csrf} values={values} fb={{ errors, warnings }} totals={editorTotals(values)} />
        ) : q ? (
          <>
            <QuoteRecord quote={q} />
            <SummaryRegion totals={editorTotals(values)} live={false} />
          </>
        ) : null}
        {q ? (
          <>
            <QuoteActions quote={q} csrf={csrf} />
            <TemplateSaveForm quoteId={q.id} csrf={csrf} name={s.templateName ?? ''} error={s.templateError} />
            <Timeline events={q.timeline ?? []} />
          </>
        ) : null}
      </>
    ),
    s.status ?? 200,
  );
}

/** Lenient filters: a page should show the list, not an error, for a hand-edited address. */
function filtersOf(query: { status: string; q: string; erreurs: string; page: string }): ListFilters {
  return {
    status: (QUOTE_STATUSES as readonly string[]).includes(query.status) ? query.status : '',
    q: query.q.trim(),
    errors: query.erreurs === 'oui',
    page: /^\d{1,5}$/.test(query.page) ? Math.min(10_000, Math.max(1, Number(query.page))) : 1,
  };
}

async function newQuoteState(app: FastifyInstance, request: FastifyRequest, modele: string): Promise<QuotePageState> {
  if (!modele) return { quote: null };
  const template = await getTemplate(app.ctx, actorOf(request), uuidOr404(modele, TEMPLATE_NOT_FOUND));
  return {
    quote: null,
    fromTemplate: template.id,
    values: { ...emptyFormValues(), type: template.type, training: trainingValuesOf(template.training) },
    notice: `Formation reprise du modèle « ${template.name} » : vérifiez les dates, puis complétez le candidat et les coûts.`,
  };
}

/** The editor form once its route's schema accepted it: the quote, and what the form adds. */
type JudgedForm = QuoteInput & { form: QuoteFormExtras };

/** The template named by the new-quote form's hidden field, if it is still one of the organisation's. */
async function templateOfForm(app: FastifyInstance, request: FastifyRequest, judged: JudgedForm | null): Promise<string | undefined> {
  const id = judged ? judged.form.modele : formText(request.body, 'modele', 100);
  if (!UUID.test(id)) return undefined;
  return getTemplate(app.ctx, actorOf(request), id).then((t) => t.id, () => undefined);
}

/**
 * Saves the form as a draft (create or patch), then submits it when that button was used. A form
 * the schema refused (`judged` null) is shown again as typed, with its errors.
 */
async function saveFromForm(app: FastifyInstance, request: FastifyRequest, reply: FastifyReply, existing: QuoteView | null, judged: JudgedForm | null) {
  const actor = actorOf(request);
  const meta = requestMeta(request);
  const fromTemplate = existing ? undefined : await templateOfForm(app, request, judged);
  if (!judged) {
    const values = formValuesFromBody(request.body);
    return renderQuotePage(request, reply, { quote: existing, values, fromTemplate, errors: quoteFormErrors(formErrors(request)), status: 422 });
  }
  const { form, ...input } = judged;
  let saved: QuoteView;
  try {
    saved = existing ? await patchQuote(app.ctx, actor, existing.id, input, meta) : await createQuote(app.ctx, actor, input, meta, { templateId: fromTemplate });
  } catch (err) {
    const problem = formProblem(err);
    if (!problem) throw err;
    return renderQuotePage(request, reply, { quote: existing, values: form.values, fromTemplate, errors: problem.errors ?? [], status: 422 });
  }
  if (form.action !== 'soumettre') return reply.redirect(`/devis/${saved.id}?fait=enregistre`, 303);
  try {
    await submitQuote(app.ctx, actor, saved.id, meta);
  } catch (err) {
    const problem = formProblem(err);
    if (!problem) throw err;
    const notice = 'Le brouillon est enregistré, mais il ne peut pas encore être soumis : corrigez les points indiqués puis soumettez-le à nouveau.';
    return renderQuotePage(request, reply, { quote: saved, errors: problem.errors ?? [], notice, status: 422 });
  }
  return reply.redirect(`/devis/${saved.id}?fait=soumis`, 303);
}

export async function quotePages(fastify: FastifyInstance): Promise<void> {
  const app = fastify.withTypeProvider<ZodTypeProvider>();
  const config = { access: quoteEditor };
  const form = { config, attachValidation: true };

  app.get('/devis', { config, schema: { querystring: listPageQuery } }, async (request, reply) => {
    const f = filtersOf(request.query);
    const query = { page: f.page, ...(f.status ? { status: f.status } : {}), ...(f.q ? { q: f.q } : {}), ...(f.errors ? { erreurs: 'oui' as const } : {}) };
    const listing = await listQuotes(app.ctx, actorOf(request), query, requestMeta(request));
    return sendPage(request, reply, 'Devis', () => (
      <>
        <h1 class="h3">Devis de formation</h1>
        <p class="d-flex gap-3 flex-wrap">
          <a class="btn btn-primary" href="/devis/nouveau">Nouveau devis</a>
          <a class="btn btn-outline-secondary" href="/devis/modeles">Modèles de devis</a>
        </p>
        <QuoteList f={f} listing={listing} />
        <ExportLinks kind="quotes" label="Devis de la liste, toutes les pages" filters={{ status: (QUOTE_STATUSES as readonly string[]).includes(f.status) ? f.status : null, q: f.q, erreurs: f.errors ? 'oui' : null }} />
      </>
    ));
  });

  app.get('/devis/nouveau', { config, schema: { querystring: newQuoteQuery } }, async (request, reply) => {
    return renderQuotePage(request, reply, await newQuoteState(app, request, request.query.modele));
  });

  app.post('/devis/nouveau', { ...form, schema: { body: quoteFormBody } }, (request, reply) => saveFromForm(app, request, reply, null, request.validationError ? null : request.body));

  // The live summary: computed from the form as typed, nothing stored.
  app.post('/devis/apercu', { config, schema: { body: quoteFormFields } }, async (request, reply) => {
    const html = renderToString(<TotalsList totals={editorTotals(formValuesFromBody(request.body))} />);
    return reply.type('text/html; charset=utf-8').header('cache-control', 'no-store').send(html);
  });

  app.get('/devis/:id', { config, schema: { params: quoteIdParams, querystring: noticeQuery } }, async (request, reply) => {
    const quote = await getQuote(app.ctx, actorOf(request), request.params.id, requestMeta(request));
    return renderQuotePage(request, reply, { quote, notice: noticeOf(request.query.fait) });
  });

  app.post('/devis/:id', { ...form, schema: { params: quoteIdParams, body: quoteFormBody } }, async (request, reply) => {
    throwIfParamsRefused(request);
    const existing = await getQuote(app.ctx, actorOf(request), request.params.id, requestMeta(request));
    // Submitted versions are immutable: say so before judging what was typed.
    if (existing.status !== 'draft') throw problems.conflict(`Ce devis n’est plus modifiable (statut : ${statusLabel(existing.status)}) : seule une version en brouillon l’est. Rechargez la page pour voir son état actuel.`);
    return saveFromForm(app, request, reply, existing, request.validationError ? null : request.body);
  });

  app.post('/devis/:id/annuler', { config, schema: { params: quoteIdParams, body: quoteActionForm } }, async (request, reply) => {
    const { id } = request.params;
    await cancelQuote(app.ctx, actorOf(request), id, requestMeta(request));
    return reply.redirect(`/devis/${id}?fait=annule`, 303);
  });

  app.post('/devis/:id/nouvelle-version', { config, schema: { params: quoteIdParams, body: quoteActionForm } }, async (request, reply) => {
    const view = await newQuoteVersion(app.ctx, actorOf(request), request.params.id, requestMeta(request));
    return reply.redirect(`/devis/${view.id}?fait=nouvelle-version`, 303);
  });
}
