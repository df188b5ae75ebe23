/**
 * Error references (docs/product/support.md#error-references): what the server keeps behind the
 * reference an error page shows, scrubbed, for 30 days; the support agent's lookup and the
 * user's own journal read it back.
 */
import type { AppContext } from '../../../context.js';
import type { Database } from '../../../db/database.js';
import { DAY_MS } from '../../../jobs/recurring.js';
import { insertRequestError, purgeRequestErrors, recentIncidents, recordedReference } from './repository.js';

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

/** Called by the error handler (src/http/errors.tsx) for every 5xx: scrubbed before anything is stored. */
export async function recordRequestError(db: Database, e: RequestErrorEntry): Promise<void> {
  await insertRequestError(db, {
    request_id: e.requestId,
    at: e.at,
    method: e.method,
    route: e.route.slice(0, 200),
    status: e.status,
    account_id: e.accountId,
    organisation_id: e.organisationId,
    error_class: e.errorClass.slice(0, 100),
    message: scrubMessage(e.message),
  });
}

const since = (now: Date) => new Date(now.getTime() - ERROR_RETENTION_DAYS * DAY_MS);

/** What was recorded behind a reference (lower-case UUID), while it is kept. */
export function findReference(ctx: AppContext, requestId: string) {
  return recordedReference(ctx.db, requestId, since(ctx.clock.now()));
}

/** The account's own errors while they are kept, latest first. */
export function incidentsOf(ctx: AppContext, accountId: string) {
  return recentIncidents(ctx.db, accountId, since(ctx.clock.now()));
}

/** Forgets what is older than the retention period; the number of rows removed. */
export function purgeExpiredErrors(ctx: AppContext): Promise<number> {
  return purgeRequestErrors(ctx.db, since(ctx.clock.now()));
}
