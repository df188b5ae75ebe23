import { sql, type Kysely } from 'kysely';

// Passkeys (WebAuthn credentials), their pending challenges, the re-authentication time of a
// session and the start of an account's grace period (docs/decisions/0044-passkeys.md).
export async function up(db: Kysely<any>): Promise<void> {
  await sql`
    -- credential_id and public_key are base64url, as WebAuthn hands them over; counter is the
    -- authenticator's signature counter (0 for those that keep none), up to 2^32 - 1.
    create table passkey (
      id uuid primary key default gen_random_uuid(),
      account_id uuid not null references account(id) on delete cascade,
      credential_id text not null unique,
      public_key text not null,
      counter bigint not null default 0,
      transports jsonb not null default '[]',
      name text not null,
      created_at timestamptz not null,
      last_used_at timestamptz
    );
    create index passkey_account on passkey (account_id, created_at);

    -- One pending challenge per flow: 'reg:<session id>' for an enrolment, 'auth:<SHA-256 of the
    -- flow cookie>' for a sign-in. Taken by a delete: it is used once at most.
    create table webauthn_challenge (
      id text primary key,
      challenge text not null,
      account_id uuid references account(id) on delete cascade,
      created_at timestamptz not null,
      expires_at timestamptz not null
    );
    create index webauthn_challenge_expiry on webauthn_challenge (expires_at);

    alter table session add column reauthenticated_at timestamptz;
    alter table account add column passkey_grace_started_at timestamptz;
  `.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`
    alter table account drop column passkey_grace_started_at;
    alter table session drop column reauthenticated_at;
    drop table webauthn_challenge;
    drop table passkey;
  `.execute(db);
}
