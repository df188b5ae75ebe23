import { sql, type Kysely } from 'kysely';

// Signed webhooks (docs/decisions/0037-signed-webhooks.md): an organisation's endpoints, their
// secret sealed like the other secrets at rest, and one delivery row per event and endpoint,
// written in the transaction of the change it reports (the outbox).
export async function up(db: Kysely<any>): Promise<void> {
  await sql`
    create table webhook_endpoint (
      id uuid primary key default gen_random_uuid(),
      organisation_id uuid not null references organisation(id),
      url text not null,
      events jsonb not null,
      secret_sealed text not null,
      enabled boolean not null default true,
      failing_since timestamptz,
      disabled_at timestamptz,
      created_by uuid references account(id) on delete set null,
      created_at timestamptz not null,
      updated_at timestamptz not null
    );
    create index webhook_endpoint_organisation on webhook_endpoint (organisation_id, created_at);
    create table webhook_delivery (
      id uuid primary key default gen_random_uuid(),
      endpoint_id uuid not null references webhook_endpoint(id) on delete cascade,
      event_id uuid not null,
      event_type text not null,
      body text not null,
      status text not null default 'pending',
      attempts integer not null default 0,
      response_code integer,
      duration_ms integer,
      last_error text,
      created_at timestamptz not null,
      last_attempt_at timestamptz,
      next_attempt_at timestamptz,
      delivered_at timestamptz
    );
    create index webhook_delivery_endpoint on webhook_delivery (endpoint_id, created_at desc);
  `.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`drop table webhook_delivery; drop table webhook_endpoint;`.execute(db);
}
