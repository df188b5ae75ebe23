/** SQL of the letters (table letter): recording, rendering, listing, marking as sent. */
import type { Insertable, Kysely, Transaction } from 'kysely';
import type { DB } from '../../db/schema.js';

export async function insertLetter(trx: Kysely<DB>, values: Insertable<DB['letter']>): Promise<string> {
  return (await trx.insertInto('letter').values(values).returning('id').executeTakeFirstOrThrow()).id;
}

/** What the PDF of a letter prints: the letter, its recipient and their organisation. */
export async function letterToRender(db: Kysely<DB>, letterId: string) {
  return db
    .selectFrom('letter')
    .innerJoin('account', 'account.id', 'letter.account_id')
    .innerJoin('organisation', 'organisation.id', 'letter.organisation_id')
    .select(['letter.kind', 'letter.reference', 'letter.created_at', 'account.login', 'account.display_name', 'organisation.name', 'organisation.address'])
    .where('letter.id', '=', letterId)
    .executeTakeFirst();
}

export async function storeSealedPdf(db: Kysely<DB>, letterId: string, sealed: string): Promise<void> {
  await db.updateTable('letter').set({ pdf_sealed: sealed }).where('id', '=', letterId).execute();
}

export async function lettersOf(db: Kysely<DB>, organisationId: string) {
  return db
    .selectFrom('letter')
    .innerJoin('account', 'account.id', 'letter.account_id')
    .select(['letter.id', 'letter.kind', 'letter.reference', 'letter.created_at', 'letter.sent_at', 'letter.account_id', 'letter.pdf_sealed', 'account.login'])
    .where('letter.organisation_id', '=', organisationId)
    .orderBy('letter.created_at')
    .orderBy('letter.kind', 'desc')
    .execute();
}

export async function membershipRequestIdOfLetter(db: Kysely<DB>, letterId: string): Promise<string | undefined> {
  const row = await db
    .selectFrom('letter')
    .innerJoin('membership_request', 'membership_request.organisation_id', 'letter.organisation_id')
    .select('membership_request.id')
    .where('letter.id', '=', letterId)
    .executeTakeFirst();
  return row?.id;
}

export async function letterById(db: Kysely<DB>, id: string) {
  return db.selectFrom('letter').selectAll().where('id', '=', id).executeTakeFirst();
}

/** Posted: an activation letter's content (the code) is erased at the same time. */
export async function markSent(trx: Transaction<DB>, id: string, by: string, now: Date, erase: boolean): Promise<void> {
  await trx
    .updateTable('letter')
    .set({ sent_at: now, sent_by: by, ...(erase ? { pdf_sealed: null } : {}) })
    .where('id', '=', id)
    .execute();
}

/** The recipient's account status, locked while a new activation letter is made for it. */
export async function lockAccountStatus(trx: Transaction<DB>, accountId: string) {
  return trx.selectFrom('account').select('status').where('id', '=', accountId).forUpdate().executeTakeFirstOrThrow();
}
