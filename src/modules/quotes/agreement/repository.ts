/** What the funding agreement prints about the training organisation: a query only. */
import type { Db } from '../record/repository.js';

export function organisationForAgreement(db: Db, id: string) {
  return db.selectFrom('organisation').select(['name', 'siret', 'nda', 'address']).where('id', '=', id).executeTakeFirstOrThrow();
}
