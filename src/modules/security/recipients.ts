/** Who hears about a security event: the organisation's account managers and the agency's administrators. */
import type { Kysely } from 'kysely';
import type { DB } from '../../db/schema.js';

function holdersOf(db: Kysely<DB>, application: string, role: string) {
  return db
    .selectFrom('account')
    .innerJoin('habilitation', 'habilitation.account_id', 'account.id')
    .select(['account.id', 'account.email'])
    .distinct()
    .where('account.status', '=', 'active')
    .where('account.email', 'is not', null)
    .whereRef('habilitation.organisation_id', '=', 'account.organisation_id')
    .where('habilitation.application', '=', application)
    .where('habilitation.role', '=', role)
    .where('habilitation.suspended_at', 'is', null);
}

export async function securityRecipients(db: Kysely<DB>, organisationId: string | null, exceptAccountId: string): Promise<string[]> {
  const managers = organisationId
    ? await holdersOf(db, 'gid', 'account_manager').where('account.organisation_id', '=', organisationId).execute()
    : [];
  const admins = await holdersOf(db, 'gid', 'agency_admin').execute();
  const emails = [...managers, ...admins].filter((a) => a.id !== exceptAccountId).map((a) => a.email!);
  return [...new Set(emails)];
}
