/** Decisions and the expiry sweep: queries only. */
import { sql, type Insertable, type Transaction } from 'kysely';
import type { DB, TrainingTable } from '../../../db/schema.js';
import type { Db } from '../record/repository.js';

/** The training record an approval creates; its id. */
export async function insertTraining(trx: Transaction<DB>, row: Insertable<TrainingTable>): Promise<string> {
  const inserted = await trx.insertInto('training').values(row).returning('id').executeTakeFirstOrThrow();
  return inserted.id;
}

/** Submitted quotes not reminded yet, sent on or before `submittedBefore`. */
export async function quotesDueForReminder(db: Db, submittedBefore: Date): Promise<string[]> {
  const rows = await db.selectFrom('quote').select('id').where('status', '=', 'submitted').where('reminded_at', 'is', null).where('submitted_at', '<=', submittedBefore).execute();
  return rows.map((r) => r.id);
}

/** The quote, row-locked, if it is still submitted and not reminded (the sweep may race a decision). */
export function lockUnremindedSubmitted(trx: Transaction<DB>, id: string) {
  return trx.selectFrom('quote').selectAll().where('id', '=', id).where('status', '=', 'submitted').where('reminded_at', 'is', null).forUpdate().executeTakeFirst();
}

export async function markReminded(trx: Transaction<DB>, id: string, at: Date): Promise<void> {
  await trx.updateTable('quote').set({ reminded_at: at }).where('id', '=', id).execute();
}

/** Quotes unanswered since `answerDeadline`, or undecided (submitted or accepted) with a start date before `today`. */
export async function quotesDueForExpiry(db: Db, answerDeadline: Date, today: string): Promise<string[]> {
  const rows = await db
    .selectFrom('quote')
    .select('id')
    .where((eb) =>
      eb.or([
        eb.and([eb('status', '=', 'submitted'), eb('submitted_at', '<=', answerDeadline)]),
        eb.and([eb('status', 'in', ['submitted', 'accepted']), eb(sql<string>`quote.data->'training'->>'startDate'`, '<', today)]),
      ]),
    )
    .execute();
  return rows.map((r) => r.id);
}

/** Any quote, row-locked: for the system's transitions, which belong to no party. */
export function lockQuote(trx: Transaction<DB>, id: string) {
  return trx.selectFrom('quote').selectAll().where('id', '=', id).forUpdate().executeTakeFirst();
}
