/** Quote templates: queries only, each scoped by the organisation that owns the template. */
import type { Insertable, Transaction } from 'kysely';
import type { DB, QuoteTemplateTable } from '../../../db/schema.js';
import type { Db } from '../record/repository.js';

export function findOwnTemplate(db: Db, organisationId: string, id: string) {
  return db.selectFrom('quote_template').selectAll().where('id', '=', id).where('organisation_id', '=', organisationId).executeTakeFirst();
}

export function listOwnTemplates(db: Db, organisationId: string, limit: number) {
  return db.selectFrom('quote_template').selectAll().where('organisation_id', '=', organisationId).limit(limit).execute();
}

/** Whether another template of the organisation has this name, case aside. */
export async function templateNameTaken(db: Db, organisationId: string, name: string, exceptId?: string): Promise<boolean> {
  let q = db.selectFrom('quote_template').select('id').where('organisation_id', '=', organisationId).where((eb) => eb(eb.fn('lower', ['name']), '=', name.toLowerCase()));
  if (exceptId) q = q.where('id', '!=', exceptId);
  return (await q.executeTakeFirst()) !== undefined;
}

export async function countOwnTemplates(trx: Transaction<DB>, organisationId: string): Promise<number> {
  const count = await trx.selectFrom('quote_template').select((eb) => eb.fn.countAll<number>().as('n')).where('organisation_id', '=', organisationId).executeTakeFirstOrThrow();
  return Number(count.n);
}

export function insertTemplate(trx: Transaction<DB>, row: Insertable<QuoteTemplateTable>) {
  return trx.insertInto('quote_template').values(row).returningAll().executeTakeFirstOrThrow();
}

export function renameOwnTemplate(trx: Transaction<DB>, organisationId: string, id: string, name: string, now: Date) {
  return trx.updateTable('quote_template').set({ name, updated_at: now }).where('id', '=', id).where('organisation_id', '=', organisationId).returningAll().executeTakeFirst();
}

export function deleteOwnTemplate(trx: Transaction<DB>, organisationId: string, id: string) {
  return trx.deleteFrom('quote_template').where('id', '=', id).where('organisation_id', '=', organisationId).returning(['name']).executeTakeFirst();
}
