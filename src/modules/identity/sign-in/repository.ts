/** What sign-in asks of the session history: queries only. */
import type { Kysely, Transaction } from 'kysely';
import type { DB } from '../../../db/schema.js';

type Db = Kysely<DB> | Transaction<DB>;

export async function hasAnySession(db: Db, accountId: string): Promise<boolean> {
  return !!(await db.selectFrom('session').select('id').where('account_id', '=', accountId).limit(1).executeTakeFirst());
}

/** Whether the account opened a session since `since` from exactly this IP and browser (null matches null). */
export async function seenDeviceSince(db: Db, accountId: string, ip: string | null, userAgent: string | null, since: Date): Promise<boolean> {
  let seen = db.selectFrom('session').select('id').where('account_id', '=', accountId).where('created_at', '>', since);
  seen = ip === null ? seen.where('ip', 'is', null) : seen.where('ip', '=', ip);
  seen = userAgent === null ? seen.where('user_agent', 'is', null) : seen.where('user_agent', '=', userAgent);
  return !!(await seen.limit(1).executeTakeFirst());
}
