import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { fieldErrorsFrom, problems } from '../../http/problem.js';
import { actorOf, requestMeta } from '../../http/request-meta.js';
import { candidateOnly, requireHabilitation } from '../habilitations/policy.js';
import { parisDay } from '../onboarding/rules.js';
import { candidateFile, candidateInputSchema, ownProfile, registerCandidate, searchForAdvisor, candidateView } from './service.js';

/** Only advisors browse candidates: a training organisation never lists or searches them. */
export const advisorOnly = requireHabilitation('kairos', ['advisor']);

const searchQuery = z.strictObject({
  q: z
    .string({ error: 'Recherche (q) : champ obligatoire.' })
    .trim()
    .min(2, 'Recherche (q) : au moins 2 caractères (nom, prénom ou identifiant).')
    .max(100, 'Recherche (q) : 100 caractères au maximum.'),
});

export async function candidateRoutes(app: FastifyInstance): Promise<void> {
  app.post('/api/v1/candidates', { config: { access: advisorOnly } }, async (request, reply) => {
    const parsed = candidateInputSchema(parisDay(app.ctx.clock.now())).safeParse(request.body ?? {});
    if (!parsed.success) throw problems.invalid(fieldErrorsFrom(parsed.error.issues));
    const row = await registerCandidate(app.ctx, actorOf(request), parsed.data, requestMeta(request));
    return reply.code(201).send(candidateView(row));
  });

  app.get('/api/v1/candidates', { config: { access: advisorOnly } }, async (request) => {
    const parsed = searchQuery.safeParse(request.query ?? {});
    if (!parsed.success) throw problems.invalid(fieldErrorsFrom(parsed.error.issues));
    return { candidates: await searchForAdvisor(app.ctx, actorOf(request), parsed.data.q, requestMeta(request)) };
  });

  app.get('/api/v1/candidates/:identifier', { config: { access: advisorOnly } }, async (request) =>
    candidateFile(app.ctx, actorOf(request), (request.params as { identifier: string }).identifier, requestMeta(request)),
  );

  app.get('/api/v1/me/profile', { config: { access: candidateOnly } }, async (request) => ownProfile(app.ctx, actorOf(request)));
}
