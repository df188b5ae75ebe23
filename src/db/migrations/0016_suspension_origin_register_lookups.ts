import { sql, type Kysely } from 'kysely';

// Who suspended an account decides who may lift the suspension: one set by a security detector
// (bulk access, account-creation guard) is the agency's to lift, through its alert, never the
// account manager's (docs/decisions/0042-shared-rate-limits-and-security-suspensions.md).
// Look-ups of the register by a candidate identifier that matched nobody count toward the
// bulk-access window like reads: each answer tells whether a person is registered. The
// identifier is kept as a SHA-256 only, one row per account and identifier, purged after a day.
export async function up(db: Kysely<any>): Promise<void> {
  await sql`
    alter table account add column suspension_origin text
      check (suspension_origin in ('account_manager', 'agency', 'inactivity', 'bulk_access', 'creation_guard'));

    -- Suspensions already in place: the detectors' are recognised by their open alert or their reason.
    update account set suspension_origin = 'bulk_access'
     where status = 'suspended'
       and id in (select account_id from security_alert where kind = 'bulk_access' and status = 'open');
    update account set suspension_origin = 'creation_guard'
     where status = 'suspended' and suspension_origin is null
       and suspended_reason = 'En attente de confirmation par l’agence : volume inhabituel de créations de comptes ou d’habilitations.';
    update account set suspension_origin = 'inactivity'
     where status = 'suspended' and suspension_origin is null and suspended_reason = 'inactivité';

    create table register_lookup (
      account_id uuid not null references account(id),
      lookup text not null,
      at timestamptz not null,
      primary key (account_id, lookup)
    );
    create index register_lookup_recent on register_lookup (account_id, at);
  `.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`
    drop table register_lookup;
    alter table account drop column suspension_origin;
  `.execute(db);
}
