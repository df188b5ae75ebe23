/**
 * Who may see and change which trainings (docs/decisions/0009-training-follow-up-scope.md).
 *
 * - An attendance officer of the training's organisation declares everything; a reader of that
 *   organisation only reads. Quote editors do neither: entering a quote is not following a trainee.
 * - An agency advisor reads the trainings of THEIR candidates: those they registered, or whose
 *   quote they approved. Another advisor's trainee answers 404, like an unknown id.
 * - A candidate reads their own, through /api/v1/me/….
 * The route rules below let the right roles in; the scope tells the repository which rows they
 * reach, so tenant isolation sits in the queries, not only in the routes.
 */
import { problems } from '../../http/problem.js';
import { candidateOnly, hasHabilitation, requireHabilitation, type Actor } from '../habilitations/policy.js';

export const trainingReaders = requireHabilitation('kairos', ['attendance_officer', 'reader', 'advisor']);
export const attendanceOfficers = requireHabilitation('kairos', ['attendance_officer']);
export const organisationReaders = requireHabilitation('kairos', ['attendance_officer', 'reader']);
export const advisors = requireHabilitation('kairos', ['advisor']);
export const candidates = candidateOnly;

export type TrainingScope =
  | { kind: 'organisation'; organisationId: string; canWrite: boolean }
  | { kind: 'advisor'; accountId: string }
  | { kind: 'candidate'; accountId: string };

export function scopeOf(actor: Actor): TrainingScope {
  if (actor.kind === 'candidate') return { kind: 'candidate', accountId: actor.accountId };
  if (actor.organisation?.kind === 'agency' && hasHabilitation(actor, 'kairos', ['advisor'])) return { kind: 'advisor', accountId: actor.accountId };
  if (actor.organisation?.kind === 'training_provider' && hasHabilitation(actor, 'kairos', ['attendance_officer', 'reader'])) {
    return { kind: 'organisation', organisationId: actor.organisation.id, canWrite: hasHabilitation(actor, 'kairos', ['attendance_officer']) };
  }
  throw problems.forbidden();
}

/** The organisation an attendance officer writes for; anyone else is refused (the route already is). */
export function writerOrganisation(actor: Actor): string {
  const scope = scopeOf(actor);
  if (scope.kind !== 'organisation' || !scope.canWrite) throw problems.forbidden();
  return scope.organisationId;
}
