import { sql, type Kysely } from 'kysely';

// Signed checkpoints of the audit chain (docs/decisions/0043-audit-checkpoints.md): the chain
// alone cannot show that its newest rows were removed, since what remains still links up. A
// checkpoint records the head (row id, hash, time) signed with the instance's Ed25519 key; it is
// also mailed to the agency administrators, so a copy lives outside the database. Append-only,
// like the log itself: a checkpoint is never changed or removed by the application.
// The index on the audit rows' targets serves the candidate's data export (right of access).
export async function up(db: Kysely<any>): Promise<void> {
  await sql`
    create table audit_checkpoint (
      id bigint generated always as identity primary key,
      row_id bigint not null,
      row_hash text not null,
      row_at timestamptz not null,
      created_at timestamptz not null,
      signature text not null,
      key_fingerprint text not null
    );
    create function audit_checkpoint_guard() returns trigger language plpgsql as $$
    begin
      raise exception 'audit_checkpoint is append-only';
    end $$;
    create trigger audit_checkpoint_append_only before update or delete on audit_checkpoint
      for each row execute function audit_checkpoint_guard();
    -- A candidate's export of their data lists the audit events about their file (its target),
    -- found by this index rather than by reading the whole log.
    create index audit_log_target on audit_log (target_type, target_id, id);
  `.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`
    drop index audit_log_target;
    drop trigger audit_checkpoint_append_only on audit_checkpoint;
    drop function audit_checkpoint_guard();
    drop table audit_checkpoint;
  `.execute(db);
}
