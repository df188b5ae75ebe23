/**
 * What every part of the training follow-up does before showing a trainee's data: load the
 * training within the actor's scope (docs/decisions/0009-training-follow-up-scope.md), and
 * record that staff saw it. The sub-domains (follow-up, attendance, statements, alerts) all
 * build on these two, and none of them on another's service for it, so they import each other
 * one way only.
 */
import type { AppContext, RequestMeta } from '../../context.js';
import { problems } from '../../http/problem.js';
import { byActor } from '../audit/service.js';
import type { Actor } from '../habilitations/policy.js';
import { guardCandidateViews } from '../security/bulk-access.js';
import { scopeOf } from './policy.js';
import { findTraining, type TrainingRow } from './repository.js';
import { TRAINING_NOT_FOUND } from './schemas.js';

/** A training of the actor's scope, or the same 404 as an unknown id. */
export async function loadTraining(ctx: AppContext, actor: Actor, id: string): Promise<NonNullable<TrainingRow>> {
  const row = await findTraining(ctx.db, scopeOf(actor), id);
  if (!row) throw problems.notFound(TRAINING_NOT_FOUND);
  return row;
}

/**
 * Staff reading a trainee's data leave one audit row per candidate, with the same action
 * as the candidate file, so a candidate's access history is one query. A candidate reading
 * their own record is not such a view.
 */
export async function auditCandidateViews(ctx: AppContext, actor: Actor, meta: RequestMeta, rows: Array<{ candidate_id: string; identifier: string }>, via: string) {
  if (actor.kind === 'candidate' || rows.length === 0) return;
  const now = ctx.clock.now();
  const seen = new Map(rows.map((r) => [r.candidate_id, r.identifier]));
  // Counts towards bulk-access detection before anything is returned (decision 0010), and every
  // row in the same statement, whatever the number of trainees shown (decision 0050).
  await guardCandidateViews(
    ctx,
    actor,
    [...seen.keys()],
    meta,
    [...seen].map(([id, identifier]) => ({ at: now, ...byActor(actor, meta), organisationId: actor.organisation?.id ?? null, action: 'candidate.viewed', target: { type: 'candidate', id }, details: { identifier, via } })),
  );
}
