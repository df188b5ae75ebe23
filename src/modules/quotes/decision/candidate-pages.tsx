/**
 * The candidate's space: /mon-espace lists their quotes, /mon-espace/devis/{id}
 * shows one (the link of the submission mail) with the accept / decline form. Every check is the
 * services' (a quote of someone else answers the same 404 as an unknown id); the form posts here,
 * then redirects (303) with a notice, or shows the page again with the error summary.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { ComponentChildren } from 'preact';
import { formatDateTime } from '../../../http/format.js';
import { uuidOr404 } from '../../../http/ids.js';
import type { FieldError } from '../../../http/problem.js';
import { actorOf, requestMeta } from '../../../http/request-meta.js';
import { sendPage } from '../../../http/render.js';
import { formText } from '../../../http/views/form.js';
import { candidateOnly, type Actor } from '../../habilitations/policy.js';
import { formatFrenchDate } from '../rules/holidays.js';
import { availableActions, type QuoteStatus } from '../rules/lifecycle.js';
import { candidateDecision } from './service.js';
import { QUOTE_NOT_FOUND } from '../record/messages.js';
import { CANDIDATE_FORM_ANCHORS, CandidateDecisionForm, decisionProblem, noticeOf, versionFieldOf } from './party-forms.js';
import { AgreementSection, DecisionErrors, DraftInProgress, FundingSection, Notice, TrainingFacts, candidateStatusLabel } from './party-views.js';
import { candidateQuotes } from '../queue/service.js';
import { Timeline, type QuoteView } from '../record/views.js';
import { getQuote } from '../record/service.js';
import { trainingSpaceSection } from '../../training/me-pages.js';

/**
 * The blocks of the candidate's home, in order. Other modules add theirs here (the training
 * follow-up: "Mes formations") rather than building another home page.
 */
export interface CandidateSpaceSection {
  /** Id of the section element (and prefix of its heading's id). */
  id: string;
  title: string;
  content(app: FastifyInstance, actor: Actor): Promise<ComponentChildren>;
}

const NOTICES: Record<string, string> = {
  accepte: 'Vous avez accepté le devis. Votre conseiller va l’examiner ; vous serez prévenu par courriel de sa décision.',
  decline: 'Vous avez décliné le devis. L’organisme de formation en est informé.',
};

async function myQuotesSection(app: FastifyInstance, actor: Actor): Promise<ComponentChildren> {
  const { quotes } = await candidateQuotes(app.ctx, actor);
  if (quotes.length === 0) {
    return <p>Vous n’avez aucun devis pour le moment. Quand un organisme de formation vous en proposera un, vous recevrez un courriel et il apparaîtra ici.</p>;
  }
  const waiting = quotes.filter((q) => q.status === 'submitted').length;
  return (
    <>
      <p id="devis-en-attente">{waiting === 0 ? 'Aucun devis n’attend votre réponse.' : waiting === 1 ? 'Un devis attend votre réponse.' : `${waiting} devis attendent votre réponse.`}</p>
      <table class="table align-middle">
        <caption class="visually-hidden">Mes devis de formation, les plus récents d’abord</caption>
        <thead>
          <tr><th scope="col">Formation</th><th scope="col">Organisme</th><th scope="col">Dates</th><th scope="col">Statut</th><th scope="col">Reçu le</th></tr>
        </thead>
        <tbody>
          {quotes.map((q) => (
            <tr data-quote={q.id}>
              <th scope="row"><a href={`/mon-espace/devis/${q.id}`}>{q.title}</a></th>
              <td>{q.organisation.name}</td>
              <td>du {formatFrenchDate(q.startDate)} au {formatFrenchDate(q.endDate)}</td>
              <td>{q.status === 'submitted' ? <strong>{candidateStatusLabel(q.status)}</strong> : candidateStatusLabel(q.status)}</td>
              <td>{formatDateTime(new Date(q.submittedAt))}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </>
  );
}

export const CANDIDATE_SPACE_SECTIONS: CandidateSpaceSection[] = [
  { id: 'mes-devis', title: 'Mes devis', content: myQuotesSection },
  { id: 'mes-formations', title: 'Mes formations', content: trainingSpaceSection },
];

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

const idOf = (request: FastifyRequest) => uuidOr404((request.params as { id?: unknown }).id, QUOTE_NOT_FOUND);

export async function candidateQuotePages(app: FastifyInstance): Promise<void> {
  const config = { access: candidateOnly };

  app.get('/mon-espace', { config }, async (request, reply) => {
    const actor = actorOf(request);
    const sections = await Promise.all(CANDIDATE_SPACE_SECTIONS.map(async (s) => ({ ...s, body: await s.content(app, actor) })));
    return sendPage(request, reply, 'Mon espace', () => (
      <>
        <h1 class="h3 mb-3">Mon espace</h1>
        {sections.map((s) => (
          <section id={s.id} aria-labelledby={`titre-${s.id}`} class="mb-4">
            <h2 id={`titre-${s.id}`} class="h4">{s.title}</h2>
            {s.body}
          </section>
        ))}
      </>
    ));
  });

  app.get('/mon-espace/devis/:id', { config }, async (request, reply) => {
    const quote = await getQuote(app.ctx, actorOf(request), idOf(request), requestMeta(request));
    return renderQuote(app, request, reply, { quote, notice: noticeOf(request.query, NOTICES) });
  });

  app.post('/mon-espace/devis/:id/decision', { config }, async (request, reply) => {
    const id = idOf(request);
    const actor = actorOf(request);
    const meta = requestMeta(request);
    const decision = formText(request.body, 'decision', 20);
    const comment = formText(request.body, 'comment', 10_000);
    const body = { ...(decision ? { decision } : {}), comment: comment.trim() ? comment : null, ...versionFieldOf(request.body) };
    try {
      await candidateDecision(app.ctx, actor, id, body, meta);
    } catch (err) {
      const problem = decisionProblem(err);
      if (!problem) throw err;
      const quote = await getQuote(app.ctx, actor, id, meta);
      return renderQuote(app, request, reply, { quote, errors: problem.errors, comment, status: problem.status });
    }
    return reply.redirect(`/mon-espace/devis/${id}?fait=${decision === 'accept' ? 'accepte' : 'decline'}`, 303);
  });
}
