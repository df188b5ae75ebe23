/**
 * The dashboards' figures: SQL aggregates only, each one statement filtered by the reader's
 * tenant. The advisor's trainees are those of the training follow-up's scope (the candidates
 * they registered or whose quote they decided, docs/decisions/0009-training-follow-up-scope.md);
 * the advisor's queue is the agency's, as on /conseiller/devis.
 */
import { sql, type Kysely, type RawBuilder } from 'kysely';
import type { DB } from '../../db/schema.js';
import { blockedDraft } from '../quotes/record/blocking-errors.js';

type Db = Kysely<DB>;
const n = (v: unknown): number => Number(v ?? 0);
const orNull = (v: unknown): number | null => (v === null || v === undefined ? null : Number(v));

/** A quote's start date as stored in its training section. */
const startDate = sql`(quote.data->'training'->>'startDate')`;
/** Closed (exit or withdrawal) more than 30 days ago without a report: as the follow-up's list says. */
const overdue = (today: string) => sql`(training.status in ('exited', 'withdrawn') and coalesce(training.withdrawal_date, training.exit_date) + 30 < ${today}::date)`;
const reportDue = (today: string) => sql`(training.status in ('exited', 'withdrawn') and coalesce(training.withdrawal_date, training.exit_date) + 30 >= ${today}::date)`;
/** Days between submission and decision, for the decided quotes. */
const delayDays = sql`(extract(epoch from (quote.decided_at - quote.submitted_at)) / 86400.0)`;

async function rows<T>(db: Db, query: RawBuilder<T>): Promise<T[]> {
  return (await query.execute(db)).rows;
}

export interface QuoteTodoRow {
  status: string;
  count: number;
  /** Drafts carrying stored warnings (submittable, the advisor will see them). */
  warnedDrafts: number;
  /** Drafts `submit` would refuse on `today` (blocking-errors.ts). */
  blockedDrafts: number;
  expiring: number;
}

/**
 * An organisation's quotes by status, with what needs doing: drafts with blocking errors on
 * `today`, drafts with warnings, and quotes that expire within `days` (unanswered since
 * `answerBefore`, or starting by `lastStart`).
 */
export async function organisationQuotes(db: Db, organisationId: string, today: string, answerBefore: Date, lastStart: string): Promise<QuoteTodoRow[]> {
  const r = await rows<Record<string, unknown>>(
    db,
    sql`select quote.status,
          count(*) as count,
          count(*) filter (where quote.status = 'draft' and jsonb_array_length(coalesce(quote.warnings, '[]'::jsonb)) > 0) as warned,
          count(*) filter (where ${blockedDraft(today)}) as blocked,
          count(*) filter (where (quote.status = 'submitted' and quote.submitted_at <= ${answerBefore})
                              or (quote.status in ('submitted', 'accepted') and ${startDate} <= ${lastStart})) as expiring
        from quote where quote.organisation_id = ${organisationId}
        group by quote.status`,
  );
  return r.map((x) => ({ status: String(x.status), count: n(x.count), warnedDrafts: n(x.warned), blockedDrafts: n(x.blocked), expiring: n(x.expiring) }));
}

export interface DecisionFigures {
  approved: number;
  refused: number;
  medianDays: number | null;
  p90Days: number | null;
}

/** Approved and refused quotes (decided since `since` when given), and their submission → decision delay. */
export async function decisions(db: Db, filter: { organisationId?: string; since?: Date }): Promise<DecisionFigures> {
  const byOrg = filter.organisationId ? sql`and quote.organisation_id = ${filter.organisationId}` : sql``;
  const since = filter.since ? sql`and quote.decided_at >= ${filter.since}` : sql``;
  const [r] = await rows<Record<string, unknown>>(
    db,
    sql`select count(*) filter (where quote.status = 'approved') as approved,
          count(*) filter (where quote.status = 'refused') as refused,
          percentile_cont(0.5) within group (order by ${delayDays}) as median,
          percentile_cont(0.9) within group (order by ${delayDays}) as p90
        from quote
        where quote.status in ('approved', 'refused') and quote.decided_at is not null and quote.submitted_at is not null ${byOrg} ${since}`,
  );
  return { approved: n(r?.approved), refused: n(r?.refused), medianDays: orNull(r?.median), p90Days: orNull(r?.p90) };
}

export interface TrainingTodo {
  entriesToDeclare: number;
  reportsDue: number;
  reportsOverdue: number;
  monthsToSubmit: number;
  unjustifiedTrainees: number;
}

/** What an organisation's follow-up has to do on `today` (`monthFirst`: the first day of its month). */
export async function organisationTrainingTodo(db: Db, organisationId: string, today: string, monthFirst: string): Promise<TrainingTodo> {
  const [r] = await rows<Record<string, unknown>>(
    db,
    sql`select
          (select count(*) from training where training.organisation_id = ${organisationId} and training.status = 'planned' and training.start_date <= ${today}::date) as entries,
          (select count(*) from training where training.organisation_id = ${organisationId} and ${reportDue(today)}) as due,
          (select count(*) from training where training.organisation_id = ${organisationId} and ${overdue(today)}) as overdue,
          (select count(*) from training
             cross join lateral generate_series(
               date_trunc('month', training.entry_date),
               date_trunc('month', least(coalesce(training.withdrawal_date, training.exit_date, training.end_date), ${monthFirst}::date - 1)),
               interval '1 month') as m(month)
             where training.organisation_id = ${organisationId} and training.entry_date is not null
               and not exists (select 1 from monthly_statement s where s.training_id = training.id and s.month = to_char(m.month, 'YYYY-MM'))) as months,
          (select count(distinct attendance.training_id) from attendance inner join training on training.id = attendance.training_id
             where training.organisation_id = ${organisationId} and attendance.status = 'absent' and attendance.justified = false
               and attendance.date >= ${monthFirst}::date and attendance.date <= ${today}::date) as unjustified`,
  );
  return {
    entriesToDeclare: n(r?.entries),
    reportsDue: n(r?.due),
    reportsOverdue: n(r?.overdue),
    monthsToSubmit: n(r?.months),
    unjustifiedTrainees: n(r?.unjustified),
  };
}

export interface SessionAttendance {
  session: string;
  recorded: number;
  attended: number;
}

/** Half-days recorded and attended (present or late) from `from` to `to`, per Carif-Oref session, or overall. */
export async function attendanceBySession(db: Db, filter: { organisationId?: string }, from: string, to: string): Promise<SessionAttendance[]> {
  const byOrg = filter.organisationId ? sql`and training.organisation_id = ${filter.organisationId}` : sql``;
  const r = await rows<Record<string, unknown>>(
    db,
    sql`select training.carif_oref_session as session, count(*) as recorded, count(*) filter (where attendance.status <> 'absent') as attended
        from attendance inner join training on training.id = attendance.training_id
        where attendance.date >= ${from}::date and attendance.date <= ${to}::date ${byOrg}
        group by training.carif_oref_session order by training.carif_oref_session`,
  );
  return r.map((x) => ({ session: String(x.session), recorded: n(x.recorded), attended: n(x.attended) }));
}

/**
 * Half-days recorded and attended in the months from `from`'s to `to`'s, all organisations, from
 * the monthly summary (attendance_month_summary, as of its last refresh: dashboard/jobs.ts).
 */
export async function attendanceOverall(db: Db, from: string, to: string): Promise<{ recorded: number; attended: number }> {
  const [r] = await rows<Record<string, unknown>>(
    db,
    sql`select coalesce(sum(recorded), 0) as recorded, coalesce(sum(attended), 0) as attended
        from attendance_month_summary where month >= date_trunc('month', ${from}::date) and month <= ${to}::date`,
  );
  return { recorded: n(r?.recorded), attended: n(r?.attended) };
}

/** Withdrawals by reason (whatever happened to the training since). */
export async function withdrawalsByReason(db: Db, organisationId: string): Promise<Array<{ reason: string; count: number }>> {
  const r = await rows<Record<string, unknown>>(
    db,
    sql`select training.withdrawal_reason as reason, count(*) as count from training
        where training.organisation_id = ${organisationId} and training.withdrawal_reason is not null
        group by training.withdrawal_reason`,
  );
  return r.map((x) => ({ reason: String(x.reason), count: n(x.count) }));
}

/** The agency's queue (accepted quotes awaiting a decision) by days waiting: below 3, 3 to 6, 7 to 13, 14 or more. */
export async function queueWaiting(db: Db, now: Date): Promise<number[]> {
  const [r] = await rows<Record<string, unknown>>(
    db,
    sql`select count(*) filter (where w.days < 3) as b0, count(*) filter (where w.days >= 3 and w.days < 7) as b1,
               count(*) filter (where w.days >= 7 and w.days < 14) as b2, count(*) filter (where w.days >= 14) as b3
        from (select extract(epoch from (${now}::timestamptz - coalesce(quote.accepted_at, quote.submitted_at))) / 86400 as days
              from quote where quote.status = 'accepted' and quote.submitted_at is not null) as w`,
  );
  return [n(r?.b0), n(r?.b1), n(r?.b2), n(r?.b3)];
}

const advisorScope = (accountId: string) => sql`(candidate.created_by = ${accountId} or quote.decided_by = ${accountId})`;

/** Alerts about the advisor's candidates raised since `since`, by kind. */
export async function advisorAlerts(db: Db, accountId: string, since: Date): Promise<Array<{ kind: string; count: number }>> {
  const r = await rows<Record<string, unknown>>(
    db,
    sql`select training_alert.kind, count(*) as count from training_alert
        where training_alert.advisor_id = ${accountId} and training_alert.created_at >= ${since} group by training_alert.kind`,
  );
  return r.map((x) => ({ kind: String(x.kind), count: n(x.count) }));
}

export interface AtRiskRow {
  trainingId: string;
  candidateId: string;
  identifier: string;
  lastName: string;
  firstName: string;
  recorded: number;
  attended: number;
  unjustified: number;
}

/**
 * The advisor's trainees in training whose attendance is below `threshold` or with unjustified
 * absences in `monthFirst`'s month, from the monthly summary (as of its last refresh).
 */
export async function advisorAtRisk(db: Db, accountId: string, monthFirst: string, threshold: number): Promise<AtRiskRow[]> {
  const r = await rows<Record<string, unknown>>(
    db,
    sql`select training.id, candidate.id as candidate_id, candidate.identifier, candidate.last_name, candidate.first_name,
          t.recorded, t.attended, coalesce(m.unjustified, 0) as unjustified
        from training
        inner join candidate on candidate.id = training.candidate_id
        inner join quote on quote.id = training.quote_id
        inner join attendance_training_summary t on t.training_id = training.id
        left join attendance_month_summary m on m.training_id = training.id and m.month = date_trunc('month', ${monthFirst}::date)
        where training.status = 'in_progress' and ${advisorScope(accountId)}
          and ((t.recorded > 0 and t.attended < ${threshold}::numeric * t.recorded) or coalesce(m.unjustified, 0) > 0)
        order by candidate.last_name, candidate.identifier`,
  );
  return r.map((x) => ({
    trainingId: String(x.id),
    candidateId: String(x.candidate_id),
    identifier: String(x.identifier),
    lastName: String(x.last_name),
    firstName: String(x.first_name),
    recorded: n(x.recorded),
    attended: n(x.attended),
    unjustified: n(x.unjustified),
  }));
}

/** The advisor's trainees whose report is overdue on `today`. */
export async function advisorOverdueReports(db: Db, accountId: string, today: string): Promise<number> {
  const [r] = await rows<Record<string, unknown>>(
    db,
    sql`select count(*) as count from training inner join candidate on candidate.id = training.candidate_id inner join quote on quote.id = training.quote_id
        where ${overdue(today)} and ${advisorScope(accountId)}`,
  );
  return n(r?.count);
}

/** Quotes submitted, approved and refused per month (Europe/Paris) since `since`. */
export async function pipelineByMonth(db: Db, since: Date): Promise<Array<{ month: string; submitted: number; approved: number; refused: number }>> {
  const r = await rows<Record<string, unknown>>(
    db,
    sql`select month, sum(submitted) as submitted, sum(approved) as approved, sum(refused) as refused from (
          select to_char(quote.submitted_at at time zone 'Europe/Paris', 'YYYY-MM') as month, count(*) as submitted, 0 as approved, 0 as refused
            from quote where quote.submitted_at >= ${since} group by 1
          union all
          select to_char(quote.decided_at at time zone 'Europe/Paris', 'YYYY-MM'), 0,
                 count(*) filter (where quote.status = 'approved'), count(*) filter (where quote.status = 'refused')
            from quote where quote.decided_at >= ${since} and quote.status in ('approved', 'refused') group by 1
        ) as p group by month order by month`,
  );
  return r.map((x) => ({ month: String(x.month), submitted: n(x.submitted), approved: n(x.approved), refused: n(x.refused) }));
}

export const ORGANISATION_SORTS = ['retards', 'abandons', 'assiduite', 'nom'] as const;
export type OrganisationSort = (typeof ORGANISATION_SORTS)[number];

export interface OrganisationRow {
  id: string;
  name: string;
  overdueReports: number;
  withdrawals: Record<string, number>;
  withdrawalTotal: number;
  /** Half-days recorded and attended in the months from `from`'s to `to`'s (monthly summary). */
  recorded: number;
  attended: number;
}

/**
 * Training organisations with their withdrawals by reason, overdue reports and attendance rate
 * since `attendanceFrom`'s month (from the monthly summary, as of its last refresh), worst first
 * by `sort`: the lowest attendance first for `assiduite`, organisations without any recorded
 * half-day last.
 */
export async function byOrganisation(db: Db, today: string, attendanceFrom: string, sort: OrganisationSort, limit: number): Promise<OrganisationRow[]> {
  const order = {
    retards: sql`overdue desc, withdrawals desc, organisation.name`,
    abandons: sql`withdrawals desc, overdue desc, organisation.name`,
    assiduite: sql`coalesce(max(att.attended), 0)::float / nullif(coalesce(max(att.recorded), 0), 0) asc nulls last, organisation.name`,
    nom: sql`organisation.name`,
  }[sort];
  const r = await rows<Record<string, unknown>>(
    db,
    sql`select organisation.id, organisation.name,
          count(training.id) filter (where ${overdue(today)}) as overdue,
          count(training.id) filter (where training.withdrawal_reason is not null) as withdrawals,
          count(training.id) filter (where training.withdrawal_reason = 'found_job') as found_job,
          count(training.id) filter (where training.withdrawal_reason = 'health') as health,
          count(training.id) filter (where training.withdrawal_reason = 'personal') as personal,
          count(training.id) filter (where training.withdrawal_reason = 'disengagement') as disengagement,
          count(training.id) filter (where training.withdrawal_reason = 'other') as other,
          coalesce(max(att.recorded), 0) as recorded, coalesce(max(att.attended), 0) as attended
        from organisation left join training on training.organisation_id = organisation.id
        left join (
          select t.organisation_id, sum(s.recorded) as recorded, sum(s.attended) as attended
            from attendance_month_summary s join training t on t.id = s.training_id
            where s.month >= date_trunc('month', ${attendanceFrom}::date) and s.month <= ${today}::date
            group by t.organisation_id
        ) as att on att.organisation_id = organisation.id
        where organisation.kind = 'training_provider'
        group by organisation.id, organisation.name
        order by ${order} limit ${limit}`,
  );
  return r.map((x) => ({
    id: String(x.id),
    name: String(x.name),
    overdueReports: n(x.overdue),
    withdrawalTotal: n(x.withdrawals),
    withdrawals: Object.fromEntries(['found_job', 'health', 'personal', 'disengagement', 'other'].map((k) => [k, n(x[k])])),
    recorded: n(x.recorded),
    attended: n(x.attended),
  }));
}

/** Membership requests awaiting a decision, and security alerts still open. */
export async function agencyPending(db: Db): Promise<{ adhesions: number; securityAlerts: number }> {
  const [r] = await rows<Record<string, unknown>>(
    db,
    sql`select (select count(*) from membership_request where status = 'pending') as adhesions,
               (select count(*) from security_alert where status = 'open') as alerts`,
  );
  return { adhesions: n(r?.adhesions), securityAlerts: n(r?.alerts) };
}
