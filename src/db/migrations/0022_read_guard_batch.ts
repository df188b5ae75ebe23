import { sql, type Kysely } from 'kysely';

// Group commit of audited reads (docs/decisions/0051-audited-reads-group-commit.md): one call
// guards a batch of staff reads in one transaction, so the batch pays for one chain lock and one
// WAL flush instead of one each. Each request is handled in order exactly as the single
// statement it replaces: its candidates counted as accessed (a row read again within
// refreshSeconds keeps its time), its unmatched look-ups counted, the distinct candidates and
// look-ups of its window counted per kind, and its audit rows kept only when its reads stay
// within readsAtMost (past it the caller refuses the read, which then is not audited). Each
// statement of a plpgsql function sees the writes of the ones before, so a request's count
// includes its own writes and those of the requests before it in the batch, as if sequential.
// The chain's lock is taken first, before any candidate_access row: a batch taking row locks
// while holding the chain's lock, and another writer holding a row while waiting for the chain,
// would deadlock. The kept audit rows are appended at the end, in request order, in one call.
export async function up(db: Kysely<any>): Promise<void> {
  await sql`
    create function guard_reads(p jsonb) returns jsonb language plpgsql volatile as $$
    declare
      v_req jsonb;
      v_account uuid;
      v_at timestamptz;
      v_since timestamptz;
      v_read bigint;
      v_export bigint;
      v_audited integer;
      v_audit jsonb := '[]'::jsonb;
      v_out jsonb := '[]'::jsonb;
    begin
      perform pg_advisory_xact_lock(7101001);
      for v_req in select value from jsonb_array_elements(p) with ordinality order by ordinality loop
        v_account := (v_req->>'accountId')::uuid;
        v_at := (v_req->>'at')::timestamptz;
        v_since := (v_req->>'since')::timestamptz;
        insert into candidate_access (account_id, candidate_id, kind, at)
        select v_account, c.value::uuid, k.value, v_at
          from jsonb_array_elements_text(v_req->'candidateIds') c,
               jsonb_array_elements_text(v_req->'kinds') k
         where not exists (select 1 from candidate_access fresh
                            where fresh.account_id = v_account and fresh.kind = k.value and fresh.candidate_id = c.value::uuid
                              and fresh.at > v_at - make_interval(secs => (v_req->>'refreshSeconds')::int))
        on conflict (account_id, kind, candidate_id) do update set at = excluded.at;
        insert into register_lookup (account_id, lookup, at)
        select v_account, l.value, v_at from jsonb_array_elements_text(v_req->'lookups') l
        on conflict (account_id, lookup) do update set at = excluded.at;
        select count(*) filter (where a.kind = 'read'), count(*) filter (where a.kind = 'export') into v_read, v_export
          from candidate_access a where a.account_id = v_account and a.at > v_since;
        v_read := v_read + (select count(*) from register_lookup r where r.account_id = v_account and r.at > v_since);
        v_audited := 0;
        if v_read <= (v_req->>'readsAtMost')::int then
          v_audit := v_audit || (v_req->'audit');
          v_audited := jsonb_array_length(v_req->'audit');
        end if;
        v_out := v_out || jsonb_build_array(jsonb_build_object('read', v_read, 'export', v_export, 'audited', v_audited));
      end loop;
      if jsonb_array_length(v_audit) > 0 then
        perform audit_append(v_audit);
      end if;
      return v_out;
    end $$;
  `.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`drop function guard_reads(jsonb);`.execute(db);
}
