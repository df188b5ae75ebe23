/**
 * A quote for the advisor (/conseiller/devis/{id}): its warnings, funding, timeline and the
 * decision form. The services decide everything (lifecycle, mandatory reason, stale version);
 * the form posts here, then redirects (303) with a confirmation, or shows the page again with the
 * error under its field. The queue of quotes to decide is queue/pages.tsx.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { formErrors, throwIfParamsRefused } from '../../../http/forms.js';
import type { FieldError } from '../../../http/problem.js';
import { actorOf, requestMeta } from '../../../http/request-meta.js';
import { sendPage } from '../../../http/render.js';
import { formText } from '../../../http/views/form.js';
import { availableActions, type QuoteStatus } from '../rules/lifecycle.js';
import { advisorOnly } from '../record/access.js';
import { quoteIdParams } from '../record/schemas.js';
import { getQuote } from '../record/service.js';
import { QuoteRecord, Timeline, statusLabel, type QuoteView } from '../record/views.js';
import { ADVISOR_FORM_ANCHORS, AdvisorDecisionForm, decisionProblem, noticeOf, type AdvisorFormValues } from './party-forms.js';
import { AgreementSection, DecisionErrors, DraftInProgress, FundingSection, Notice, WarningsPanel } from './party-views.js';
import { advisorDecisionForm, decisionPageQuery } from './schemas.js';
import { advisorDecision } from './service.js';

/** The confirmation after each decision, keyed by the redirect's `fait` parameter. */
function noticesFor(quote: QuoteView): Record<string, string> {
  return {
    valide: `Le devis est validé. La formation est créée (identifiant ${quote.trainingId ?? '—'}) et l’accord de prise en charge est disponible ci-dessous ; l’organisme et le candidat en sont informés par courriel.`,
    refuse: 'Le devis est refusé. L’organisme et le candidat sont informés du motif par courriel.',
    modifications: 'Les modifications sont demandées à l’organisme : il préparera une nouvelle version, que le candidat devra accepter à nouveau.',
  };
}

const DONE: Record<string, string> = { approve: 'valide', refuse: 'refuse', request_changes: 'modifications' };

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

export async function advisorDecisionPages(fastify: FastifyInstance): Promise<void> {
  const app = fastify.withTypeProvider<ZodTypeProvider>();
  const config = { access: advisorOnly };

  app.get('/conseiller/devis/:id', { config, schema: { params: quoteIdParams, querystring: decisionPageQuery } }, async (request, reply) => {
    const quote = await getQuote(app.ctx, actorOf(request), request.params.id, requestMeta(request));
    return renderQuote(app, request, reply, { quote, notice: noticeOf(request.query.fait, noticesFor(quote)) });
  });

  app.post('/conseiller/devis/:id/decision', { config, attachValidation: true, schema: { params: quoteIdParams, body: advisorDecisionForm } }, async (request, reply) => {
    throwIfParamsRefused(request);
    const { id } = request.params;
    const actor = actorOf(request);
    const meta = requestMeta(request);
    // A quote out of reach is a 404 before anything typed is judged.
    if (request.validationError) {
      const quote = await getQuote(app.ctx, actor, id, meta);
      const values = { decision: formText(request.body, 'decision', 20), reason: formText(request.body, 'reason', 10_000) };
      return renderQuote(app, request, reply, { quote, errors: formErrors(request), values, status: 422 });
    }
    const input = request.body;
    try {
      await advisorDecision(app.ctx, actor, id, input, meta);
    } catch (err) {
      const problem = decisionProblem(err);
      if (!problem) throw err;
      const quote = await getQuote(app.ctx, actor, id, meta);
      return renderQuote(app, request, reply, { quote, errors: problem.errors, values: { decision: input.decision, reason: input.reason ?? '' }, status: problem.status });
    }
    return reply.redirect(`/conseiller/devis/${id}?fait=${DONE[input.decision]}`, 303);
  });
}
