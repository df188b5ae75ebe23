import { sql, type Kysely } from 'kysely';

// Organisation API tokens, their per-token bulk-access counts, and idempotency keys of /api/v1 writes.
export async function up(db: Kysely<any>): Promise<void> {
  await sql`
    -- A token acts inside its organisation with its roles only; the secret is kept as its SHA-256.
    -- created_by is the account manager who issued it: business rows that need an account
    -- (quote.created_by...) name them, the audit log names the token.
    create table api_token (
      id uuid primary key default gen_random_uuid(),
      organisation_id uuid not null references organisation(id),
      name text not null,
      secret_hash text not null unique,
      roles jsonb not null,
      allowed_ips jsonb not null,
      created_by uuid not null references account(id),
      created_at timestamptz not null,
      expires_at timestamptz not null,
      revoked_at timestamptz,
      revoked_by uuid references account(id),
      revoke_reason text,
      last_used_at timestamptz,
      last_used_ip text,
      expiry_reminded_at timestamptz
    );
    create index api_token_organisation on api_token (organisation_id, created_at desc);
    create index api_token_expiring on api_token (expires_at) where revoked_at is null and expiry_reminded_at is null;

    -- The bulk-access window of tokens, as candidate_access is for accounts.
    create table api_token_candidate_access (
      token_id uuid not null references api_token(id),
      candidate_id uuid not null references candidate(id),
      kind text not null check (kind in ('read', 'export')),
      at timestamptz not null,
      primary key (token_id, kind, candidate_id)
    );
    create index api_token_candidate_access_recent on api_token_candidate_access (token_id, kind, at);

    -- The first answer to a write carrying an Idempotency-Key, per caller, for 24 hours.
    create table idempotency_key (
      principal text not null,
      key text not null,
      request_hash text not null,
      status_code int,
      content_type text,
      body text,
      created_at timestamptz not null,
      expires_at timestamptz not null,
      primary key (principal, key)
    );
    create index idempotency_key_expiry on idempotency_key (expires_at);
  `.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`drop table idempotency_key; drop table api_token_candidate_access; drop table api_token;`.execute(db);
}
