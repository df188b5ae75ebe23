/**
 * Alert queries: who follows a trainee, the count that raises an absence alert, the alerts
 * themselves (one per training, kind and month) and the list an advisor reads.
 */
import { sql, type Insertable, type Transaction } from 'kysely';
import type { DB } from '../../../db/schema.js';
import type { TrainingScope } from '../policy.js';
import { scopedTrainings, type Db } from '../repository.js';

/** Unjustified half-day absences of a month (absent, justified flag off). */
export async function unjustifiedCount(db: Db, trainingId: string, range: { first: string; last: string }): Promise<number> {
  const row = await db
    .selectFrom('attendance')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('training_id', '=', trainingId)
    .where('status', '=', 'absent')
    .where('justified', '=', false)
    .where('date', '>=', range.first)
    .where('date', '<=', range.last)
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

/**
 * The advisor who follows the trainee: the one who registered the candidate, else the one who
 * approved the quote. Null when neither is known (alerts then go to every advisor's dashboard).
 */
export async function referentAdvisor(db: Db, trainingId: string): Promise<{ id: string; email: string | null; status: string } | null> {
  const row = await db
    .selectFrom('training')
    .innerJoin('candidate', 'candidate.id', 'training.candidate_id')
    .innerJoin('quote', 'quote.id', 'training.quote_id')
    .innerJoin('account', (join) => join.on(sql<boolean>`account.id = coalesce(candidate.created_by, quote.decided_by)`))
    .select(['account.id', 'account.email', 'account.status'])
    .where('training.id', '=', trainingId)
    .executeTakeFirst();
  return row ?? null;
}

/** The organisation running the training (its webhooks hear about the alert). */
export async function trainingOrganisation(db: Db, trainingId: string): Promise<string> {
  const row = await db.selectFrom('training').select('organisation_id').where('id', '=', trainingId).executeTakeFirstOrThrow();
  return row.organisation_id;
}

/** Stores the alert unless one exists for its training, kind and month; whether it was new. */
export async function insertAlertOnce(trx: Transaction<DB>, values: Insertable<DB['training_alert']>): Promise<boolean> {
  const inserted = await trx
    .insertInto('training_alert')
    .values(values)
    .onConflict((oc) => oc.columns(['training_id', 'kind', 'month']).doNothing())
    .returning('id')
    .executeTakeFirst();
  return !!inserted;
}

/** The alerts about the trainings of a scope, newest first, 200 at most. */
export function alertsInScope(db: Db, scope: TrainingScope) {
  return scopedTrainings(db, scope)
    .innerJoin('training_alert', 'training_alert.training_id', 'training.id')
    .select([
      'training_alert.id',
      'training_alert.kind',
      'training_alert.month',
      'training_alert.details',
      'training_alert.created_at',
      'training.id as training_id',
      'training.title',
      'training.candidate_id',
      'candidate.identifier',
      'candidate.last_name',
      'candidate.first_name',
      'organisation.name as organisation_name',
    ])
    .orderBy('training_alert.created_at', 'desc')
    .orderBy('training_alert.id')
    .limit(200)
    .execute();
}
