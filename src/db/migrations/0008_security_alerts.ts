import { sql, type Kysely } from 'kysely';

// Bulk-access detection and security alerts.
export async function up(db: Kysely<any>): Promise<void> {
  await sql`
    -- Last read (or export) of each candidate by each account: the sliding-hour count of distinct
    -- candidates is a count of recent rows. Rows older than a day are purged.
    create table candidate_access (
      account_id uuid not null references account(id),
      candidate_id uuid not null references candidate(id),
      kind text not null check (kind in ('read', 'export')),
      at timestamptz not null,
      primary key (account_id, kind, candidate_id)
    );
    create index candidate_access_recent on candidate_access (account_id, kind, at);

    create table security_alert (
      id uuid primary key default gen_random_uuid(),
      kind text not null check (kind in ('bulk_access', 'account_creation')),
      at timestamptz not null,
      account_id uuid not null references account(id),
      organisation_id uuid references organisation(id),
      details jsonb not null,
      status text not null default 'open' check (status in ('open', 'resolved')),
      resolved_at timestamptz,
      resolved_by uuid references account(id),
      resolution text
    );
    create index security_alert_organisation on security_alert (organisation_id, at desc);
    create index security_alert_open on security_alert (status, at desc);
  `.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`drop table security_alert; drop table candidate_access;`.execute(db);
}
