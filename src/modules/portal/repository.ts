/** SQL of the portal: the catalogue of applications and the labels of their roles. */
import type { Kysely } from 'kysely';
import type { DB } from '../../db/schema.js';

export function applicationsInOrder(db: Kysely<DB>) {
  return db.selectFrom('application').selectAll().orderBy('position').execute();
}

export function roleLabels(db: Kysely<DB>) {
  return db.selectFrom('role').select(['application', 'code', 'label']).execute();
}
