import { sql, type Kysely } from 'kysely';

// Support requests, their replies and screenshots. The files themselves are
// on disk (ATTACHMENTS_DIR) under random names; the table keeps what is needed to serve them.
export async function up(db: Kysely<any>): Promise<void> {
  await sql`
    create table support_request (
      id uuid primary key default gen_random_uuid(),
      -- A short number for mails and conversations (« demande n° 12 »); the id stays the key.
      number bigint generated always as identity unique,
      account_id uuid not null references account(id),
      organisation_id uuid references organisation(id),
      category text not null check (category in ('acces', 'habilitations', 'devis', 'assiduite', 'erreur', 'autre')),
      subject text not null,
      description text not null,
      steps text,
      error_reference text,
      status text not null default 'open' check (status in ('open', 'answered', 'closed')),
      created_at timestamptz not null,
      updated_at timestamptz not null
    );
    create index support_request_account on support_request (account_id, updated_at desc);
    create index support_request_queue on support_request (status, created_at);
    create index support_request_organisation on support_request (organisation_id);

    create table support_message (
      id uuid primary key default gen_random_uuid(),
      request_id uuid not null references support_request(id),
      author_id uuid not null references account(id),
      author_role text not null check (author_role in ('requester', 'agent')),
      body text not null,
      at timestamptz not null,
      -- Replies of one request share a clock reading in tests: the sequence keeps their order.
      seq bigint generated always as identity
    );
    create index support_message_request on support_message (request_id, seq);

    create table support_attachment (
      id uuid primary key default gen_random_uuid(),
      request_id uuid not null references support_request(id),
      -- Upload order: screenshots are shown as the requester attached them.
      position smallint not null check (position between 1 and 3),
      stored_name text not null unique,
      media_type text not null check (media_type in ('image/png', 'image/jpeg', 'image/webp')),
      size integer not null check (size > 0),
      original_name text not null,
      at timestamptz not null
    );
    create unique index support_attachment_request on support_attachment (request_id, position);
  `.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`drop table support_attachment; drop table support_message; drop table support_request;`.execute(db);
}
