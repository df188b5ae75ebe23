import { sql, type Kysely } from 'kysely';

// Appending to the audit chain in one round trip (docs/decisions/0031-round-trips-of-authenticated-reads.md):
// the function takes the chain's lock, reads the last hash and inserts the rows given (a JSON
// array, in order), each chained to the one before, all inside the database. The caller passes
// each row's canonical content (hash-chain.ts builds it, as it always has); the database hashes
// `previous hash + "\n" + content`, the very bytes the application hashed before, so
// `npm run audit:verify` checks old and new rows alike. A list that audits one row per candidate
// shown appends them all in the same single statement.
// The lock is held until the caller's transaction ends; called alone, until the statement's own.
export async function up(db: Kysely<any>): Promise<void> {
  await sql`
    create function audit_append(p_rows jsonb) returns integer language plpgsql volatile as $$
    declare
      v_prev text;
      v_row jsonb;
      v_count integer := 0;
    begin
      perform pg_advisory_xact_lock(7101001);
      select hash into v_prev from audit_log order by id desc limit 1;
      v_prev := coalesce(v_prev, repeat('0', 64));
      for v_row in select value from jsonb_array_elements(p_rows) with ordinality order by ordinality loop
        insert into audit_log (at, actor_id, actor_login, organisation_id, action, target_type, target_id, ip, request_id, details, prev_hash, hash)
        values ((v_row->>'at')::timestamptz, (v_row->>'actorId')::uuid, v_row->>'actorLogin', (v_row->>'organisationId')::uuid, v_row->>'action',
                v_row->>'targetType', v_row->>'targetId', v_row->>'ip', v_row->>'requestId', v_row->'details',
                v_prev, encode(sha256(convert_to(v_prev || E'\\n' || (v_row->>'content'), 'UTF8')), 'hex'))
        returning hash into v_prev;
        v_count := v_count + 1;
      end loop;
      return v_count;
    end $$;
  `.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`drop function audit_append(jsonb);`.execute(db);
}
