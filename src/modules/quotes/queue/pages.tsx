/**
 * The lists of quotes outside the organisation: the advisor's queue of quotes to decide
 * (/conseiller/devis, a GET form of filters judged by the API's query schema) and the
 * candidate's home (/mon-espace), whose blocks other modules contribute to.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import type { ComponentChildren } from 'preact';
import { formatDateTime } from '../../../http/format.js';
import { formErrors } from '../../../http/forms.js';
import type { FieldError } from '../../../http/problem.js';
import { actorOf, requestMeta } from '../../../http/request-meta.js';
import { sendPage } from '../../../http/render.js';
import { ErrorSummary } from '../../../http/views/layout.js';
import { candidateOnly, type Actor } from '../../habilitations/policy.js';
import { trainingSpaceSection } from '../../training/index.js';
import { formatFrenchDate } from '../rules/holidays.js';
import { advisorOnly } from '../record/access.js';
import { candidateStatusLabel } from '../decision/party-views.js';
import { QUEUE_FILTERS, queryOf, queuePageQuery, rawQueueFilters, type QueueQuery, type RawQueueFilters } from './schemas.js';
import { advisorQueue, candidateQuotes, queueOrganisations } from './service.js';
import { QueueFilters, QueuePager, QueueTable } from './views.js';

/** `filters` as the route's schema judged them, or null when it refused them (the raw query is then shown with its errors). */
async function queuePage(app: FastifyInstance, request: FastifyRequest, reply: FastifyReply, filters: QueueQuery & { raw: RawQueueFilters } | null) {
  const raw = filters ? filters.raw : rawQueueFilters(request.query);
  const errors: FieldError[] = filters ? [] : formErrors(request);
  const [organisations, listing] = await Promise.all([
    queueOrganisations(app.ctx),
    filters ? advisorQueue(app.ctx, actorOf(request), filters, requestMeta(request)) : null,
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

async function myQuotesSection(app: FastifyInstance, actor: Actor): Promise<ComponentChildren> {
  const { quotes } = await candidateQuotes(app.ctx, actor);
  if (quotes.length === 0) {
    return <p>Vous n’avez aucun devis pour le moment. Quand un organisme de formation vous en proposera un, vous recevrez un courriel et il apparaîtra ici.</p>;
  }
  const waiting = quotes.filter((q) => q.status === 'submitted').length;
  return (
    <>
      <p id="devis-en-attente">{waiting === 0 ? 'Aucun devis n’attend votre réponse.' : waiting === 1 ? 'Un devis attend votre réponse.' : `${waiting} devis attendent votre réponse.`}</p>
      <table class="table align-middle table-cards">
        <caption class="visually-hidden">Mes devis de formation, les plus récents d’abord</caption>
        <thead>
          <tr><th scope="col">Formation</th><th scope="col">Organisme</th><th scope="col">Dates</th><th scope="col">Statut</th><th scope="col">Reçu le</th></tr>
        </thead>
        <tbody>
          {quotes.map((q) => (
            <tr data-quote={q.id}>
              <th scope="row"><a href={`/mon-espace/devis/${q.id}`}>{q.title}</a></th>
              <td data-label="Organisme">{q.organisation.name}</td>
              <td data-label="Dates">du {formatFrenchDate(q.startDate)} au {formatFrenchDate(q.endDate)}</td>
              <td data-label="Statut">{q.status === 'submitted' ? <strong>{candidateStatusLabel(q.status)}</strong> : candidateStatusLabel(q.status)}</td>
              <td data-label="Reçu le">{formatDateTime(new Date(q.submittedAt))}</td>
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

export async function advisorQueuePages(fastify: FastifyInstance): Promise<void> {
  const app = fastify.withTypeProvider<ZodTypeProvider>();
  app.get('/conseiller/devis', { config: { access: advisorOnly }, attachValidation: true, schema: { querystring: queuePageQuery } }, (request, reply) =>
    queuePage(app, request, reply, request.validationError ? null : request.query),
  );
}

export async function candidateHomePages(fastify: FastifyInstance): Promise<void> {
  const app = fastify.withTypeProvider<ZodTypeProvider>();
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
}
