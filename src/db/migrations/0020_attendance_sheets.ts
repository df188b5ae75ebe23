import { sql, type Kysely } from 'kysely';

// Digital attendance sheets (docs/decisions/0048-attendance-sheets.md): a trainer or an attendance
// officer opens the sheet of one planned half-day of a Carif-Oref session; its trainees sign it on
// their phones; closing it turns the signatures into proposals the attendance officer confirms.
// Proposals live apart from `attendance`, so that a sheet never overwrites a declared half-day.
export async function up(db: Kysely<any>): Promise<void> {
  await sql`
    insert into role (application, code, label, agency_only) values ('kairos', 'trainer', 'Formateur', false);

    create table attendance_sheet (
      id uuid primary key default gen_random_uuid(),
      organisation_id uuid not null references organisation(id),
      carif_oref_session text not null,
      date date not null,
      period text not null check (period in ('am', 'pm')),
      starts_at text not null,
      ends_at text not null,
      status text not null default 'open' check (status in ('open', 'closed')),
      opened_by uuid not null references account(id),
      opened_at timestamptz not null,
      closed_by uuid references account(id),
      closed_at timestamptz,
      trainer_signature jsonb,
      content_hash text,
      unique (organisation_id, carif_oref_session, date, period)
    );

    create table attendance_signature (
      sheet_id uuid not null references attendance_sheet(id),
      training_id uuid not null references training(id),
      candidate_id uuid not null references candidate(id),
      signed_at timestamptz not null,
      token_step bigint not null,
      ip text,
      user_agent text,
      signature jsonb not null,
      primary key (sheet_id, training_id)
    );
    create index attendance_signature_training on attendance_signature (training_id);

    create table attendance_proposal (
      training_id uuid not null references training(id),
      date date not null,
      period text not null check (period in ('am', 'pm')),
      status text not null check (status in ('present', 'late', 'absent')),
      late_minutes integer,
      sheet_id uuid not null references attendance_sheet(id),
      proposed_at timestamptz not null,
      primary key (training_id, date, period)
    );
  `.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`
    drop table attendance_proposal;
    drop table attendance_signature;
    drop table attendance_sheet;
    delete from role where application = 'kairos' and code = 'trainer';
  `.execute(db);
}
