/** SQL of the error references (table request_error). */
import type { Insertable } from 'kysely';
import type { Database } from '../../../db/database.js';
import type { DB } from '../../../db/schema.js';

/** A second error of the same request keeps the first one's row. */
export async function insertRequestError(db: Database, row: Insertable<DB['request_error']>): Promise<void> {
  await db
    .insertInto('request_error')
    .values(row)
    .onConflict((oc) => oc.column('request_id').doNothing())
    .execute();
}

export async function recordedReference(db: Database, requestId: string, since: Date) {
  return db
    .selectFrom('request_error')
    .leftJoin('account', 'account.id', 'request_error.account_id')
    .select([
      'request_error.request_id',
      'request_error.at',
      'request_error.method',
      'request_error.route',
      'request_error.status',
      'request_error.organisation_id',
      'request_error.error_class',
      'request_error.message',
      'account.login',
    ])
    .where('request_error.request_id', '=', requestId)
    .where('request_error.at', '>=', since)
    .executeTakeFirst();
}

export async function recentIncidents(db: Database, accountId: string, since: Date) {
  return db
    .selectFrom('request_error')
    .select(['request_id', 'at', 'method', 'route', 'status'])
    .where('account_id', '=', accountId)
    .where('at', '>=', since)
    .orderBy('at', 'desc')
    .limit(100)
    .execute();
}

export async function purgeRequestErrors(db: Database, before: Date): Promise<number> {
  const r = await db.deleteFrom('request_error').where('at', '<', before).executeTakeFirst();
  return Number(r.numDeletedRows ?? 0);
}
