import { sql, type Kysely } from 'kysely';

// Candidates and funding quotes (drafts and submission).
export async function up(db: Kysely<any>): Promise<void> {
  await sql`
    create table candidate (
      id uuid primary key default gen_random_uuid(),
      identifier text not null unique check (identifier ~ '^[0-9]{7}[A-Z]$'),
      last_name text not null,
      first_name text not null,
      birth_date date not null,
      email text not null,
      account_id uuid unique references account(id),
      created_at timestamptz not null,
      created_by uuid references account(id)
    );
    create index candidate_last_name on candidate (lower(last_name));

    -- data holds the training, costs and poei sections; amounts as integer cents (see quotes/quote-json.ts).
    create table quote (
      id uuid primary key default gen_random_uuid(),
      organisation_id uuid not null references organisation(id),
      candidate_id uuid not null references candidate(id),
      type text not null check (type in ('AIF', 'POEI')),
      status text not null default 'draft'
        check (status in ('draft', 'submitted', 'accepted', 'declined', 'approved', 'refused', 'changes_requested', 'cancelled', 'expired')),
      version integer not null default 1,
      data jsonb not null,
      created_at timestamptz not null,
      updated_at timestamptz not null,
      created_by uuid not null references account(id)
    );
    create index quote_organisation on quote (organisation_id, updated_at desc);
    create index quote_candidate on quote (candidate_id);

    create table quote_event (
      id uuid primary key default gen_random_uuid(),
      quote_id uuid not null references quote(id),
      at timestamptz not null,
      actor_id uuid references account(id),
      actor_login text,
      action text not null,
      from_status text,
      to_status text not null,
      version integer not null,
      comment text,
      -- Events of one request share a clock reading: the sequence keeps them in the order written.
      seq bigint generated always as identity
    );
    create index quote_event_quote on quote_event (quote_id, seq);
  `.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`drop table quote_event; drop table quote; drop table candidate;`.execute(db);
}
