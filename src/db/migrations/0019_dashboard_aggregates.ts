import { sql, type Kysely } from 'kysely';

// The dashboards at 10⁷ attendance rows (docs/decisions/0049-dashboard-figures-at-scale.md):
// - attendance summed per training and month, and per training, materialised views refreshed by
//   a recurring job (dashboard/jobs.ts), read by the figures that span many trainings (the
//   advisor's trainees at risk, the agency's attendance rate) instead of millions of rows;
// - the decided quotes by decision date with what the agency's figures read, so that the
//   decisions of the last 12 months are an index-only scan rather than a read of every quote.
export async function up(db: Kysely<any>): Promise<void> {
  await sql`
    create materialized view attendance_month_summary as
      select training_id, date_trunc('month', date)::date as month,
             count(*)::int as recorded,
             (count(*) filter (where status <> 'absent'))::int as attended,
             (count(*) filter (where status = 'absent' and justified = false))::int as unjustified
      from attendance group by training_id, date_trunc('month', date)::date;
    create unique index attendance_month_summary_key on attendance_month_summary (training_id, month);
    create index attendance_month_summary_month on attendance_month_summary (month);
    create materialized view attendance_training_summary as
      select training_id, sum(recorded)::int as recorded, sum(attended)::int as attended
      from attendance_month_summary group by training_id;
    create unique index attendance_training_summary_key on attendance_training_summary (training_id);
    create index quote_decided on quote (decided_at) include (status, submitted_at) where decided_at is not null;
  `.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`
    drop index quote_decided;
    drop materialized view attendance_training_summary;
    drop materialized view attendance_month_summary;
  `.execute(db);
}
