/**
 * The trainer's figures: the organisation's planned half-days of the week (what needs a sheet)
 * with the sheet of each, and the sheets of past days still open. A trainer runs the sheets of
 * their whole organisation (docs/decisions/0048-attendance-sheets.md): the figures are the
 * organisation's. A half-day counts while at least one trainee planned on it had not withdrawn
 * by then, as the sheet's own list of trainees says (training/sheets/repository.ts).
 */
import { sql, type Kysely } from 'kysely';
import type { DB } from '../../db/schema.js';

export interface PlannedHalfDay {
  session: string;
  date: string;
  period: 'am' | 'pm';
  startsAt: string;
  endsAt: string;
  trainees: number;
  sheetId: string | null;
  sheetStatus: 'open' | 'closed' | null;
}

/** The organisation's half-days planned from `from` to `to` (days), with their sheet if opened; by date, period, session. */
export async function plannedHalfDays(db: Kysely<DB>, organisationId: string, from: string, to: string): Promise<PlannedHalfDay[]> {
  const { rows } = await sql<Record<string, unknown>>`
    select p.session, to_char(p.date, 'YYYY-MM-DD') as date, p.period, p.starts_at, p.ends_at, p.trainees, sh.id as sheet_id, sh.status as sheet_status
    from (select training.carif_oref_session as session, ts.date, ts.period, min(ts.starts_at) as starts_at, max(ts.ends_at) as ends_at, count(*) as trainees
          from training inner join training_session ts on ts.training_id = training.id
          where training.organisation_id = ${organisationId} and ts.date >= ${from}::date and ts.date <= ${to}::date
            and (training.withdrawal_date is null or training.withdrawal_date > ts.date)
          group by training.carif_oref_session, ts.date, ts.period) as p
    left join attendance_sheet sh on sh.organisation_id = ${organisationId} and sh.carif_oref_session = p.session and sh.date = p.date and sh.period = p.period
    order by p.date, p.period, p.session`.execute(db);
  return rows.map((r) => ({
    session: String(r.session),
    date: String(r.date),
    period: r.period as 'am' | 'pm',
    startsAt: String(r.starts_at),
    endsAt: String(r.ends_at),
    trainees: Number(r.trainees),
    sheetId: r.sheet_id === null ? null : String(r.sheet_id),
    sheetStatus: (r.sheet_status ?? null) as 'open' | 'closed' | null,
  }));
}

/** The organisation's sheets of days before `today` still open (never closed by their trainer). */
export async function pastOpenSheets(db: Kysely<DB>, organisationId: string, today: string): Promise<{ count: number; firstId: string | null }> {
  const { rows } = await sql<Record<string, unknown>>`
    select count(*) as count, (array_agg(id order by date, period))[1] as first_id from attendance_sheet
    where organisation_id = ${organisationId} and status = 'open' and date < ${today}::date`.execute(db);
  return { count: Number(rows[0]?.count ?? 0), firstId: (rows[0]?.first_id as string | null) ?? null };
}
