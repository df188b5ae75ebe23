import { sql, type Kysely } from 'kysely';
import { fillMissingWarnings } from '../../modules/quotes/record/stored-warnings.js';

// The number of blocking errors of a quote's content alone, stored with it like its warnings, so
// that « brouillons avec erreurs » is counted and listed in SQL without running a rule
// (docs/decisions/0049-dashboard-figures-at-scale.md). The index that finds rows still to fill
// now covers both columns; existing rows are filled here.
export async function up(db: Kysely<any>): Promise<void> {
  await sql`
    alter table quote add column error_count integer;
    drop index quote_warnings_missing;
    create index quote_warnings_missing on quote (id) where warnings is null or error_count is null;
  `.execute(db);
  await fillMissingWarnings(db, { versions: false });
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`
    drop index quote_warnings_missing;
    create index quote_warnings_missing on quote (id) where warnings is null;
    alter table quote drop column error_count;
  `.execute(db);
}
