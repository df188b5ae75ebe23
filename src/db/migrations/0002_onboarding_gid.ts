import { sql, type Kysely } from 'kysely';

// Adhesion requests, letters, activation codes, GID (staff accounts, habilitation status),
// access reviews, internal security policies and account-manager changes.
export async function up(db: Kysely<any>): Promise<void> {
  await sql`
    alter table organisation
      add column nda text,
      add column qualiopi boolean not null default false,
      add column qualiopi_expiry date,
      add column address text;

    alter table account
      add column first_name text,
      add column last_name text,
      add column phone text,
      add column suspended_reason text;

    create table membership_request (
      id uuid primary key default gen_random_uuid(),
      legal_name text not null,
      siret text not null,
      nda text not null,
      qualiopi boolean not null,
      qualiopi_expiry date,
      address text not null,
      manager_last_name text not null,
      manager_first_name text not null,
      manager_email text not null,
      manager_phone text not null,
      status text not null default 'pending' check (status in ('pending', 'approved', 'rejected')),
      reason text,
      created_at timestamptz not null,
      decided_at timestamptz,
      decided_by uuid references account(id),
      organisation_id uuid references organisation(id)
    );
    create unique index membership_request_pending_siret on membership_request (siret) where status = 'pending';
    create index membership_request_status on membership_request (status, created_at);

    create table activation_code (
      id uuid primary key default gen_random_uuid(),
      account_id uuid not null references account(id) on delete cascade,
      code_hash text not null,
      created_at timestamptz not null,
      expires_at timestamptz not null,
      used_at timestamptz,
      voided_at timestamptz
    );
    create index activation_code_account on activation_code (account_id);

    -- The PDF is kept sealed until the letter is marked as sent, then erased: the activation
    -- letter carries a code that is otherwise stored only as a hash.
    create table letter (
      id uuid primary key default gen_random_uuid(),
      organisation_id uuid not null references organisation(id),
      account_id uuid not null references account(id),
      kind text not null check (kind in ('identifier', 'activation')),
      reference text not null unique,
      pdf_sealed text,
      created_at timestamptz not null,
      sent_at timestamptz,
      sent_by uuid references account(id)
    );
    create index letter_organisation on letter (organisation_id, created_at);

    alter table habilitation
      add column suspended_at timestamptz,
      add column reviewed_at timestamptz;

    create table access_review (
      id uuid primary key default gen_random_uuid(),
      organisation_id uuid not null references organisation(id),
      opened_at timestamptz not null,
      due_at timestamptz not null,
      closed_at timestamptz,
      last_reminder_at timestamptz
    );
    create index access_review_organisation on access_review (organisation_id, opened_at desc);

    create table access_review_decision (
      review_id uuid not null references access_review(id) on delete cascade,
      habilitation_id uuid not null,
      decision text not null check (decision in ('confirmed', 'revoked')),
      decided_at timestamptz not null,
      decided_by uuid not null references account(id),
      primary key (review_id, habilitation_id)
    );

    create table security_policy (
      organisation_id uuid primary key references organisation(id),
      roles_policy text not null,
      departures_policy text not null,
      other_rules text not null default '',
      updated_at timestamptz not null,
      updated_by uuid not null references account(id)
    );

    create table account_manager_change (
      id uuid primary key default gen_random_uuid(),
      organisation_id uuid not null references organisation(id),
      requested_by uuid not null references account(id),
      new_manager_id uuid not null references account(id),
      reason text not null,
      status text not null default 'pending' check (status in ('pending', 'approved', 'rejected')),
      created_at timestamptz not null,
      decided_at timestamptz,
      decided_by uuid references account(id),
      decision_reason text
    );
    create unique index account_manager_change_pending on account_manager_change (organisation_id) where status = 'pending';
  `.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`
    drop table account_manager_change; drop table security_policy; drop table access_review_decision;
    drop table access_review; drop table letter; drop table activation_code; drop table membership_request;
    alter table habilitation drop column suspended_at, drop column reviewed_at;
    alter table account drop column first_name, drop column last_name, drop column phone, drop column suspended_reason;
    alter table organisation drop column nda, drop column qualiopi, drop column qualiopi_expiry, drop column address;
  `.execute(db);
}
