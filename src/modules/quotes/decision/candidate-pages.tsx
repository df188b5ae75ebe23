/**
 * A quote in the candidate's space, /mon-espace/devis/{id} (the link of the submission mail), with
 * the accept / decline form. Every check is the services' (a quote of someone else answers the
 * same 404 as an unknown id); the form posts here, then redirects (303) with a notice, or shows
 * the page again with the error summary. The home that lists their quotes is queue/pages.tsx.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { formErrors, throwIfParamsRefused } from '../../../http/forms.js';
import type { FieldError } from '../../../http/problem.js';
import { actorOf, requestMeta } from '../../../http/request-meta.js';
import { sendPage } from '../../../http/render.js';
import { formText } from '../../../http/views/form.js';
import { candidateOnly } from '../../habilitations/policy.js';
import { availableActions, type QuoteStatus } from '../rules/lifecycle.js';
import { quoteIdParams } from '../record/schemas.js';
import { getQuote } from '../record/service.js';
import { Timeline, type QuoteView } from '../record/views.js';
import { CANDIDATE_FORM_ANCHORS, CandidateDecisionForm, decisionProblem, noticeOf } from './party-forms.js';
import { AgreementSection, DecisionErrors, DraftInProgress, FundingSection, Notice, TrainingFacts, candidateStatusLabel } from './party-views.js';
import { candidateDecisionForm, decisionPageQuery } from './schemas.js';
import { candidateDecision } from './service.js';

const NOTICES: Record<string, string> = {
  accepte: 'Vous avez accepté le devis. Votre conseiller va l’examiner ; vous serez prévenu par courriel de sa décision.',
  decline: 'Vous avez décliné le devis. L’organisme de formation en est informé.',
};

interface QuotePageState {
  quote: QuoteView;
  notice?: string | null;
  errors?: FieldError[];
  comment?: string;
  status?: number;
}

function renderQuote(app: FastifyInstance, request: FastifyRequest, reply: FastifyReply, s: QuotePageState) {
  const q = s.quote;
  const errors = s.errors ?? [];
  const canAnswer = availableActions(q.status as QuoteStatus, 'candidate').length > 0;
  const heading = `Devis de formation : ${q.training.title}`;
  return sendPage(
    request,
    reply,
    `${errors.length ? 'Erreur — ' : ''}${heading}`,
    (csrf) => (
      <>
        <h1 class="h3">{heading}</h1>
        <p><a href="/mon-espace">Retour à mon espace</a></p>
        <p id="statut">
          Statut : <strong>{candidateStatusLabel(q.status)}</strong>{q.version > 1 ? ` (version ${q.version})` : ''}.
        </p>
        <Notice text={s.notice} />
        <DecisionErrors errors={errors} anchors={CANDIDATE_FORM_ANCHORS} />
        {q.status === 'draft' ? (
          <DraftInProgress />
        ) : (
          <>
            <TrainingFacts quote={q} />
            <FundingSection quote={q} funder={app.ctx.config.operatorName} audience="candidate" />
          </>
        )}
        <AgreementSection quote={q} />
        {canAnswer ? <CandidateDecisionForm quote={q} csrf={csrf} comment={s.comment ?? ''} errors={errors} /> : null}
        <Timeline events={q.timeline ?? []} />
      </>
    ),
    s.status ?? 200,
  );
}

export async function candidateDecisionPages(fastify: FastifyInstance): Promise<void> {
  const app = fastify.withTypeProvider<ZodTypeProvider>();
  const config = { access: candidateOnly };

  app.get('/mon-espace/devis/:id', { config, schema: { params: quoteIdParams, querystring: decisionPageQuery } }, async (request, reply) => {
    const quote = await getQuote(app.ctx, actorOf(request), request.params.id, requestMeta(request));
    return renderQuote(app, request, reply, { quote, notice: noticeOf(request.query.fait, NOTICES) });
  });

  app.post('/mon-espace/devis/:id/decision', { config, attachValidation: true, schema: { params: quoteIdParams, body: candidateDecisionForm } }, async (request, reply) => {
    throwIfParamsRefused(request);
    const { id } = request.params;
    const actor = actorOf(request);
    const meta = requestMeta(request);
    // Someone else's quote is a 404 before anything typed is judged.
    if (request.validationError) {
      const quote = await getQuote(app.ctx, actor, id, meta);
      return renderQuote(app, request, reply, { quote, errors: formErrors(request), comment: formText(request.body, 'comment', 10_000), status: 422 });
    }
    const input = request.body;
    try {
      await candidateDecision(app.ctx, actor, id, input, meta);
    } catch (err) {
      const problem = decisionProblem(err);
      if (!problem) throw err;
      const quote = await getQuote(app.ctx, actor, id, meta);
      return renderQuote(app, request, reply, { quote, errors: problem.errors, comment: input.comment ?? '', status: problem.status });
    }
    return reply.redirect(`/mon-espace/devis/${id}?fait=${input.decision === 'accept' ? 'accepte' : 'decline'}`, 303);
  });
}
