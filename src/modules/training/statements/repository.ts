/**
 * Monthly statements: a submitted month is a row of `monthly_statement`, its figures kept and
 * updated by each correction. Which months are locked is read with the training record
 * (../repository.ts); the corrections themselves are attendance history (../attendance/).
 */
import type { Insertable, Transaction } from 'kysely';
import type { DB } from '../../../db/schema.js';
import type { Db } from '../repository.js';

export function statementsOf(db: Db, trainingId: string) {
  return db.selectFrom('monthly_statement').selectAll().where('training_id', '=', trainingId).orderBy('month').execute();
}

/** The statements of several trainings in one statement, by training then month. */
export function statementsOfMany(db: Db, trainingIds: readonly string[]) {
  if (trainingIds.length === 0) return Promise.resolve([]);
  return db.selectFrom('monthly_statement').selectAll().where('training_id', 'in', trainingIds).orderBy('training_id').orderBy('month').execute();
}

export function statementOf(db: Db, trainingId: string, month: string) {
  return db.selectFrom('monthly_statement').selectAll().where('training_id', '=', trainingId).where('month', '=', month).executeTakeFirst();
}

export async function insertStatement(trx: Transaction<DB>, values: Insertable<DB['monthly_statement']>): Promise<void> {
  await trx.insertInto('monthly_statement').values(values).execute();
}

/** A corrected month's figures, recomputed. */
export async function updateStatementFigures(trx: Transaction<DB>, trainingId: string, month: string, figures: string, at: Date): Promise<void> {
  await trx.updateTable('monthly_statement').set({ figures, updated_at: at }).where('training_id', '=', trainingId).where('month', '=', month).execute();
}
