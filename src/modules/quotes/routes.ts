import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { uuidOr404 } from '../../http/ids.js';
import { fieldErrorsFrom, problems } from '../../http/problem.js';
import { actorOf, requestMeta } from '../../http/request-meta.js';
import { requireHabilitation } from '../habilitations/policy.js';
import { QUOTE_STATUSES } from './lifecycle.js';
import { quoteInputSchema, quotePatchSchema } from './quote-schema.js';
import { listQuotes } from './list-service.js';
import { QUOTE_NOT_FOUND, createQuote, getQuote, patchQuote, submitQuote } from './service.js';

/** The training organisation's side of a quote; advisor and candidate routes come with items 6–7. */
export const quoteEditor = requireHabilitation('kairos', ['quote_editor']);

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

function parse<T extends z.ZodType>(schema: T, value: unknown): z.output<T> {
  const parsed = schema.safeParse(value ?? {});
  if (!parsed.success) throw problems.invalid(fieldErrorsFrom(parsed.error.issues));
  return parsed.data;
}

const idOf = (params: unknown) => uuidOr404((params as { id: string }).id, QUOTE_NOT_FOUND);

export async function quoteRoutes(app: FastifyInstance): Promise<void> {
  const access = { access: quoteEditor };

  app.post('/api/v1/quotes', { config: access }, async (request, reply) => {
    const input = parse(quoteInputSchema, request.body);
    return reply.code(201).send(await createQuote(app.ctx, actorOf(request), input, requestMeta(request)));
  });

  app.get('/api/v1/quotes', { config: access }, async (request) => listQuotes(app.ctx, actorOf(request), parse(listQuery, request.query)));

  app.get('/api/v1/quotes/:id', { config: access }, async (request) => getQuote(app.ctx, actorOf(request), idOf(request.params)));

  app.patch('/api/v1/quotes/:id', { config: access }, async (request) => {
    const id = idOf(request.params);
    return patchQuote(app.ctx, actorOf(request), id, parse(quotePatchSchema, request.body), requestMeta(request));
  });

  app.post('/api/v1/quotes/:id/submit', { config: access }, async (request) => submitQuote(app.ctx, actorOf(request), idOf(request.params), requestMeta(request)));
}
