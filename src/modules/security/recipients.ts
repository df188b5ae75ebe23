/** Who hears about a security event: the organisation's account managers and the agency's administrators. */
import type { Kysely } from 'kysely';
import type { DB } from '../../db/schema.js';
import * as repo from './repository.js';

/** Their e-mail addresses, once each, leaving out the account the event is about. `db` may be a transaction. */
export async function securityRecipients(db: Kysely<DB>, organisationId: string | null, exceptAccountId: string): Promise<string[]> {
  const managers = organisationId ? await repo.accountManagersOf(db, organisationId) : [];
  const admins = await repo.agencyAdministrators(db);
  const emails = [...managers, ...admins].filter((a) => a.id !== exceptAccountId).map((a) => a.email!);
  return [...new Set(emails)];
}
