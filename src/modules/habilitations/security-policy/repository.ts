/** Security policies (Kysely only). */
import type { Kysely } from 'kysely';
import type { DB } from '../../../db/schema.js';
import type { PolicyInput } from './rules.js';

type Db = Kysely<DB>;

export async function findPolicy(db: Db, organisationId: string) {
  return db
    .selectFrom('security_policy as p')
    .leftJoin('account as a', 'a.id', 'p.updated_by')
    .select(['p.roles_policy', 'p.departures_policy', 'p.other_rules', 'p.updated_at', 'p.updated_by', 'a.display_name as updated_by_name'])
    .where('p.organisation_id', '=', organisationId)
    .executeTakeFirst();
}
export type PolicyRow = NonNullable<Awaited<ReturnType<typeof findPolicy>>>;

export async function lockPolicy(trx: Db, organisationId: string) {
  return trx.selectFrom('security_policy').selectAll().where('organisation_id', '=', organisationId).forUpdate().executeTakeFirst();
}

export async function upsertPolicy(trx: Db, organisationId: string, input: PolicyInput, by: string, at: Date): Promise<void> {
  const values = { roles_policy: input.rolesPolicy, departures_policy: input.departuresPolicy, other_rules: input.otherRules, updated_at: at, updated_by: by };
  await trx
    .insertInto('security_policy')
    .values({ organisation_id: organisationId, ...values })
    .onConflict((oc) => oc.column('organisation_id').doUpdateSet(values))
    .execute();
}

/** Active training providers that have not written a policy yet (suspended ones do not operate). */
export async function organisationsWithoutPolicy(db: Db) {
  return db
    .selectFrom('organisation as o')
    .select(['o.id', 'o.name', 'o.siret', 'o.created_at'])
    .where('o.kind', '=', 'training_provider')
    .where('o.status', '=', 'active')
    .where((eb) => eb.not(eb.exists(eb.selectFrom('security_policy as p').select('p.organisation_id').whereRef('p.organisation_id', '=', 'o.id'))))
    .orderBy('o.name')
    .execute();
}
