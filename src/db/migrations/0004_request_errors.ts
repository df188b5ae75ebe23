import { sql, type Kysely } from 'kysely';

// What the server recorded behind each error reference, kept 30 days.
export async function up(db: Kysely<any>): Promise<void> {
  await sql`
    create table request_error (
      request_id text primary key,
      at timestamptz not null,
      method text not null,
      route text not null,
      status int not null,
      account_id uuid,
      organisation_id uuid,
      error_class text not null,
      message text not null
    );
    create index request_error_account on request_error (account_id, at desc);
    create index request_error_at on request_error (at);
  `.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`drop table request_error;`.execute(db);
}
