import { randomBytes } from 'node:crypto';
import type { Database } from './database.js';

export async function getSetting(db: Database, key: string): Promise<string | undefined> {
  return (await db.selectFrom('instance_setting').select('value').where('key', '=', key).executeTakeFirst())?.value;
}

export async function setSetting(db: Database, key: string, value: string): Promise<void> {
  await db
    .insertInto('instance_setting')
    .values({ key, value })
    .onConflict((oc) => oc.column('key').doUpdateSet({ value }))
    .execute();
}

/**
 * Without APP_SECRET (development and demo only; production refuses to start), a key is
 * generated once and kept in the database, so every instance sharing it agrees on it.
 */
export async function instanceSecret(db: Database, configured: string | undefined): Promise<string> {
  if (configured) return configured;
  await db
    .insertInto('instance_setting')
    .values({ key: 'app_secret', value: randomBytes(32).toString('base64url') })
    .onConflict((oc) => oc.column('key').doNothing())
    .execute();
  return (await getSetting(db, 'app_secret'))!;
}

/**
 * The audit checkpoints' signing key: AUDIT_SIGNING_KEY, or (outside production, where it is
 * required) a seed generated once and kept beside the app secret.
 */
export async function instanceAuditSigningKey(db: Database, configured: string | undefined, generate: () => string): Promise<string> {
  if (configured) return configured;
  await db
    .insertInto('instance_setting')
    .values({ key: 'audit_signing_key', value: generate() })
    .onConflict((oc) => oc.column('key').doNothing())
    .execute();
  return (await getSetting(db, 'audit_signing_key'))!;
}
