import { sql, type Kysely } from 'kysely';

// Appending to the audit chain in one round trip (docs/decisions/0031-round-trips-of-authenticated-reads.md):
// the function takes the chain's lock, reads the last hash and inserts the row chained to it, all
// inside the database. The caller passes the row's canonical content (hash-chain.ts builds it,
// as it always has); the database hashes `previous hash + "\n" + content`, the very bytes the
// application hashed before, so `npm run audit:verify` checks old and new rows alike.
// The lock is held until the caller's transaction ends; called alone, until the statement's own.
export async function up(db: Kysely<any>): Promise<void> {
  await sql`
    create function audit_append(
      p_at timestamptz, p_actor_id uuid, p_actor_login text, p_organisation_id uuid, p_action text,
      p_target_type text, p_target_id text, p_ip text, p_request_id text, p_details jsonb, p_content text
    ) returns bigint language plpgsql volatile as $$
    declare
      v_prev text;
      v_id bigint;
    begin
      perform pg_advisory_xact_lock(7101001);
      select hash into v_prev from audit_log order by id desc limit 1;
      v_prev := coalesce(v_prev, repeat('0', 64));
      insert into audit_log (at, actor_id, actor_login, organisation_id, action, target_type, target_id, ip, request_id, details, prev_hash, hash)
      values (p_at, p_actor_id, p_actor_login, p_organisation_id, p_action, p_target_type, p_target_id, p_ip, p_request_id, p_details,
              v_prev, encode(sha256(convert_to(v_prev || E'\\n' || p_content, 'UTF8')), 'hex'))
      returning id into v_id;
      return v_id;
    end $$;
  `.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`drop function audit_append(timestamptz, uuid, text, uuid, text, text, text, text, text, jsonb, text);`.execute(db);
}
