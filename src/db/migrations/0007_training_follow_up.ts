import { sql, type Kysely } from 'kysely';

// Training follow-up: entry, half-day sessions, attendance, monthly statements
// and their corrections, withdrawal, exit, report, and the alerts shown to advisors.
export async function up(db: Kysely<any>): Promise<void> {
  await sql`
    alter table training add column entry_date date;
    alter table training add column withdrawal_date date;
    alter table training add column withdrawal_reason text
      check (withdrawal_reason in ('found_job', 'health', 'personal', 'disengagement', 'other'));
    alter table training add column withdrawal_comment text;
    alter table training add column exit_date date;
    -- Last reminder mail about an overdue report (the daily sweep spaces them out).
    alter table training add column report_reminded_at timestamptz;
    create index training_session_number on training (organisation_id, carif_oref_session);

    -- The half-days to attend, generated at entry from the quote's schedule minus public holidays.
    create table training_session (
      training_id uuid not null references training(id),
      date date not null,
      period text not null check (period in ('am', 'pm')),
      starts_at text not null,
      ends_at text not null,
      minutes integer not null check (minutes > 0),
      primary key (training_id, date, period)
    );

    create table attendance (
      training_id uuid not null,
      date date not null,
      period text not null,
      status text not null check (status in ('present', 'late', 'absent')),
      late_minutes integer check (late_minutes > 0),
      reason text check (reason in ('sickness', 'justified', 'unjustified', 'family_event', 'agency_appointment', 'other')),
      justified boolean,
      recorded_at timestamptz not null,
      recorded_by uuid not null references account(id),
      primary key (training_id, date, period),
      -- Attendance exists only for a planned half-day.
      foreign key (training_id, date, period) references training_session (training_id, date, period),
      check ((status = 'late') = (late_minutes is not null)),
      check ((status = 'absent') = (reason is not null and justified is not null))
    );

    -- A submitted month: the figures as computed then, kept up to date by corrections.
    create table monthly_statement (
      training_id uuid not null references training(id),
      month text not null check (month ~ '^[0-9]{4}-(0[1-9]|1[0-2])$'),
      figures jsonb not null,
      submitted_at timestamptz not null,
      submitted_by uuid not null references account(id),
      updated_at timestamptz not null,
      primary key (training_id, month)
    );

    -- The only way to change a locked month: one row per changed half-day, with its reason.
    create table attendance_correction (
      id uuid primary key default gen_random_uuid(),
      training_id uuid not null references training(id),
      date date not null,
      period text not null check (period in ('am', 'pm')),
      before jsonb,
      after jsonb not null,
      reason text not null,
      corrected_at timestamptz not null,
      corrected_by uuid not null references account(id),
      corrected_by_login text not null
    );
    create index attendance_correction_training on attendance_correction (training_id, date);

    create table training_report (
      training_id uuid primary key references training(id),
      outcome text not null check (outcome in ('completed', 'partially_completed')),
      certification text not null check (certification in ('full', 'partial', 'none', 'pending')),
      skills text not null,
      difficulties text not null,
      next_steps text not null,
      employment_outcome text,
      submitted_at timestamptz not null,
      submitted_by uuid not null references account(id)
    );

    -- What the advisor's dashboard lists: too many unjustified absences in a month, a
    -- withdrawal, an overdue report. One alert per training, kind and month.
    create table training_alert (
      id uuid primary key default gen_random_uuid(),
      training_id uuid not null references training(id),
      kind text not null check (kind in ('unjustified_absences', 'withdrawal', 'report_overdue')),
      month text not null default '',
      advisor_id uuid references account(id),
      details jsonb not null,
      created_at timestamptz not null
    );
    create unique index training_alert_once on training_alert (training_id, kind, month);
    create index training_alert_advisor on training_alert (advisor_id, created_at desc);
  `.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`
    drop table training_alert; drop table training_report; drop table attendance_correction;
    drop table monthly_statement; drop table attendance; drop table training_session;
    drop index training_session_number;
    alter table training drop column entry_date, drop column withdrawal_date, drop column withdrawal_reason,
      drop column withdrawal_comment, drop column exit_date, drop column report_reminded_at;
  `.execute(db);
}
