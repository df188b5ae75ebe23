import { sql, type Kysely } from 'kysely';

// Quote templates, decisions, versions, expiry and the training record.
export async function up(db: Kysely<any>): Promise<void> {
  await sql`
    -- When each step happened: the expiry sweep, the day-7 reminder and the advisor queue's waiting time read them.
    alter table quote add column submitted_at timestamptz;
    alter table quote add column reminded_at timestamptz;
    alter table quote add column accepted_at timestamptz;
    alter table quote add column decided_at timestamptz;
    alter table quote add column decided_by uuid references account(id);
    alter table quote add column agreement_reference text unique;
    create index quote_status_submitted on quote (status, submitted_at);

    -- Each submitted version, frozen as it was shown to the candidate and the advisor.
    create table quote_version (
      quote_id uuid not null references quote(id),
      version integer not null,
      type text not null,
      candidate_id uuid not null references candidate(id),
      data jsonb not null,
      submitted_at timestamptz not null,
      primary key (quote_id, version)
    );

    -- The training part of a quote, saved under a name by its organisation.
    create table quote_template (
      id uuid primary key default gen_random_uuid(),
      organisation_id uuid not null references organisation(id),
      name text not null,
      type text not null check (type in ('AIF', 'POEI')),
      training jsonb not null,
      created_at timestamptz not null,
      updated_at timestamptz not null,
      created_by uuid not null references account(id)
    );
    create unique index quote_template_name on quote_template (organisation_id, lower(name));

    -- The training record an approved quote creates (the follow-up builds on it).
    create table training (
      id uuid primary key default gen_random_uuid(),
      quote_id uuid not null unique references quote(id),
      quote_version integer not null,
      organisation_id uuid not null references organisation(id),
      candidate_id uuid not null references candidate(id),
      status text not null default 'planned'
        check (status in ('planned', 'in_progress', 'withdrawn', 'exited', 'reported')),
      title text not null,
      carif_oref_session text not null,
      start_date date not null,
      end_date date not null,
      created_at timestamptz not null,
      updated_at timestamptz not null
    );
    create index training_organisation on training (organisation_id, status);
    create index training_candidate on training (candidate_id);
  `.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`
    drop table training; drop table quote_template; drop table quote_version;
    alter table quote drop column submitted_at, drop column reminded_at, drop column accepted_at,
      drop column decided_at, drop column decided_by, drop column agreement_reference;
  `.execute(db);
}
