import { sql, type Kysely } from 'kysely';

// Organisations, accounts, second factor, habilitations, sessions, throttling, audit log, jobs, outbox.
export async function up(db: Kysely<any>): Promise<void> {
  await sql`
    create table organisation (
      id uuid primary key default gen_random_uuid(),
      name text not null,
      kind text not null check (kind in ('agency', 'training_provider')),
      siret text unique,
      status text not null default 'active' check (status in ('active', 'suspended')),
      created_at timestamptz not null default now()
    );

    create table account (
      id uuid primary key default gen_random_uuid(),
      login text not null unique check (login = lower(login)),
      display_name text not null,
      email text,
      organisation_id uuid references organisation(id),
      kind text not null check (kind in ('staff', 'candidate')),
      status text not null default 'pending' check (status in ('pending', 'active', 'suspended', 'deleted')),
      password_hash text,
      password_changed_at timestamptz,
      totp_secret_sealed text,
      totp_pending_sealed text,
      totp_last_step bigint,
      created_at timestamptz not null default now(),
      check ((kind = 'candidate') = (organisation_id is null))
    );
    create index account_organisation on account (organisation_id);

    create table recovery_code (
      id uuid primary key default gen_random_uuid(),
      account_id uuid not null references account(id) on delete cascade,
      code_hash text not null,
      used_at timestamptz,
      unique (account_id, code_hash)
    );

    create table application (
      code text primary key,
      name text not null,
      description text not null,
      path text not null,
      position int not null
    );

    insert into application (code, name, description, path, position) values
      ('kairos', 'Kairos', 'Devis AIF et POEI, entrées, assiduité, abandons et bilans de formation', '/kairos', 1),
      ('gid', 'GID Partenaires', 'Gestion des comptes et des habilitations de votre organisme', '/gid', 2),
      ('support', 'Assistance', 'Centre d''aide et demandes d''assistance', '/assistance', 3);

    create table role (
      application text not null references application(code),
      code text not null,
      label text not null,
      agency_only boolean not null default false,
      primary key (application, code)
    );

    insert into role (application, code, label, agency_only) values
      ('kairos', 'quote_editor', 'Rédaction des devis', false),
      ('kairos', 'attendance_officer', 'Déclaration de l''assiduité', false),
      ('kairos', 'reader', 'Consultation', false),
      ('kairos', 'advisor', 'Conseiller', true),
      ('kairos', 'agency_admin', 'Administration (agence)', true),
      ('gid', 'account_manager', 'Responsable de gestion des comptes', false),
      ('gid', 'agency_admin', 'Administration (agence)', true),
      ('support', 'user', 'Utilisateur', false),
      ('support', 'agent', 'Agent d''assistance', true);

    create table habilitation (
      id uuid primary key default gen_random_uuid(),
      account_id uuid not null references account(id) on delete cascade,
      organisation_id uuid not null references organisation(id),
      application text not null,
      role text not null,
      granted_by uuid references account(id),
      granted_at timestamptz not null default now(),
      foreign key (application, role) references role(application, code),
      unique (account_id, application, role)
    );
    create index habilitation_organisation on habilitation (organisation_id);

    create table session (
      id text primary key,
      account_id uuid not null references account(id) on delete cascade,
      csrf_token text not null,
      created_at timestamptz not null,
      last_seen_at timestamptz not null,
      ended_at timestamptz,
      end_reason text,
      ip text,
      user_agent text
    );
    create index session_account on session (account_id, created_at desc);

    create table sign_in_throttle (
      key text primary key,
      failures int not null,
      last_failure_at timestamptz not null,
      locked_until timestamptz
    );

    create table audit_log (
      id bigint generated always as identity primary key,
      at timestamptz not null,
      actor_id uuid,
      actor_login text,
      organisation_id uuid,
      action text not null,
      target_type text,
      target_id text,
      ip text,
      request_id text,
      details jsonb not null default '{}'::jsonb,
      prev_hash text not null,
      hash text not null unique
    );
    create index audit_log_organisation on audit_log (organisation_id, id);
    create index audit_log_actor on audit_log (actor_id, id);

    -- Append-only: rows can only be removed by the retention purge, which sets kairos.audit_purge.
    create function audit_log_guard() returns trigger language plpgsql as $$
    begin
      if tg_op = 'DELETE' and current_setting('kairos.audit_purge', true) = 'on' then
        return old;
      end if;
      raise exception 'audit_log is append-only';
    end $$;
    create trigger audit_log_append_only before update or delete on audit_log
      for each row execute function audit_log_guard();

    create table job (
      id bigint generated always as identity primary key,
      kind text not null,
      payload jsonb not null,
      status text not null default 'pending' check (status in ('pending', 'running', 'done', 'failed')),
      attempts int not null default 0,
      max_attempts int not null default 8,
      run_at timestamptz not null default now(),
      locked_at timestamptz,
      locked_by text,
      last_error text,
      created_at timestamptz not null default now(),
      finished_at timestamptz
    );
    create index job_ready on job (run_at) where status in ('pending', 'running');

    -- Instance-wide settings: the generated secret key when APP_SECRET is unset (never in
    -- production), and the marker that demo data was seeded.
    create table instance_setting (
      key text primary key,
      value text not null
    );

    create table mail_outbox (
      id uuid primary key default gen_random_uuid(),
      to_address text not null,
      subject text not null,
      text_body text not null,
      raw_message text not null,
      created_at timestamptz not null default now()
    );
  `.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`
    drop table mail_outbox; drop table instance_setting; drop table job;
    drop trigger audit_log_append_only on audit_log; drop function audit_log_guard(); drop table audit_log;
    drop table sign_in_throttle; drop table session; drop table habilitation; drop table role;
    drop table application; drop table recovery_code; drop table account; drop table organisation;
  `.execute(db);
}
