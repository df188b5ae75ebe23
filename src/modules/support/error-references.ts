import type { Kysely } from 'kysely';
import type { DB } from '../../db/schema.js';

/** How long the server keeps what it recorded behind an error reference. */
export const ERROR_RETENTION_DAYS = 30;

export interface RequestErrorEntry {
  requestId: string;
  at: Date;
  method: string;
  route: string;
  status: number;
  accountId: string | null;
  organisationId: string | null;
  errorClass: string;
  message: string;
}

/**
 * Messages of unexpected errors can quote data (a database error repeats the values of a
 * violated key, a parser echoes input): values in parentheses, e-mail addresses and long
 * numbers are masked before anything is stored, and the text is cut short.
 */
export function scrubMessage(message: string): string {
  return message
    .replace(/\([^)]*\)=\([^)]*\)/g, '(…)=(…)')
    .replace(/[\w.+-]+@[\w-]+(\.[\w-]+)+/g, '[courriel]')
    .replace(/\d{6,}/g, '[nombre]')
    .replace(/"[^"]{20,}"/g, '"[texte]"')
    .slice(0, 300);
}

export async function recordRequestError(db: Kysely<DB>, e: RequestErrorEntry): Promise<void> {
  await db
    .insertInto('request_error')
    .values({
      request_id: e.requestId,
      at: e.at,
      method: e.method,
      route: e.route.slice(0, 200),
      status: e.status,
      account_id: e.accountId,
      organisation_id: e.organisationId,
      error_class: e.errorClass.slice(0, 100),
      message: scrubMessage(e.message),
    })
    .onConflict((oc) => oc.column('request_id').doNothing())
    .execute();
}

export async function findReference(db: Kysely<DB>, requestId: string, since: Date) {
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

export async function incidentsOf(db: Kysely<DB>, accountId: string, since: Date) {
  return db
    .selectFrom('request_error')
    .select(['request_id', 'at', 'method', 'route', 'status'])
    .where('account_id', '=', accountId)
    .where('at', '>=', since)
    .orderBy('at', 'desc')
    .limit(100)
    .execute();
}

export async function purgeRequestErrors(db: Kysely<DB>, before: Date): Promise<number> {
  const r = await db.deleteFrom('request_error').where('at', '<', before).executeTakeFirst();
  return Number(r.numDeletedRows ?? 0);
}
