/**
 * The quotes module as the application registers it: its HTTP routes and pages, by sub-domain,
 * and its recurring job. Other modules reach its pure rules in rules/ (holidays, schedule, money,
 * the quote's shape and lifecycle) and its data through its services.
 */
import type { FastifyInstance } from 'fastify';
import { advisorDecisionPages } from './decision/advisor-pages.js';
import { candidateDecisionPages } from './decision/candidate-pages.js';
import { quoteDecisionRoutes } from './decision/routes.js';
import { quoteEditorRoutes } from './editor/routes.js';
import { agreementRoutes } from './agreement/routes.js';
import { advisorQueuePages, candidateHomePages } from './queue/pages.js';
import { quoteQueueRoutes } from './queue/routes.js';
import { quoteRecordRoutes } from './record/routes.js';

export { quotePages } from './editor/pages.js';
export { quoteTemplatePages } from './templates/pages.js';
export { quoteTemplateRoutes } from './templates/routes.js';
export { ANSWER_DAYS, registerQuoteExpiry } from './decision/expiry-jobs.js';
export { fillMissingWarnings } from './record/stored-warnings.js';
export { quotesForExport, type QuoteExportRow } from './editor/service.js';
export { listQuery as quoteListQuery } from './editor/schemas.js';
export { organisationReaders as quoteListReaders } from './record/access.js';

/** The quote API: the organisation's drafts, reading a quote, decisions, the agreement, the queues. */
export async function quoteRoutes(app: FastifyInstance): Promise<void> {
  await quoteEditorRoutes(app);
  await quoteRecordRoutes(app);
  await quoteDecisionRoutes(app);
  await agreementRoutes(app);
  await quoteQueueRoutes(app);
}

/** The candidate's space: the home listing their quotes, and a quote with the accept / decline form. */
export async function candidateQuotePages(app: FastifyInstance): Promise<void> {
  await candidateHomePages(app);
  await candidateDecisionPages(app);
}

/** The advisor's queue of quotes to decide, and a quote with the decision form. */
export async function advisorQuotePages(app: FastifyInstance): Promise<void> {
  await advisorQueuePages(app);
  await advisorDecisionPages(app);
}
