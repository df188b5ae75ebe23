import { sql, type Kysely } from 'kysely';
import { fillMissingWarnings } from '../../modules/quotes/record/stored-warnings.js';

// Warnings stored with each quote and frozen version, written with the content they judge, so
// reads serve them (docs/decisions/0030-stored-quote-warnings.md); existing rows are filled here.
// The advisor queue filters on status and orders by waiting time: a partial index matching it.
export async function up(db: Kysely<any>): Promise<void> {
  await sql`
    alter table quote add column warnings jsonb;
    alter table quote_version add column warnings jsonb;
    create index quote_queue on quote (status, (coalesce(accepted_at, submitted_at)), id) where submitted_at is not null;
    create index quote_warnings_missing on quote (id) where warnings is null;
  `.execute(db);
  await fillMissingWarnings(db, { errorCounts: false });
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`
    drop index quote_warnings_missing;
    drop index quote_queue;
    alter table quote_version drop column warnings;
    alter table quote drop column warnings;
  `.execute(db);
}
