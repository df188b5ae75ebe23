import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { uuidOr404 } from '../../../http/ids.js';
import { fieldErrorsFrom, problems } from '../../../http/problem.js';
import { actorOf, requestMeta } from '../../../http/request-meta.js';
import { candidateOnly, requireHabilitation } from '../../habilitations/policy.js';
import { agreementPdf } from '../agreement/service.js';
import { advisorDecision, candidateDecision } from '../decision/service.js';
import { QUOTE_STATUSES } from '../rules/lifecycle.js';
import { listQuotes } from './list-service.js';
import { ORGANISATION_QUOTE_ROLES, advisorOnly, quoteReaders } from '../record/access.js';
import { quoteInputSchema, quotePatchSchema } from '../rules/quote-schema.js';
import { advisorQueue, candidateQuotes, parseQueueQuery } from '../queue/service.js';
import { QUOTE_NOT_FOUND, cancelQuote, createQuote, getQuote, newQuoteVersion, patchQuote, submitQuote } from '../record/service.js';
import { getTemplate } from '../templates/service.js';

/** The training organisation's side of a quote: editors change it, readers only read. */
export const quoteEditor = requireHabilitation('kairos', ['quote_editor']);
const organisationReaders = requireHabilitation('kairos', [...ORGANISATION_QUOTE_ROLES]);

const listQuery = z.strictObject({
  status: z.enum(QUOTE_STATUSES, { error: `Statut (status) : choisissez parmi ${QUOTE_STATUSES.join(', ')}.` }).optional(),
  q: z.string().trim().max(100, 'Recherche (q) : 100 caractères au maximum.').optional(),
  page: z.coerce
    .number({ error: 'Page (page) : nombre entier attendu.' })
    .int('Page (page) : nombre entier attendu.')
    .min(1, 'Page (page) : 1 au minimum.')
    .max(10_000, 'Page (page) : 10 000 au maximum.')
    .default(1),
});

const cancelBody = z.strictObject({
  reason: z.string({ error: 'Motif (reason) : texte attendu.' }).trim().max(2000, 'Motif (reason) : 2 000 caractères au maximum.').nullish(),
  version: z.number({ error: 'Version (version) : nombre entier attendu.' }).int('Version (version) : nombre entier attendu.').min(1).optional(),
});

function parse<T extends z.ZodType>(schema: T, value: unknown): z.output<T> {
  const parsed = schema.safeParse(value ?? {});
  if (!parsed.success) throw problems.invalid(fieldErrorsFrom(parsed.error.issues));
  return parsed.data;
}

const idOf = (params: unknown) => uuidOr404((params as { id: string }).id, QUOTE_NOT_FOUND);

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

export async function quoteRoutes(app: FastifyInstance): Promise<void> {
  const editor = { access: quoteEditor };

  /** A draft, given whole, or from a template: `templateId` supplies the training section (and the type unless given). */
  app.post('/api/v1/quotes', { config: editor }, async (request, reply) => {
    let body: unknown = request.body;
    let templateId: string | undefined;
    if (isObject(body) && 'templateId' in body) {
      const { templateId: raw, ...rest } = body;
      const id = z.uuid().safeParse(raw);
      if (!id.success) throw problems.invalid([{ field: 'templateId', message: 'Modèle (templateId) : identifiant de modèle invalide.' }]);
      const template = await getTemplate(app.ctx, actorOf(request), id.data).catch(() => {
        throw problems.invalid([{ field: 'templateId', message: 'Modèle (templateId) : ce modèle est introuvable dans votre organisme.' }]);
      });
      templateId = template.id;
      body = { type: template.type, ...rest, training: rest.training ?? template.training };
    }
    const input = parse(quoteInputSchema, body);
    return reply.code(201).send(await createQuote(app.ctx, actorOf(request), input, requestMeta(request), { templateId }));
  });

  app.get('/api/v1/quotes', { config: { access: organisationReaders } }, async (request) => listQuotes(app.ctx, actorOf(request), parse(listQuery, request.query), requestMeta(request)));

  app.get('/api/v1/quotes/:id', { config: { access: quoteReaders } }, async (request) =>
    getQuote(app.ctx, actorOf(request), idOf(request.params), requestMeta(request)),
  );

  app.patch('/api/v1/quotes/:id', { config: editor }, async (request) => {
    const id = idOf(request.params);
    return patchQuote(app.ctx, actorOf(request), id, parse(quotePatchSchema, request.body), requestMeta(request));
  });

  app.post('/api/v1/quotes/:id/submit', { config: editor }, async (request) => submitQuote(app.ctx, actorOf(request), idOf(request.params), requestMeta(request)));

  app.post('/api/v1/quotes/:id/cancel', { config: editor }, async (request) => {
    const id = idOf(request.params);
    const body = parse(cancelBody, request.body);
    return cancelQuote(app.ctx, actorOf(request), id, requestMeta(request), { reason: body.reason ?? null, version: body.version });
  });

  app.post('/api/v1/quotes/:id/new-version', { config: editor }, async (request) => newQuoteVersion(app.ctx, actorOf(request), idOf(request.params), requestMeta(request)));

  app.post('/api/v1/quotes/:id/candidate-decision', { config: { access: candidateOnly } }, async (request) =>
    candidateDecision(app.ctx, actorOf(request), idOf(request.params), request.body, requestMeta(request)),
  );

  app.post('/api/v1/quotes/:id/decision', { config: { access: advisorOnly } }, async (request) =>
    advisorDecision(app.ctx, actorOf(request), idOf(request.params), request.body, requestMeta(request)),
  );

  app.get('/api/v1/quotes/:id/agreement.pdf', { config: { access: quoteReaders } }, async (request, reply) => {
    const { filename, pdf } = await agreementPdf(app.ctx, actorOf(request), idOf(request.params), requestMeta(request));
    return reply
      .header('Content-Type', 'application/pdf')
      .header('Content-Disposition', `attachment; filename="${filename}"`)
      .header('Cache-Control', 'private, no-store')
      .send(pdf);
  });

  app.get('/api/v1/quote-queue', { config: { access: advisorOnly } }, async (request) =>
    advisorQueue(app.ctx, actorOf(request), parseQueueQuery(request.query), requestMeta(request)),
  );

  app.get('/api/v1/me/quotes', { config: { access: candidateOnly } }, async (request) => candidateQuotes(app.ctx, actorOf(request)));
}
