/**
 * The advisor's pages: the queue of quotes to decide (/conseiller/devis)
 * and a quote with its warnings, funding, timeline and the decision form. The services decide
 * everything (lifecycle, mandatory reason, stale version); the form posts here, then redirects
 * (303) with a confirmation, or shows the page again with the error under its field.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { uuidOr404 } from '../../../http/ids.js';
import { fieldErrorsFrom, type FieldError } from '../../../http/problem.js';
import { actorOf, requestMeta } from '../../../http/request-meta.js';
import { sendPage } from '../../../http/render.js';
import { formText } from '../../../http/views/form.js';
import { ErrorSummary } from '../../../http/views/layout.js';
import { QueueFilters, QueuePager, QueueTable, QUEUE_FILTERS, providerOrganisations, queryOf, rawQueueFilters } from '../queue/views.js';
import { advisorDecision } from './service.js';
import { availableActions, type QuoteStatus } from '../rules/lifecycle.js';
import { QUOTE_NOT_FOUND } from '../record/messages.js';
import { ADVISOR_FORM_ANCHORS, AdvisorDecisionForm, decisionProblem, noticeOf, versionFieldOf, type AdvisorFormValues } from './party-forms.js';
import { AgreementSection, DecisionErrors, DraftInProgress, FundingSection, Notice, WarningsPanel } from './party-views.js';
import { advisorOnly } from '../record/access.js';
import { advisorQueue, queueQuery } from '../queue/service.js';
import { QuoteRecord, Timeline, statusLabel, type QuoteView } from '../record/views.js';
import { getQuote } from '../record/service.js';

/** The confirmation after each decision, keyed by the redirect's `fait` parameter. */
function noticesFor(quote: QuoteView): Record<string, string> {
  return {
    valide: `Le devis est validé. La formation est créée (identifiant ${quote.trainingId ?? '—'}) et l’accord de prise en charge est disponible ci-dessous ; l’organisme et le candidat en sont informés par courriel.`,
    refuse: 'Le devis est refusé. L’organisme et le candidat sont informés du motif par courriel.',
    modifications: 'Les modifications sont demandées à l’organisme : il préparera une nouvelle version, que le candidat devra accepter à nouveau.',
  };
}

const DONE: Record<string, string> = { approve: 'valide', refuse: 'refuse', request_changes: 'modifications' };

async function queuePage(app: FastifyInstance, request: FastifyRequest, reply: FastifyReply) {
  const raw = rawQueueFilters(request.query);
  const parsed = queueQuery.safeParse(queryOf(raw));
  const errors: FieldError[] = parsed.success ? [] : fieldErrorsFrom(parsed.error.issues);
  const [organisations, listing] = await Promise.all([
    providerOrganisations(app.ctx),
    parsed.success ? advisorQueue(app.ctx, actorOf(request), parsed.data, requestMeta(request)) : null,
  ]);
  const shown = { ...raw, status: raw.status || 'accepted' };
  const link = (page: number) => `/conseiller/devis?${new URLSearchParams({ ...queryOf(raw), page: String(page) })}`;
  const title = 'File des devis à décider';
  return sendPage(
    request,
    reply,
    errors.length ? `Erreur — ${title}` : title,
    () => (
      <section aria-labelledby="titre-file">
        <h1 id="titre-file" class="h3">{title}</h1>
        <p>Les devis acceptés par le candidat attendent votre décision ; ceux qui attendent depuis le plus longtemps d’abord.</p>
        <ErrorSummary errors={errors.map((e) => ((QUEUE_FILTERS as readonly string[]).includes(e.field) && e.field !== 'page' ? e : { ...e, field: 'titre-file' }))} />
        <QueueFilters raw={shown} errors={errors} organisations={organisations} />
        {listing ? (
          <>
            <p id="nombre-devis" role="status">
              {listing.total === 0 ? 'Aucun devis ne correspond à ces critères.' : listing.total === 1 ? '1 devis correspond à ces critères.' : `${listing.total} devis correspondent à ces critères.`}
            </p>
            <QueueTable listing={listing} />
            <QueuePager listing={listing} link={link} />
          </>
        ) : null}
      </section>
    ),
    errors.length ? 422 : 200,
  );
}

interface QuotePageState {
  quote: QuoteView;
  notice?: string | null;
  errors?: FieldError[];
  values?: AdvisorFormValues;
  status?: number;
}

function renderQuote(app: FastifyInstance, request: FastifyRequest, reply: FastifyReply, s: QuotePageState) {
  const q = s.quote;
  const errors = s.errors ?? [];
  const canDecide = availableActions(q.status as QuoteStatus, 'advisor').length > 0;
  const heading = `Devis ${q.type} — ${q.candidate.lastName} (${q.candidate.identifier})`;
  return sendPage(
    request,
    reply,
    `${errors.length ? 'Erreur — ' : ''}${heading}`,
    (csrf) => (
      <>
        <h1 class="h3">{heading}</h1>
        <p><a href="/conseiller/devis">Retour à la file des devis</a></p>
        <p id="statut">
          Statut : <strong>{statusLabel(q.status)}</strong>, version {q.version}. Organisme : {q.organisation.name}.
        </p>
        <Notice text={s.notice} />
        <DecisionErrors errors={errors} anchors={ADVISOR_FORM_ANCHORS} />
        {q.status === 'draft' ? (
          <DraftInProgress />
        ) : (
          <>
            <WarningsPanel warnings={q.warnings} />
            <QuoteRecord quote={q} />
            <FundingSection quote={q} funder={app.ctx.config.operatorName} audience="advisor" />
          </>
        )}
        <AgreementSection quote={q} />
        {canDecide ? <AdvisorDecisionForm quote={q} csrf={csrf} values={s.values ?? { decision: '', reason: '' }} errors={errors} /> : null}
        <Timeline events={q.timeline ?? []} />
      </>
    ),
    s.status ?? 200,
  );
}

const idOf = (request: FastifyRequest) => uuidOr404((request.params as { id?: unknown }).id, QUOTE_NOT_FOUND);

export async function advisorQuotePages(app: FastifyInstance): Promise<void> {
  const config = { access: advisorOnly };

  app.get('/conseiller/devis', { config }, (request, reply) => queuePage(app, request, reply));

  app.get('/conseiller/devis/:id', { config }, async (request, reply) => {
    const quote = await getQuote(app.ctx, actorOf(request), idOf(request), requestMeta(request));
    return renderQuote(app, request, reply, { quote, notice: noticeOf(request.query, noticesFor(quote)) });
  });

  app.post('/conseiller/devis/:id/decision', { config }, async (request, reply) => {
    const id = idOf(request);
    const actor = actorOf(request);
    const meta = requestMeta(request);
    const values = { decision: formText(request.body, 'decision', 20), reason: formText(request.body, 'reason', 10_000) };
    const body = { ...(values.decision ? { decision: values.decision } : {}), reason: values.reason.trim() ? values.reason : null, ...versionFieldOf(request.body) };
    try {
      await advisorDecision(app.ctx, actor, id, body, meta);
    } catch (err) {
      const problem = decisionProblem(err);
      if (!problem) throw err;
      const quote = await getQuote(app.ctx, actor, id, meta);
      return renderQuote(app, request, reply, { quote, errors: problem.errors, values, status: problem.status });
    }
    return reply.redirect(`/conseiller/devis/${id}?fait=${DONE[values.decision]}`, 303);
  });
}
