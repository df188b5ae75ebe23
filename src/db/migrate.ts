import { Migrator, sql, type Migration, type MigrationProvider } from 'kysely';
import type { Database, Engine } from './database.js';
import * as m0001 from './migrations/0001_foundation.js';
import * as m0002 from './migrations/0002_onboarding_gid.js';
import * as m0003 from './migrations/0003_candidates_quotes.js';
import * as m0004 from './migrations/0004_request_errors.js';
import * as m0005 from './migrations/0005_quote_decisions_trainings.js';
import * as m0006 from './migrations/0006_support_requests.js';
import * as m0007 from './migrations/0007_training_follow_up.js';
import * as m0008 from './migrations/0008_security_alerts.js';
import * as m0009 from './migrations/0009_candidate_anonymisation.js';
import * as m0010 from './migrations/0010_stored_quote_warnings.js';
import * as m0011 from './migrations/0011_audit_append.js';
import * as m0012 from './migrations/0012_api_tokens.js';
import * as m0013 from './migrations/0013_webhooks.js';
import * as m0014 from './migrations/0014_hot_query_indexes.js';
import * as m0016 from './migrations/0016_suspension_origin_register_lookups.js';
import * as m0017 from './migrations/0017_audit_checkpoints.js';
import * as m0018 from './migrations/0018_passkeys.js';
import * as m0019 from './migrations/0019_dashboard_aggregates.js';
import * as m0020 from './migrations/0020_attendance_sheets.js';
import * as m0021 from './migrations/0021_stored_quote_error_count.js';
import * as m0022 from './migrations/0022_read_guard_batch.js';

/**
 * Migrations are listed here rather than read from the folder, so they work the same from
 * TypeScript sources, a bundle, or tests. Append only: a landed migration is never edited.
 */
const migrations: Record<string, Migration> = {
  '0001_foundation': m0001,
  '0002_onboarding_gid': m0002,
  '0003_candidates_quotes': m0003,
  '0004_request_errors': m0004,
  '0005_quote_decisions_trainings': m0005,
  '0006_support_requests': m0006,
  '0007_training_follow_up': m0007,
  '0008_security_alerts': m0008,
  '0009_candidate_anonymisation': m0009,
  '0010_stored_quote_warnings': m0010,
  '0011_audit_append': m0011,
  '0012_api_tokens': m0012,
  '0013_webhooks': m0013,
  '0014_hot_query_indexes': m0014,
  '0016_suspension_origin_register_lookups': m0016,
  '0017_audit_checkpoints': m0017,
  '0018_passkeys': m0018,
  '0019_dashboard_aggregates': m0019,
  '0020_attendance_sheets': m0020,
  '0021_stored_quote_error_count': m0021,
  '0022_read_guard_batch': m0022,
};

class StaticProvider implements MigrationProvider {
  async getMigrations() {
    return migrations;
  }
}

// One-key advisory locks shared by every instance (the audit chain uses 7_101_001).
const MIGRATION_LOCK_KEY = 7_101_004;
const STARTUP_LOCK_KEY = 7_101_005;

/**
 * Runs the start-up steps that must not race between instances starting together on one
 * PostgreSQL database (migrations, demo data seeded once) one instance at a time, under a
 * session advisory lock held on a connection of its own. PGlite has one process per data folder
 * (data-folder-lock.ts) and one connection, which `work` needs: nothing to serialise there.
 */
export async function serialisedStartup<T>(db: Database, engine: Engine, work: () => Promise<T>): Promise<T> {
  if (engine === 'pglite') return work();
  return db.connection().execute(async (conn) => {
    await sql`select pg_advisory_lock(${STARTUP_LOCK_KEY})`.execute(conn);
    try {
      return await work();
    } finally {
      await sql`select pg_advisory_unlock(${STARTUP_LOCK_KEY})`.execute(conn);
    }
  });
}

/**
 * Whether the database has exactly the migrations this code knows, read in one query: the usual
 * start, which then skips the migrator's lock, table checks and per-migration bookkeeping.
 * Anything else (a new database, a pending or an unknown migration) goes through the migrator.
 */
async function upToDate(db: Database): Promise<boolean> {
  try {
    const { rows } = await sql<{ name: string }>`select name from kysely_migration`.execute(db);
    const applied = new Set(rows.map((r) => r.name));
    return applied.size === Object.keys(migrations).length && Object.keys(migrations).every((name) => applied.has(name));
  } catch {
    return false; // no migration table yet
  }
}

/**
 * Applies pending migrations. Instances starting together on one PostgreSQL database take
 * turns under a session-level advisory lock held on one pooled connection for the whole run;
 * the second finds nothing left to do. (Kysely's own lock table also guards the migration
 * rows, but a start racing the very first `create table kysely_migration` can fail without it.)
 */
export async function migrateToLatest(db: Database): Promise<string[]> {
  if (await upToDate(db)) return [];
  return db.connection().execute(async (conn) => {
    await sql`select pg_advisory_lock(${MIGRATION_LOCK_KEY})`.execute(conn);
    try {
      // Numbers are handed out to changes developed side by side: one merged later than a higher
      // number (0019 after 0020) still runs once on databases that already have the higher one.
      const migrator = new Migrator({ db: conn, provider: new StaticProvider(), allowUnorderedMigrations: true });
      const { error, results } = await migrator.migrateToLatest();
      if (error) throw error instanceof Error ? error : new Error(String(error));
      return (results ?? []).filter((r) => r.status === 'Success').map((r) => r.migrationName);
    } finally {
      await sql`select pg_advisory_unlock(${MIGRATION_LOCK_KEY})`.execute(conn);
    }
  });
}
