/** SQL of the digital attendance sheets: the sheet, its trainees, signatures and proposals. */
import { sql, type Kysely, type Transaction } from 'kysely';
import type { DB } from '../../../db/schema.js';
import type { Period, Proposal, SignatureInput } from './rules.js';

type Db = Kysely<DB> | Transaction<DB>;

/** The hours of a half-day of the organisation's session, when at least one training plans it. */
export async function plannedHalfDay(db: Db, organisationId: string, session: string, date: string, period: Period) {
  return db
    .selectFrom('training_session as ts')
    .innerJoin('training as t', 't.id', 'ts.training_id')
    .select([(eb) => eb.fn.min('ts.starts_at').as('startsAt'), (eb) => eb.fn.max('ts.ends_at').as('endsAt')])
    .where('t.organisation_id', '=', organisationId)
    .where('t.carif_oref_session', '=', session)
    .where('ts.date', '=', date)
    .where('ts.period', '=', period)
    .executeTakeFirst()
    .then((r) => (r?.startsAt && r.endsAt ? { startsAt: r.startsAt, endsAt: r.endsAt } : undefined));
}

export async function insertSheet(
  trx: Db,
  s: { organisationId: string; session: string; date: string; period: Period; startsAt: string; endsAt: string; openedBy: string; at: Date },
): Promise<string | undefined> {
  const row = await trx
    .insertInto('attendance_sheet')
    .values({ organisation_id: s.organisationId, carif_oref_session: s.session, date: s.date, period: s.period, starts_at: s.startsAt, ends_at: s.endsAt, opened_by: s.openedBy, opened_at: s.at })
    .onConflict((oc) => oc.columns(['organisation_id', 'carif_oref_session', 'date', 'period']).doNothing())
    .returning('id')
    .executeTakeFirst();
  return row?.id;
}

export async function sheetIdOf(db: Db, organisationId: string, session: string, date: string, period: Period): Promise<string | undefined> {
  const row = await db
    .selectFrom('attendance_sheet')
    .select('id')
    .where('organisation_id', '=', organisationId)
    .where('carif_oref_session', '=', session)
    .where('date', '=', date)
    .where('period', '=', period)
    .executeTakeFirst();
  return row?.id;
}

const SHEET_COLUMNS = [
  'attendance_sheet.id',
  'attendance_sheet.organisation_id',
  'attendance_sheet.carif_oref_session',
  'attendance_sheet.date',
  'attendance_sheet.period',
  'attendance_sheet.starts_at',
  'attendance_sheet.ends_at',
  'attendance_sheet.status',
  'attendance_sheet.opened_at',
  'attendance_sheet.closed_at',
  'attendance_sheet.content_hash',
] as const;

/** A sheet by id; with an organisation, only that organisation's (another's is as unknown). */
export async function findSheet(db: Db, id: string, organisationId: string | null, forUpdate = false) {
  let q = db
    .selectFrom('attendance_sheet')
    .innerJoin('organisation', 'organisation.id', 'attendance_sheet.organisation_id')
    .innerJoin('account as opener', 'opener.id', 'attendance_sheet.opened_by')
    .leftJoin('account as closer', 'closer.id', 'attendance_sheet.closed_by')
    .select([...SHEET_COLUMNS, 'organisation.name as organisation_name', 'opener.display_name as opened_by_name', 'closer.display_name as closed_by_name', 'attendance_sheet.trainer_signature'])
    .where('attendance_sheet.id', '=', id);
  if (organisationId) q = q.where('attendance_sheet.organisation_id', '=', organisationId);
  if (forUpdate) q = q.forUpdate('attendance_sheet');
  return q.executeTakeFirst();
}
export type SheetRow = NonNullable<Awaited<ReturnType<typeof findSheet>>>;

/** Whose lines a reader outside the organisation sees: an advisor their candidates', a trainee their own. */
export type TraineeFilter = { kind: 'all' } | { kind: 'advisor'; accountId: string } | { kind: 'candidate'; accountId: string };

/** The trainees planned on the sheet's half-day who had not withdrawn by then, with their signature. */
export async function sheetTrainees(db: Db, sheet: Pick<SheetRow, 'id' | 'organisation_id' | 'carif_oref_session' | 'date' | 'period'>, only: TraineeFilter = { kind: 'all' }) {
  let q = db
    .selectFrom('training as t')
    .innerJoin('quote as q', 'q.id', 't.quote_id')
    .innerJoin('training_session as ts', (j) => j.onRef('ts.training_id', '=', 't.id').on('ts.date', '=', sheet.date).on('ts.period', '=', sheet.period))
    .innerJoin('candidate as c', 'c.id', 't.candidate_id')
    .leftJoin('attendance_signature as sig', (j) => j.onRef('sig.training_id', '=', 't.id').on('sig.sheet_id', '=', sheet.id))
    .select(['t.id as training_id', 'c.id as candidate_id', 'c.identifier', 'c.first_name', 'c.last_name', 'sig.signed_at', 'sig.signature'])
    .where('t.organisation_id', '=', sheet.organisation_id)
    .where('t.carif_oref_session', '=', sheet.carif_oref_session)
    .where((eb) => eb.or([eb('t.withdrawal_date', 'is', null), eb('t.withdrawal_date', '>', sheet.date)]));
  if (only.kind === 'advisor') q = q.where((eb) => eb.or([eb('c.created_by', '=', only.accountId), eb('q.decided_by', '=', only.accountId)]));
  if (only.kind === 'candidate') q = q.where('c.account_id', '=', only.accountId);
  return q.orderBy('c.last_name').orderBy('c.first_name').orderBy('t.id').execute();
}

/** The candidate's training on the sheet's session and half-day, withdrawn or not, if any. */
export async function traineeOfSheet(db: Db, sheet: Pick<SheetRow, 'organisation_id' | 'carif_oref_session' | 'date' | 'period'>, accountId: string) {
  return db
    .selectFrom('training as t')
    .innerJoin('training_session as ts', (j) => j.onRef('ts.training_id', '=', 't.id').on('ts.date', '=', sheet.date).on('ts.period', '=', sheet.period))
    .innerJoin('candidate as c', 'c.id', 't.candidate_id')
    .select(['t.id as training_id', 't.candidate_id', 't.title', 't.withdrawal_date'])
    .where('t.organisation_id', '=', sheet.organisation_id)
    .where('t.carif_oref_session', '=', sheet.carif_oref_session)
    .where('c.account_id', '=', accountId)
    .executeTakeFirst();
}

/** Stores a signature; false when the trainee had already signed this sheet. */
export async function insertSignature(
  trx: Db,
  s: { sheetId: string; trainingId: string; candidateId: string; at: Date; step: number; ip: string | null; userAgent: string | null; signature: SignatureInput },
): Promise<boolean> {
  const row = await trx
    .insertInto('attendance_signature')
    .values({ sheet_id: s.sheetId, training_id: s.trainingId, candidate_id: s.candidateId, signed_at: s.at, token_step: s.step, ip: s.ip, user_agent: s.userAgent, signature: JSON.stringify(s.signature) })
    .onConflict((oc) => oc.columns(['sheet_id', 'training_id']).doNothing())
    .returning('training_id')
    .executeTakeFirst();
  return row !== undefined;
}

export async function closeSheet(trx: Db, id: string, c: { by: string; at: Date; signature: SignatureInput; contentHash: string }): Promise<void> {
  await trx
    .updateTable('attendance_sheet')
    .set({ status: 'closed', closed_by: c.by, closed_at: c.at, trainer_signature: JSON.stringify(c.signature), content_hash: c.contentHash })
    .where('id', '=', id)
    .execute();
}

/**
 * Writes the proposals of a closed sheet, except where the half-day is already declared or its
 * month already submitted (locked): a sheet never overwrites what the organisation declared.
 * Returns how many were written.
 */
export async function insertProposals(trx: Db, sheet: Pick<SheetRow, 'id' | 'date' | 'period'>, proposals: readonly Proposal[], at: Date): Promise<number> {
  if (proposals.length === 0) return 0;
  const month = sheet.date.slice(0, 7);
  const result = await sql<{ training_id: string }>`
    insert into attendance_proposal (training_id, date, period, status, late_minutes, sheet_id, proposed_at)
    select p.training_id::uuid, ${sheet.date}::date, ${sheet.period}, p.status, p.late_minutes, ${sheet.id}::uuid, ${at}::timestamptz
      from jsonb_to_recordset(${JSON.stringify(proposals.map((p) => ({ training_id: p.trainingId, status: p.status, late_minutes: p.lateMinutes })))}::jsonb)
           as p(training_id text, status text, late_minutes integer)
     where not exists (select 1 from attendance a where a.training_id = p.training_id::uuid and a.date = ${sheet.date}::date and a.period = ${sheet.period})
       and not exists (select 1 from monthly_statement m where m.training_id = p.training_id::uuid and m.month = ${month})
    on conflict (training_id, date, period) do nothing
    returning training_id
  `.execute(trx);
  return result.rows.length;
}

/** The organisation's sheets of a session and month, newest first; for an advisor, the sheets where one of their candidates is planned. */
export async function listSheets(db: Db, reader: { organisationId: string } | { advisorId: string }, f: { session?: string; month?: string }) {
  let q = db.selectFrom('attendance_sheet').select([...SHEET_COLUMNS]);
  if ('organisationId' in reader) q = q.where('organisation_id', '=', reader.organisationId);
  else {
    q = q.where((eb) =>
      eb.exists(
        eb
          .selectFrom('training as t')
          .innerJoin('training_session as ts', 'ts.training_id', 't.id')
          .innerJoin('candidate as c', 'c.id', 't.candidate_id')
          .innerJoin('quote as qt', 'qt.id', 't.quote_id')
          .select(sql`1`.as('one'))
          .whereRef('t.organisation_id', '=', 'attendance_sheet.organisation_id')
          .whereRef('t.carif_oref_session', '=', 'attendance_sheet.carif_oref_session')
          .whereRef('ts.date', '=', 'attendance_sheet.date')
          .whereRef('ts.period', '=', 'attendance_sheet.period')
          .where((w) => w.or([w('c.created_by', '=', reader.advisorId), w('qt.decided_by', '=', reader.advisorId)])),
      ),
    );
  }
  if (f.session) q = q.where('attendance_sheet.carif_oref_session', '=', f.session);
  if (f.month) q = q.where(sql<string>`to_char(attendance_sheet.date, 'YYYY-MM')`, '=', f.month);
  return q.orderBy('attendance_sheet.date', 'desc').orderBy('attendance_sheet.period', 'desc').limit(500).execute();
}

/** The audit row of the sheet's closing: its id is the reference the PDF prints. */
export async function closingAuditId(db: Db, sheetId: string): Promise<number | undefined> {
  const row = await db
    .selectFrom('audit_log')
    .select('id')
    .where('target_type', '=', 'attendance_sheet')
    .where('target_id', '=', sheetId)
    .where('action', '=', 'attendance_sheet.closed')
    .executeTakeFirst();
  return row ? Number(row.id) : undefined;
}

/** The candidate's own signatures on one training's sheets in a month ('yyyy-mm'). */
export async function signaturesOf(db: Db, accountId: string, trainingId: string, month: string) {
  return db
    .selectFrom('attendance_signature as sig')
    .innerJoin('attendance_sheet as sh', 'sh.id', 'sig.sheet_id')
    .innerJoin('candidate as c', 'c.id', 'sig.candidate_id')
    .select(['sh.id as sheet_id', 'sh.date', 'sh.period', 'sig.signed_at', 'sig.signature'])
    .where('sig.training_id', '=', trainingId)
    .where('c.account_id', '=', accountId)
    .where(sql<string>`to_char(sh.date, 'YYYY-MM')`, '=', month)
    .orderBy('sh.date')
    .orderBy('sh.period')
    .execute();
}
