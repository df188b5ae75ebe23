// The dashboards: figures against a small data set computed by hand (a fresh organisation with
// known quotes, decisions, trainings and attendance), an empty organisation (zeros, « rien à
// faire »), and who gets which block: never another organisation's figures.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Insertable } from 'kysely';
import { ManualClock } from '../../src/clock.js';
import type { DB } from '../../src/db/schema.js';
import type { Database } from '../../src/db/database.js';
import type { Actor } from '../../src/modules/habilitations/policy.js';
import { dashboardFor } from '../../src/modules/dashboard/service.js';
import { refreshDashboardFigures } from '../../src/modules/dashboard/jobs.js';
import { ENGINES, startTestRuntime, type TestRuntime } from '../helpers/runtime.js';
import { signInAs, type SignedIn } from '../helpers/session.js';

const META = { ip: '127.0.0.1', userAgent: 'test', requestId: 'dashboard-test' };

const NOW = '2026-04-15T08:00:00Z';

async function idOf(db: Database, login: string) {
  return (await db.selectFrom('account').select('id').where('login', '=', login).executeTakeFirstOrThrow()).id;
}

/** The fixture: see the comments for what each row contributes. */
async function insertFixture(db: Database): Promise<{ organisationId: string }> {
  const org = await db.insertInto('organisation').values({ name: 'Organisme Témoin', kind: 'training_provider', siret: null, qualiopi: true, qualiopi_expiry: '2027-12-31' }).returning('id').executeTakeFirstOrThrow();
  const author = await idOf(db, 'devis.demo');
  const advisor = await idOf(db, 'conseiller.demo');
  const candidates: string[] = [];
  for (let i = 0; i < 8; i++) {
    const c = await db
      .insertInto('candidate')
      .values({ identifier: `900000${i}T`, last_name: `Témoin${i}`, first_name: 'Alex', birth_date: '1990-01-01', email: `t${i}@example.test`, created_at: new Date(NOW) })
      .returning('id')
      .executeTakeFirstOrThrow();
    candidates.push(c.id);
  }
  const quote = async (i: number, status: string, o: { warnings?: string; submitted?: string; accepted?: string; decided?: string; decidedBy?: string; start?: string } = {}) =>
    (
      await db
        .insertInto('quote')
        .values({
          organisation_id: org.id,
          candidate_id: candidates[i]!,
          type: 'AIF',
          status,
          data: JSON.stringify({ training: { startDate: o.start ?? '2026-06-01' } }) as never,
          created_at: new Date('2026-02-01T00:00:00Z'),
          updated_at: new Date('2026-02-01T00:00:00Z'),
          created_by: author,
          submitted_at: o.submitted ? new Date(o.submitted) : null,
          accepted_at: o.accepted ? new Date(o.accepted) : null,
          decided_at: o.decided ? new Date(o.decided) : null,
          decided_by: o.decidedBy ?? null,
          warnings: o.warnings ?? '[]',
          // The content is a stub: its judgement is stored, as the application would have written it.
          error_count: 0,
        })
        .returning('id')
        .executeTakeFirstOrThrow()
    ).id;
  await quote(0, 'draft', { warnings: JSON.stringify([{ field: 'costs.hourlyRate', code: 'x', message: 'y' }]) }); // a draft with a warning (submittable)
  await quote(1, 'draft'); // a clean draft
  await quote(2, 'changes_requested');
  const q4 = await quote(3, 'submitted', { submitted: '2026-04-01T08:00:00Z' }); // unanswered for 14 days: expires within 3
  const q5 = await quote(4, 'accepted', { submitted: '2026-04-09T08:00:00Z', accepted: '2026-04-10T08:00:00Z', start: '2026-04-17' }); // starts in 2 days; waiting 5 days
  const q6 = await quote(5, 'approved', { submitted: '2026-03-01T00:00:00Z', decided: '2026-03-03T00:00:00Z', decidedBy: advisor }); // 2 days
  const q7 = await quote(6, 'approved', { submitted: '2026-03-01T00:00:00Z', decided: '2026-03-05T00:00:00Z' }); // 4 days
  const q8 = await quote(7, 'refused', { submitted: '2026-03-01T00:00:00Z', decided: '2026-03-11T00:00:00Z', decidedBy: advisor }); // 10 days
  const training = async (quoteId: string, c: number, v: Partial<Insertable<DB['training']>> & Pick<Insertable<DB['training']>, 'carif_oref_session' | 'start_date' | 'end_date'>) =>
    (
      await db
        .insertInto('training')
        .values({ quote_id: quoteId, quote_version: 1, organisation_id: org.id, candidate_id: candidates[c]!, title: 'Formation témoin', created_at: new Date(NOW), updated_at: new Date(NOW), ...v })
        .returning('id')
        .executeTakeFirstOrThrow()
    ).id;
  // t1: in progress since March (statement submitted), 4 half-days in April: 3 attended, 1 unjustified absence.
  const t1 = await training(q6, 5, { status: 'in_progress', carif_oref_session: 'TEMOIN-A', start_date: '2026-03-02', end_date: '2026-06-30', entry_date: '2026-03-02' });
  // t2: planned, started on 10 April: an entry to declare.
  await training(q7, 6, { status: 'planned', carif_oref_session: 'TEMOIN-B', start_date: '2026-04-10', end_date: '2026-06-30' });
  // t3: withdrawn on 1 March for health, no statement (February and March to submit), report overdue.
  const t3 = await training(q8, 7, { status: 'withdrawn', carif_oref_session: 'TEMOIN-B', start_date: '2026-02-02', end_date: '2026-05-29', entry_date: '2026-02-02', withdrawal_date: '2026-03-01', withdrawal_reason: 'health' });
  // t4: exited on 1 April, every month submitted: a report due.
  const t4 = await training(q4, 3, { status: 'exited', carif_oref_session: 'TEMOIN-A', start_date: '2026-01-05', end_date: '2026-04-01', entry_date: '2026-01-05', exit_date: '2026-04-01' });
  // t5: withdrawn (found a job), report filed.
  const t5 = await training(q5, 4, { status: 'reported', carif_oref_session: 'TEMOIN-A', start_date: '2026-03-02', end_date: '2026-06-30', entry_date: '2026-03-02', withdrawal_date: '2026-04-05', withdrawal_reason: 'found_job' });
  const statement = (id: string, month: string) => ({ training_id: id, month, figures: '{}' as never, submitted_at: new Date(NOW), submitted_by: author, updated_at: new Date(NOW) });
  await db.insertInto('monthly_statement').values([statement(t1, '2026-03'), statement(t4, '2026-01'), statement(t4, '2026-02'), statement(t4, '2026-03'), statement(t5, '2026-03')]).execute();
  const half = (id: string, date: string, period: 'am' | 'pm') => ({ training_id: id, date, period, starts_at: period === 'am' ? '09:00' : '13:30', ends_at: period === 'am' ? '12:30' : '17:00', minutes: 210 });
  await db.insertInto('training_session').values([half(t1, '2026-04-01', 'am'), half(t1, '2026-04-01', 'pm'), half(t1, '2026-04-02', 'am'), half(t1, '2026-04-02', 'pm'), half(t3, '2026-02-10', 'am')]).execute();
  const mark = (id: string, date: string, period: 'am' | 'pm', status: 'present' | 'late' | 'absent', justified: boolean | null = null) => ({
    training_id: id, date, period, status, late_minutes: status === 'late' ? 10 : null, reason: status === 'absent' ? (justified ? 'sickness' as const : 'unjustified' as const) : null, justified, recorded_at: new Date(NOW), recorded_by: author,
  });
  await db.insertInto('attendance').values([mark(t1, '2026-04-01', 'am', 'present'), mark(t1, '2026-04-01', 'pm', 'absent', false), mark(t1, '2026-04-02', 'am', 'late'), mark(t1, '2026-04-02', 'pm', 'present'), mark(t3, '2026-02-10', 'am', 'absent', true)]).execute();
  return { organisationId: org.id };
}

const actorOf = (organisationId: string, roles: string[]): Actor => ({
  accountId: '00000000-0000-4000-8000-000000000001',
  sessionId: 'test',
  login: 'temoin',
  displayName: 'Témoin',
  kind: 'staff',
  organisation: { id: organisationId, name: 'Organisme Témoin', kind: 'training_provider' },
  habilitations: roles.map((role) => ({ application: 'kairos', role })),
});
const counts = (todo: Array<{ code: string; count: number }>) => Object.fromEntries(todo.map((t) => [t.code, t.count]));

for (const engine of ENGINES) {
  describe(`dashboards (${engine})`, () => {
    let rt: TestRuntime;
    let organisationId = '';
    const as: Record<string, SignedIn> = {};
    const get = (who: string | null, url = '/api/v1/dashboard') => rt.app.inject({ url, headers: who ? as[who]!.headers : {} });

    before(async () => {
      rt = await startTestRuntime(engine, { clock: new ManualClock(NOW) });
      ({ organisationId } = await insertFixture(rt.ctx.db));
      // The advisor's and the agency's attendance figures read the monthly summary, refreshed by a job.
      await refreshDashboardFigures(rt.ctx.db);
      for (const login of ['devis.demo', 'assiduite.demo', 'devis.demo2', 'conseiller.demo', 'admin.agence', 'candidat.demo', 'rgc.demo']) as[login] = await signInAs(rt.app, rt.clock, login);
    });
    after(() => rt?.stop());

    it('the organisation’s figures are those computed by hand', async () => {
      const d = await dashboardFor(rt.ctx, actorOf(organisationId, ['quote_editor', 'attendance_officer']), META);
      const o = d.organisation!;
      assert.deepEqual(counts(o.todo), {
        drafts_with_errors: 0, drafts_flagged: 1, changes_requested: 1, quotes_expiring: 2,
        entries_to_declare: 1, months_to_submit: 2, reports_due: 1, reports_overdue: 1, unjustified_absences: 1,
      });
      assert.deepEqual(Object.fromEntries(o.quotes!.byStatus.filter((s) => s.count).map((s) => [s.status, s.count])), { draft: 2, submitted: 1, accepted: 1, approved: 2, refused: 1, changes_requested: 1 });
      assert.equal(o.quotes!.approved, 2);
      assert.equal(o.quotes!.refused, 1);
      assert.equal(o.quotes!.approvalRate, 2 / 3);
      assert.equal(o.quotes!.medianDecisionDays, 4);
      assert.deepEqual(o.training!.attendanceBySession, [
        { session: 'TEMOIN-A', recorded: 4, attended: 3, rate: 0.75 },
        { session: 'TEMOIN-B', recorded: 1, attended: 0, rate: 0 },
      ]);
      assert.deepEqual(Object.fromEntries(o.training!.withdrawalsByReason.filter((r) => r.count).map((r) => [r.reason, r.count])), { health: 1, found_job: 1 });
      assert.equal(o.training!.from, '2026-02-01');
      assert.equal(d.advisor, null);
      assert.equal(d.agency, null);
    });

    it('each organisation role gets its part only', async () => {
      const editor = await dashboardFor(rt.ctx, actorOf(organisationId, ['quote_editor']), META);
      assert.equal(editor.organisation!.training, null);
      assert.deepEqual(editor.organisation!.todo.map((t) => t.code), ['drafts_with_errors', 'drafts_flagged', 'changes_requested', 'quotes_expiring']);
      const reader = await dashboardFor(rt.ctx, actorOf(organisationId, ['reader']), META);
      assert.equal(reader.organisation!.quotes, null);
      assert.equal(reader.organisation!.todo.length, 5);
    });

    it('the advisor sees the agency queue by waiting time and their own trainees at risk', async () => {
      const res = await get('conseiller.demo');
      assert.equal(res.statusCode, 200, res.body);
      const d = res.json();
      assert.equal(d.organisation, null);
      assert.equal(d.agency, null);
      assert.deepEqual(d.advisor.queueByWaiting.map((b: { count: number }) => b.count), [0, 1, 0, 0]);
      assert.deepEqual(d.advisor.atRisk.map((r: { identifier: string; rate: number; unjustified: number }) => [r.identifier, r.rate, r.unjustified]), [['9000005T', 0.75, 1]]);
      assert.equal(d.advisor.overdueReports, 1);
      assert.deepEqual(counts(d.advisor.todo), { queue_waiting_long: 0, alerts: 0, trainees_at_risk: 1, reports_overdue: 1 });
    });

    it('the agency administrator sees the pipeline, the delays and the table by organisation, worst first', async () => {
      const res = await get('admin.agence');
      assert.equal(res.statusCode, 200, res.body);
      const d = res.json();
      assert.equal(d.organisation, null);
      assert.equal(d.advisor, null);
      const a = d.agency;
      assert.deepEqual(a.pipeline.find((p: { month: string }) => p.month === '2026-03'), { month: '2026-03', submitted: 3, approved: 2, refused: 1 });
      assert.deepEqual(a.pipeline.find((p: { month: string }) => p.month === '2026-04'), { month: '2026-04', submitted: 2, approved: 0, refused: 0 });
      assert.equal(a.pipeline.length, 12);
      assert.deepEqual(a.decisionDelay, { decided: 3, medianDays: 4, p90Days: 8.8 });
      assert.deepEqual({ recorded: a.attendance.recorded, attended: a.attendance.attended, rate: a.attendance.rate }, { recorded: 5, attended: 3, rate: 0.6 });
      assert.equal(a.organisations.rows[0].name, 'Organisme Témoin');
      assert.equal(a.organisations.rows[0].overdueReports, 1);
      assert.equal(a.organisations.rows[0].withdrawals, 2);
      // Every half-day of the fixture is the witness organisation's: its rate is the agency's.
      assert.deepEqual(a.organisations.rows[0].attendance, { recorded: 5, attended: 3, rate: 0.6 });
      assert.equal(typeof a.adhesionsPending, 'number');
      const byAttendance = (await get('admin.agence', '/api/v1/dashboard?tri=assiduite')).json().agency.organisations;
      assert.equal(byAttendance.sort, 'assiduite');
      const rates = byAttendance.rows.map((r: { attendance: { rate: number | null } }) => r.attendance.rate);
      assert.equal(byAttendance.rows[0].name, 'Organisme Témoin', 'the lowest attendance first');
      assert.deepEqual(rates.slice(1), rates.slice(1).map(() => null), 'organisations without a recorded half-day come last');
      const attendancePage = await get('admin.agence', '/kairos?tri=assiduite');
      assert.match(attendancePage.body, /data-sort="assiduite"/);
      assert.match(attendancePage.body, /<th scope="col" class="text-end" aria-sort="ascending">Assiduité<\/th>/);
      assert.match(attendancePage.body, /60,0\s?%|60\s?%/);
      const byName = (await get('admin.agence', '/api/v1/dashboard?tri=nom')).json();
      const names = byName.agency.organisations.rows.map((r: { name: string }) => r.name);
      assert.deepEqual(names, [...names].sort((x: string, y: string) => x.localeCompare(y, 'fr')));
      const page = await get('admin.agence', '/kairos?tri=abandons');
      assert.equal(page.statusCode, 200);
      assert.match(page.body, /data-sort="abandons"/);
      assert.match(page.body, /<svg class="chart"[^>]*role="img"/);
      assert.doesNotMatch(page.body, /style="/);
    });

    it('another organisation’s figures never appear; an empty organisation has zeros and nothing to do', async () => {
      const res = await get('assiduite.demo');
      assert.equal(res.statusCode, 200);
      assert.doesNotMatch(res.body, /TEMOIN|Témoin/);
      assert.equal(res.json().organisation.quotes, null);
      const empty = (await get('devis.demo2')).json();
      assert.ok(empty.organisation.todo.every((t: { count: number }) => t.count === 0));
      assert.equal(empty.organisation.quotes.approvalRate, null);
      assert.equal(empty.organisation.quotes.medianDecisionDays, null);
      const page = await get('devis.demo2', '/kairos');
      assert.equal(page.statusCode, 200);
      assert.match(page.body, /Rien à faire aujourd’hui/);
      assert.match(page.body, /id="liens-application"/);
      assert.doesNotMatch(page.body, /Témoin/);
    });

    it('access: 401 without a session, 403 for a candidate or a staff member without a Kairos role, 422 for an unknown sort', async () => {
      assert.equal((await get(null)).statusCode, 401);
      assert.equal((await get('candidat.demo')).statusCode, 403);
      assert.equal((await get('rgc.demo')).statusCode, 403);
      const bad = await get('admin.agence', '/api/v1/dashboard?tri=pire');
      assert.equal(bad.statusCode, 422);
      assert.match(bad.body, /tri/);
      assert.equal((await get('admin.agence', '/kairos?tri=pire')).statusCode, 200);
    });
  });
}
