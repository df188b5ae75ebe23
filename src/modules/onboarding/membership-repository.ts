/**
 * SQL of membership requests (table membership_request), and of what an approval creates: the
 * organisation and the account manager's first habilitations. Those two tables belong to other
 * modules; the rows are written here because an approval creates them in its own transaction.
 */
import type { Insertable, Kysely, Transaction } from 'kysely';
import type { DB } from '../../db/schema.js';

type MembershipRequestStatus = 'pending' | 'approved' | 'rejected';

export async function organisationWithSiret(db: Kysely<DB>, siret: string) {
  return db.selectFrom('organisation').select('id').where('siret', '=', siret).executeTakeFirst();
}

export async function insertMembershipRequest(trx: Transaction<DB>, values: Insertable<DB['membership_request']>) {
  return trx.insertInto('membership_request').values(values).returning(['id', 'status']).executeTakeFirstOrThrow();
}

/** Created-at bounds, `to` excluded; the latest 200 first. */
export async function membershipRequests(db: Kysely<DB>, filters: { status?: MembershipRequestStatus; from?: Date; to?: Date }) {
  let q = db.selectFrom('membership_request').selectAll().orderBy('created_at', 'desc').limit(200);
  if (filters.status) q = q.where('status', '=', filters.status);
  if (filters.from) q = q.where('created_at', '>=', filters.from);
  if (filters.to) q = q.where('created_at', '<', filters.to);
  return q.execute();
}

export async function membershipRequestById(db: Kysely<DB>, id: string, options: { lock?: boolean } = {}) {
  let q = db.selectFrom('membership_request').selectAll().where('id', '=', id);
  if (options.lock) q = q.forUpdate();
  return q.executeTakeFirst();
}

export async function decideMembershipRequest(
  trx: Transaction<DB>,
  id: string,
  decision: { status: 'approved' | 'rejected'; decided_at: Date; decided_by: string; organisation_id?: string; reason?: string },
): Promise<void> {
  await trx.updateTable('membership_request').set(decision).where('id', '=', id).execute();
}

export async function insertOrganisation(trx: Transaction<DB>, values: Insertable<DB['organisation']>): Promise<string> {
  return (await trx.insertInto('organisation').values(values).returning('id').executeTakeFirstOrThrow()).id;
}

export async function insertHabilitations(trx: Transaction<DB>, rows: Array<Insertable<DB['habilitation']>>): Promise<void> {
  await trx.insertInto('habilitation').values(rows).execute();
}
