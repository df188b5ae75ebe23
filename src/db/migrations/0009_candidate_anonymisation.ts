import { sql, type Kysely } from 'kysely';

// Anonymisation of closed dossiers: the candidate row stays (statistics
// keep their joins) but loses everything that identifies the person, identifier included.
export async function up(db: Kysely<any>): Promise<void> {
  await sql`
    alter table candidate add column anonymised_at timestamptz;
    alter table candidate drop constraint candidate_identifier_check;
    alter table candidate add constraint candidate_identifier_check
      check (identifier ~ '^[0-9]{7}[A-Z]$' or (anonymised_at is not null and identifier ~ '^ANON-[0-9a-f]{12}$'));
  `.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`
    alter table candidate drop constraint candidate_identifier_check;
    alter table candidate add constraint candidate_identifier_check check (identifier ~ '^[0-9]{7}[A-Z]$');
    alter table candidate drop column anonymised_at;
  `.execute(db);
}
