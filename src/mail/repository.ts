/** SQL of the outbox (table mail_outbox): mail kept instead of sent when no SMTP server is set. */
import type { Insertable, Kysely } from 'kysely';
import type { DB } from '../db/schema.js';

export async function insertOutboxMessage(db: Kysely<DB>, values: Insertable<DB['mail_outbox']>): Promise<void> {
  await db.insertInto('mail_outbox').values(values).execute();
}

/** The latest 100 messages, newest first. */
export function latestOutboxMessages(db: Kysely<DB>) {
  return db.selectFrom('mail_outbox').selectAll().orderBy('created_at', 'desc').limit(100).execute();
}
