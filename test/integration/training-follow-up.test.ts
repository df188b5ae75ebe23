// Training follow-up through the API, on a calendar moved by the manual
// clock: entry → attendance → month submitted and locked → correction → withdrawal refusing
// later attendance → report; exit → overdue report listed and reminded by the job queue; the
// candidate's own view. Tenant (404) and role (403) checks are in training-access.test.ts.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { LightMyRequestResponse } from 'fastify';
import { sql } from 'kysely';
import { ManualClock } from '../../src/clock.js';
import { ensureScheduled, nextSlot } from '../../src/jobs/recurring.js';
import { verifyAuditChain } from '../../src/modules/audit/service.js';
import { REPORT_REMINDERS } from '../../src/modules/training/index.js';
import { pdfText } from '../helpers/pdf.js';
import { ENGINES, startTestRuntime, type TestRuntime } from '../helpers/runtime.js';
import { signInAs, type SignedIn } from '../helpers/session.js';
import { createTraining } from '../helpers/trainings.js';

type Method = 'GET' | 'POST' | 'PUT';
const LOGINS = ['assiduite.demo', 'conseiller.demo', 'candidat.demo', 'candidat.demo2'];
const REPORT = {
  outcome: 'partially_completed',
  certification: 'none',
  skills: 'Bases de HTML, CSS et JavaScript ; utilisation de Git.',
  difficulties: 'Rythme soutenu au démarrage.',
  nextSteps: 'Accompagnement vers l’emploi dans le développement web.',
  employmentOutcome: 'CDI de développeur junior signé le 9 avril 2026.',
};

for (const engine of ENGINES) {
  describe(`training follow-up (${engine})`, () => {
    let rt: TestRuntime;
    const as: Record<string, SignedIn> = {};
    let a = ''; // 1234567A (candidat.demo), 2 March → 30 April 2026, withdrawn on 8 April
    let b = ''; // 7654321B (candidat.demo2), 2 → 13 March 2026, exits

    /** Moves the calendar (Paris morning) and signs everyone in again: sessions expire after 30 idle minutes. */
    async function at(day: string) {
      rt.clock.set(`${day}T08:00:00Z`);
      await signAll();
    }
    async function signAll() {
      for (const login of LOGINS) as[login] = await signInAs(rt.app, rt.clock, login);
    }
    const call = (who: string | null, method: Method, url: string, payload?: unknown): Promise<LightMyRequestResponse> =>
      rt.app.inject({ method, url, headers: who ? as[who].headers : {}, ...(payload !== undefined ? { payload: payload as object } : {}) });
    const ok = async (res: Promise<LightMyRequestResponse>, status = 200) => {
      const r = await res;
      assert.equal(r.statusCode, status, r.body);
      return r.json();
    };
    const count = async (table: 'attendance' | 'monthly_statement' | 'attendance_correction' | 'training_alert' | 'mail_outbox', where?: [string, string]) => {
      let q = rt.ctx.db.selectFrom(table).select(sql<number>`count(*)`.as('n'));
      if (where) q = q.where(sql.ref(where[0]), '=', where[1]);
      return Number((await q.executeTakeFirstOrThrow()).n);
    };
    const audits = async (action: string) =>
      Number((await rt.ctx.db.selectFrom('audit_log').select(sql<number>`count(*)`.as('n')).where('action', '=', action).executeTakeFirstOrThrow()).n);
    /** Every weekday half-day of a range, all present, except the overrides. */
    function halfDays(from: string, to: string, overrides: Record<string, object> = {}) {
      const out: object[] = [];
      for (let d = new Date(`${from}T00:00:00Z`); d <= new Date(`${to}T00:00:00Z`); d.setUTCDate(d.getUTCDate() + 1)) {
        const date = d.toISOString().slice(0, 10);
        if (d.getUTCDay() === 0 || d.getUTCDay() === 6) continue;
        for (const period of ['am', 'pm']) out.push({ date, period, status: 'present', ...(overrides[`${date} ${period}`] ?? {}) });
      }
      return out;
    }
    const runJobs = async () => {
      while ((await rt.worker.runDue()) > 0);
    };

    before(async () => {
      rt = await startTestRuntime(engine, { clock: new ManualClock('2026-03-02T08:00:00Z') });
      a = (await createTraining(rt.ctx.db, { at: rt.clock.now(), organisation: 'Formapro Démo', candidate: '1234567A', startDate: '2026-03-02', endDate: '2026-04-30', session: 'SESS-2026-A' })).id;
      b = (await createTraining(rt.ctx.db, { at: rt.clock.now(), organisation: 'Formapro Démo', candidate: '7654321B', startDate: '2026-03-02', endDate: '2026-03-13', session: 'SESS-2026-B', title: 'Préparation au CACES' })).id;
      await at('2026-03-02');
    });
    after(() => rt?.stop());

    it('lists the organisation’s trainings with the candidate’s identifier and name and the session, filtered by status and month', async () => {
      const list = await ok(call('assiduite.demo', 'GET', '/api/v1/trainings'));
      const mine = list.trainings.filter((t: { id: string }) => [a, b].includes(t.id));
      assert.equal(mine.length, 2);
      const ta = list.trainings.find((t: { id: string }) => t.id === a);
      assert.deepEqual([ta.status, ta.carifOrefSession, ta.candidate], ['planned', 'SESS-2026-A', { identifier: '1234567A', lastName: 'Martin', firstName: 'Camille' }]);
      assert.deepEqual(ta.organisation.name, 'Formapro Démo');
      assert.equal((await ok(call('assiduite.demo', 'GET', '/api/v1/trainings?status=in_progress'))).total, 0);
      assert.equal((await ok(call('assiduite.demo', 'GET', '/api/v1/trainings?month=2026-04'))).trainings.some((t: { id: string }) => t.id === b), false);
      for (const q of ['status=nope', 'month=2026-13', 'month=03-2026', 'page=0', 'overdue=yes', 'x=1']) {
        const res = await call('assiduite.demo', 'GET', `/api/v1/trainings?${q}`);
        assert.equal(res.statusCode, 422, q);
        assert.ok(res.json().errors[0].message.length > 10);
      }
      // Each listed trainee is a view of a candidate's personal data.
      assert.ok((await audits('candidate.viewed')) >= 2);
    });

    it('entry: refused before the agreed start, after the end or in the future; then sessions from the schedule minus holidays', async () => {
      for (const [startDate, pattern] of [['2026-03-01', /précéder le début convenu/], ['2026-05-01', /dépasser la fin/], ['2026-03-03', /dans le futur/], ['02/03/2026', /aaaa-mm-jj/]] as const) {
        const res = await call('assiduite.demo', 'POST', `/api/v1/trainings/${a}/entry`, { startDate });
        assert.equal(res.statusCode, 422, startDate);
        assert.equal(res.json().errors[0].field, 'startDate');
        assert.match(res.json().errors[0].message, pattern);
      }
      assert.equal((await ok(call('assiduite.demo', 'GET', `/api/v1/trainings/${a}`))).status, 'planned');
      const entered = await ok(call('assiduite.demo', 'POST', `/api/v1/trainings/${a}/entry`, { startDate: '2026-03-02' }));
      assert.equal(entered.status, 'in_progress');
      assert.equal(entered.entryDate, '2026-03-02');
      // 2 March → 30 April 2026: 22 + 22 weekdays minus Easter Monday (6 April) = 43 days, 86 half-days of 3 h 30.
      assert.equal(entered.plannedHalfDays, 86);
      assert.equal(entered.plannedHours, 301);
      assert.equal((await call('assiduite.demo', 'POST', `/api/v1/trainings/${a}/entry`, { startDate: '2026-03-02' })).statusCode, 409);
      await ok(call('assiduite.demo', 'POST', `/api/v1/trainings/${b}/entry`, { startDate: '2026-03-02' }));
      assert.equal(await audits('training.entered'), 2);
    });

    it('attendance is all or nothing: each refused entry is named by its index, in French', async () => {
      const res = await call('assiduite.demo', 'PUT', `/api/v1/trainings/${a}/attendance`, {
        entries: [
          { date: '2026-03-02', period: 'am', status: 'present' },
          { date: '2026-02-27', period: 'am', status: 'present' },
          { date: '2026-03-03', period: 'am', status: 'present' },
          { date: '2026-03-02', period: 'pm', status: 'late' },
          { date: '2026-03-02', period: 'am', status: 'absent', reason: 'sickness', justified: true },
        ],
      });
      assert.equal(res.statusCode, 422, res.body);
      assert.deepEqual(res.json().errors.map((e: { field: string }) => e.field), ['entries.1.date', 'entries.2.date', 'entries.3.lateMinutes', 'entries.4.date']);
      assert.match(res.json().errors[1].message, /^Entrée n° 2 : Date : le 03\/03\/2026 est dans le futur/);
      assert.equal(await count('attendance'), 0);
      for (const body of [{}, { entries: [] }, { entries: [{ date: '2026-03-02', period: 'soir', status: 'present' }] }, { entries: 'x' }, [], { entries: [{}], more: 1 }]) {
        const bad = await call('assiduite.demo', 'PUT', `/api/v1/trainings/${a}/attendance`, body);
        assert.equal(bad.statusCode, 422, JSON.stringify(body));
      }
      const saved = await ok(call('assiduite.demo', 'PUT', `/api/v1/trainings/${a}/attendance`, { entries: [{ date: '2026-03-02', period: 'am', status: 'present' }, { date: '2026-03-02', period: 'pm', status: 'late', lateMinutes: 15 }] }));
      assert.deepEqual(saved, { saved: 2 });
      assert.equal(await audits('attendance.recorded'), 1);
    });

    it('exit is refused before the end date, then declared; B’s March is submitted', async () => {
      assert.match((await call('assiduite.demo', 'POST', `/api/v1/trainings/${b}/exit`)).json().detail, /fin prévue de la formation \(13\/03\/2026\)/);
      await at('2026-03-16');
      await ok(call('assiduite.demo', 'PUT', `/api/v1/trainings/${b}/attendance`, { entries: halfDays('2026-03-02', '2026-03-13') }));
      const exited = await ok(call('assiduite.demo', 'POST', `/api/v1/trainings/${b}/exit`));
      assert.deepEqual([exited.status, exited.exitDate, exited.reportDueDate, exited.reportOverdue], ['exited', '2026-03-13', '2026-04-12', false]);
      assert.equal((await call('assiduite.demo', 'POST', `/api/v1/trainings/${b}/exit`)).statusCode, 409);
      const statement = await ok(call('assiduite.demo', 'POST', `/api/v1/trainings/${b}/statements/2026-03/submit`));
      assert.equal(statement.figures.attendanceRate, 100);
    });

    it('a month is submitted once complete: figures computed, month locked (409), alert above 2 unjustified half-days', async () => {
      await at('2026-04-01');
      const early = await call('assiduite.demo', 'POST', `/api/v1/trainings/${a}/statements/2026-03/submit`);
      assert.equal(early.statusCode, 422);
      assert.match(early.json().errors[0].message, /demi-journée\(s\) sans assiduité déclarée/);
      const unjustified = { status: 'absent', reason: 'unjustified', justified: false };
      const march = halfDays('2026-03-03', '2026-03-31', {
        '2026-03-10 am': { status: 'absent', reason: 'sickness', justified: true },
        '2026-03-17 am': unjustified,
        '2026-03-17 pm': unjustified,
        '2026-03-24 am': { status: 'late', lateMinutes: 30 },
      });
      await ok(call('assiduite.demo', 'PUT', `/api/v1/trainings/${a}/attendance`, { entries: march }));
      assert.equal(await count('training_alert', ['kind', 'unjustified_absences']), 0, 'two is the threshold, not above it');
      await ok(call('assiduite.demo', 'PUT', `/api/v1/trainings/${a}/attendance`, { entries: [{ date: '2026-03-18', period: 'am', ...unjustified }] }));
      const alerts = await ok(call('conseiller.demo', 'GET', '/api/v1/training-alerts'));
      assert.deepEqual(alerts.alerts.map((x: { kind: string; month: string }) => [x.kind, x.month]), [['unjustified_absences', '2026-03']]);
      await runJobs();
      const mail = await rt.ctx.db.selectFrom('mail_outbox').selectAll().where('to_address', '=', 'conseiller.demo@demo.kairos.example').execute();
      assert.equal(mail.length, 1);
      assert.match(mail[0].subject, /absences injustifiées de 1234567A en mars 2026/);
      assert.doesNotMatch(mail[0].text_body, /Martin/);

      const month = await ok(call('assiduite.demo', 'GET', `/api/v1/trainings/${a}/attendance?month=2026-03`));
      assert.equal(month.halfDays.length, 44);
      assert.equal(month.locked, false);
      const submitted = await ok(call('assiduite.demo', 'POST', `/api/v1/trainings/${a}/statements/2026-03/submit`));
      assert.equal(submitted.submitted, true);
      // 44 half-days × 210 min = 154 h; 4 absences (840 min) and 45 min late → 139 h 15, 90,4 %.
      assert.deepEqual(
        [submitted.figures.plannedHours, submitted.figures.attendedHours, submitted.figures.attendanceRate, submitted.figures.absentHalfDays, submitted.figures.unjustifiedHalfDays, submitted.figures.late],
        [154, 139.25, 90.4, 4, 3, { count: 2, minutes: 45 }],
      );
      assert.deepEqual(submitted.figures.absencesByReason, { sickness: 1, justified: 0, unjustified: 3, family_event: 0, agency_appointment: 0, other: 0 });
      assert.equal((await call('assiduite.demo', 'POST', `/api/v1/trainings/${a}/statements/2026-03/submit`)).statusCode, 409);
      const locked = await call('assiduite.demo', 'PUT', `/api/v1/trainings/${a}/attendance`, { entries: [{ date: '2026-03-31', period: 'pm', status: 'late', lateMinutes: 5 }] });
      assert.equal(locked.statusCode, 409);
      assert.equal(locked.json().errors[0].field, 'entries.0.date');
      assert.match(locked.json().errors[0].message, /mars 2026 est verrouillé/);
      assert.equal((await ok(call('assiduite.demo', 'GET', `/api/v1/trainings/${a}`))).months[0].locked, true);
      for (const m of ['2026-13', 'mars']) assert.equal((await call('assiduite.demo', 'POST', `/api/v1/trainings/${a}/statements/${m}/submit`)).statusCode, 422);
      assert.equal((await call('assiduite.demo', 'POST', `/api/v1/trainings/${a}/statements/2026-05/submit`)).statusCode, 422);
    });

    it('a locked month changes only by a correction with a reason: audited, visible, figures updated', async () => {
      const url = `/api/v1/trainings/${a}/statements/2026-03/corrections`;
      const entry = { date: '2026-03-17', period: 'am', status: 'absent', reason: 'sickness', justified: true };
      assert.equal((await call('assiduite.demo', 'POST', url, { entry })).statusCode, 422, 'reason required');
      assert.equal((await call('assiduite.demo', 'POST', url, { entry, reason: 'court' })).statusCode, 422);
      assert.equal((await call('assiduite.demo', 'POST', url, { entry: { ...entry, date: '2026-04-01' }, reason: 'Certificat médical reçu le 1er avril.' })).statusCode, 422);
      assert.equal((await call('assiduite.demo', 'POST', `/api/v1/trainings/${a}/statements/2026-04/corrections`, { entry: { ...entry, date: '2026-04-01' }, reason: 'Certificat médical reçu.' })).statusCode, 409);
      const corrected = await ok(call('assiduite.demo', 'POST', url, { entry, reason: 'Certificat médical reçu le 1er avril.' }), 201);
      assert.equal(corrected.figures.unjustifiedHalfDays, 2);
      assert.deepEqual(corrected.corrections.map((c: { before: { status: string }; after: { status: string }; reason: string; correctedBy: string }) => [c.before.status, c.after.status, c.reason, c.correctedBy]), [['absent', 'absent', 'Certificat médical reçu le 1er avril.', 'assiduite.demo']]);
      assert.equal(await audits('attendance.corrected'), 1);
      const seen = await ok(call('conseiller.demo', 'GET', `/api/v1/trainings/${a}/statements/2026-03`));
      assert.equal(seen.corrections.length, 1);
      assert.equal(seen.figures.unjustifiedHalfDays, 2);
    });

    it('the statement PDF, for the organisation, the advisor and the candidate', async () => {
      for (const [who, url] of [['assiduite.demo', `/api/v1/trainings/${a}/statements/2026-03.pdf`], ['conseiller.demo', `/api/v1/trainings/${a}/statements/2026-03.pdf`], ['candidat.demo', `/api/v1/me/trainings/${a}/statements/2026-03.pdf`]]) {
        const res = await call(who, 'GET', url);
        assert.equal(res.statusCode, 200, `${who}: ${res.body.slice(0, 200)}`);
        assert.equal(res.headers['content-type'], 'application/pdf');
        const text = await pdfText(res.rawPayload);
        assert.match(text, /État de présence mensuel — mars 2026/);
        assert.match(text, /1234567A/);
        assert.match(text, /Certificat médical reçu/);
      }
      assert.equal((await call('assiduite.demo', 'GET', `/api/v1/trainings/${a}/statements/2026-04.pdf`)).statusCode, 404);
    });

    it('withdrawal ends the training, alerts the advisor and refuses later attendance', async () => {
      await at('2026-04-10');
      await ok(call('assiduite.demo', 'PUT', `/api/v1/trainings/${a}/attendance`, { entries: halfDays('2026-04-01', '2026-04-09').filter((e) => !(e as { date: string }).date.startsWith('2026-04-06')) }));
      const contradicted = await call('assiduite.demo', 'POST', `/api/v1/trainings/${a}/withdrawal`, { date: '2026-04-07', reason: 'found_job', comment: 'CDI' });
      assert.equal(contradicted.statusCode, 422);
      assert.match(contradicted.json().errors[0].message, /09\/04\/2026, après cette date/);
      for (const body of [{ date: '2026-04-09', reason: 'moved' }, { date: '2026-04-09', reason: 'other' }, { date: '2026-04-11', reason: 'health' }, { reason: 'health' }]) {
        assert.equal((await call('assiduite.demo', 'POST', `/api/v1/trainings/${a}/withdrawal`, body)).statusCode, 422, JSON.stringify(body));
      }
      const withdrawn = await ok(call('assiduite.demo', 'POST', `/api/v1/trainings/${a}/withdrawal`, { date: '2026-04-09', reason: 'found_job', comment: 'A signé un CDI.' }));
      assert.deepEqual([withdrawn.status, withdrawn.withdrawal], ['withdrawn', { date: '2026-04-09', reason: 'found_job', comment: 'A signé un CDI.' }]);
      assert.equal((await call('assiduite.demo', 'POST', `/api/v1/trainings/${a}/withdrawal`, { date: '2026-04-09', reason: 'found_job' })).statusCode, 409);
      const later = await call('assiduite.demo', 'PUT', `/api/v1/trainings/${a}/attendance`, { entries: [{ date: '2026-04-10', period: 'am', status: 'present' }] });
      assert.equal(later.statusCode, 422);
      assert.match(later.json().errors[0].message, /a pris fin le 09\/04\/2026/);
      assert.equal((await call('assiduite.demo', 'POST', `/api/v1/trainings/${a}/exit`)).statusCode, 409);
      const alerts = (await ok(call('conseiller.demo', 'GET', '/api/v1/training-alerts'))).alerts;
      assert.deepEqual(alerts.map((x: { kind: string }) => x.kind).sort(), ['unjustified_absences', 'withdrawal']);
      await runJobs();
      assert.equal(await count('mail_outbox', ['to_address', 'conseiller.demo@demo.kairos.example']), 2);
      // April ends on the withdrawal day: it can be submitted as soon as that day is declared.
      const april = await ok(call('assiduite.demo', 'POST', `/api/v1/trainings/${a}/statements/2026-04/submit`));
      assert.equal(april.figures.plannedHalfDays, 12);
    });

    it('the report: refused while in progress, 422 on bad fields, then filed once', async () => {
      for (const body of [{}, { ...REPORT, outcome: 'done' }, { ...REPORT, skills: '' }, { ...REPORT, extra: 1 }]) {
        assert.equal((await call('assiduite.demo', 'POST', `/api/v1/trainings/${a}/report`, body)).statusCode, 422, JSON.stringify(body));
      }
      const filed = await ok(call('assiduite.demo', 'POST', `/api/v1/trainings/${a}/report`, REPORT), 201);
      assert.equal(filed.status, 'reported');
      assert.equal(filed.report.employmentOutcome, REPORT.employmentOutcome);
      assert.equal((await call('assiduite.demo', 'POST', `/api/v1/trainings/${a}/report`, REPORT)).statusCode, 409);
    });

    it('an overdue report is listed for the organisation and the advisor and reminded by the job queue', async () => {
      await at('2026-04-12');
      assert.equal((await ok(call('assiduite.demo', 'GET', '/api/v1/trainings?overdue=true'))).total, 0, 'due on 12 April: not yet late');
      await at('2026-04-13');
      for (const who of ['assiduite.demo', 'conseiller.demo']) {
        const overdue = await ok(call(who, 'GET', '/api/v1/trainings?overdue=true'));
        assert.deepEqual(overdue.trainings.map((t: { id: string; reportOverdue: boolean }) => [t.id, t.reportOverdue]), [[b, true]], who);
      }
      const { runAt } = await ensureScheduled(rt.ctx.db, rt.clock.now(), REPORT_REMINDERS);
      assert.equal(runAt.getTime(), nextSlot(rt.clock.now(), REPORT_REMINDERS).getTime());
      rt.clock.set(runAt);
      await runJobs();
      const toOfficer = async () => count('mail_outbox', ['to_address', 'assiduite.demo@demo.kairos.example']);
      assert.equal(await toOfficer(), 1);
      const reminder = await rt.ctx.db.selectFrom('mail_outbox').selectAll().where('to_address', '=', 'assiduite.demo@demo.kairos.example').executeTakeFirstOrThrow();
      assert.match(reminder.text_body, /7654321B .*attendu au plus tard le 12\/04\/2026/s);
      assert.equal(await audits('training.report_reminded'), 1);
      await signAll();
      assert.ok((await ok(call('conseiller.demo', 'GET', '/api/v1/training-alerts'))).alerts.some((x: { kind: string }) => x.kind === 'report_overdue'));
      // The next days' runs send nothing until REPORT_REMINDER_DAYS (7) have passed, then remind again.
      for (let day = 1; day <= 7; day++) {
        rt.clock.advance(86_400_000);
        await runJobs();
      }
      assert.equal(await toOfficer(), 2);
      await at('2026-04-21');
      await ok(call('assiduite.demo', 'POST', `/api/v1/trainings/${b}/report`, { ...REPORT, outcome: 'completed', certification: 'pending', employmentOutcome: null }), 201);
      assert.equal((await ok(call('assiduite.demo', 'GET', '/api/v1/trainings?overdue=true'))).total, 0);
    });

    it('the candidate sees their own trainings only: timeline, calendar, report', async () => {
      const mine = await ok(call('candidat.demo', 'GET', '/api/v1/me/trainings'));
      assert.deepEqual(mine.trainings.map((t: { id: string }) => t.id), [a]);
      assert.deepEqual(mine.trainings[0].timeline.map((e: { kind: string; date: string }) => `${e.kind} ${e.date}`), [
        'agreement 2026-03-02', 'entry 2026-03-02', 'statement 2026-04-01', 'withdrawal 2026-04-09', 'statement 2026-04-10', 'report 2026-04-10',
      ]);
      assert.equal(mine.trainings[0].report.outcome, 'partially_completed');
      assert.equal('candidate' in mine.trainings[0], false);
      const calendar = await ok(call('candidat.demo', 'GET', `/api/v1/me/trainings/${a}/attendance?month=2026-03`));
      assert.equal(calendar.halfDays.length, 44);
      assert.equal(calendar.locked, true);
      for (const url of [`/api/v1/me/trainings/${b}`, `/api/v1/me/trainings/${b}/attendance?month=2026-03`, `/api/v1/me/trainings/${b}/statements/2026-03.pdf`]) {
        const theirs = await call('candidat.demo', 'GET', url);
        assert.equal(theirs.statusCode, 404, url);
        assert.doesNotMatch(theirs.body, /7654321B|Bernard|CACES/);
      }
      assert.deepEqual((await ok(call('candidat.demo2', 'GET', '/api/v1/me/trainings'))).trainings.map((t: { id: string }) => t.id), [b]);
      assert.equal((await call('candidat.demo', 'GET', `/api/v1/me/trainings/${a}/attendance?month=mars`)).statusCode, 422);
      assert.deepEqual((await verifyAuditChain(rt.ctx.db)).ok, true);
    });
  });
}
