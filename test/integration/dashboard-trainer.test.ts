// The trainer's dashboard: today's half-days and their sheets (to open, open to present and
// close), the sheets of past days left open, and the week, against a fixture computed by hand;
// an organisation without sessions (zeros, « rien à faire »); another organisation's sessions
// and sheets — even under the same Carif-Oref session number — never counted.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { ManualClock } from '../../src/clock.js';
import type { Database } from '../../src/db/database.js';
import type { Actor } from '../../src/modules/habilitations/policy.js';
import { dashboardFor } from '../../src/modules/dashboard/service.js';
import { ENGINES, startTestRuntime, type TestRuntime } from '../helpers/runtime.js';
import { signInAs, type SignedIn } from '../helpers/session.js';

const META = { ip: '127.0.0.1', userAgent: 'test', requestId: 'dashboard-trainer-test' };
/** Wednesday 15 April 2026, 10:00 in Paris: the week runs from Monday 13 to Sunday 19. */
const NOW = '2026-04-15T08:00:00Z';

interface Fixture {
  a: string;
  b: string;
  empty: string;
  openToday: string;
}

async function insertFixture(db: Database): Promise<Fixture> {
  const opener = (await db.selectFrom('account').select('id').where('login', '=', 'formateur.demo').executeTakeFirstOrThrow()).id;
  const org = async (name: string) => (await db.insertInto('organisation').values({ name, kind: 'training_provider', siret: null }).returning('id').executeTakeFirstOrThrow()).id;
  const [a, b, empty] = [await org('Organisme Formateur A'), await org('Organisme Formateur B'), await org('Organisme Formateur vide')];
  let n = 0;
  const training = async (organisationId: string, session: string, halfDays: Array<[string, 'am' | 'pm']>, withdrawal: string | null = null) => {
    n += 1;
    const c = await db
      .insertInto('candidate')
      .values({ identifier: `880000${n}F`, last_name: `Formé${n}`, first_name: 'Alex', birth_date: '1990-01-01', email: `f${n}@example.test`, created_at: new Date(NOW) })
      .returning('id')
      .executeTakeFirstOrThrow();
    const q = await db
      .insertInto('quote')
      .values({ organisation_id: organisationId, candidate_id: c.id, type: 'AIF', status: 'approved', data: JSON.stringify({ training: {} }) as never, warnings: '[]', error_count: 0, created_at: new Date(NOW), updated_at: new Date(NOW), created_by: opener })
      .returning('id')
      .executeTakeFirstOrThrow();
    const t = await db
      .insertInto('training')
      .values({
        quote_id: q.id, quote_version: 1, organisation_id: organisationId, candidate_id: c.id, title: 'Formation', carif_oref_session: session,
        status: withdrawal ? 'withdrawn' : 'in_progress', start_date: '2026-04-01', end_date: '2026-06-30', entry_date: '2026-04-01',
        withdrawal_date: withdrawal, withdrawal_reason: withdrawal ? 'personal' : null, created_at: new Date(NOW), updated_at: new Date(NOW),
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    await db
      .insertInto('training_session')
      .values(halfDays.map(([date, period]) => ({ training_id: t.id, date, period, starts_at: period === 'am' ? '09:00' : '13:30', ends_at: period === 'am' ? '12:30' : '17:00', minutes: 210 })))
      .execute();
  };
  const sheet = async (organisationId: string, session: string, date: string, period: 'am' | 'pm', status: 'open' | 'closed') =>
    (
      await db
        .insertInto('attendance_sheet')
        .values({ organisation_id: organisationId, carif_oref_session: session, date, period, starts_at: period === 'am' ? '09:00' : '13:30', ends_at: period === 'am' ? '12:30' : '17:00', status, opened_by: opener, opened_at: new Date(`${date}T07:00:00Z`) })
        .returning('id')
        .executeTakeFirstOrThrow()
    ).id;
  // A: session S-1 today morning and afternoon, Monday, Friday, last Friday and next Monday.
  await training(a, 'S-1', [['2026-04-15', 'am'], ['2026-04-15', 'pm'], ['2026-04-13', 'am'], ['2026-04-17', 'am'], ['2026-04-10', 'am'], ['2026-04-20', 'am']]);
  // Withdrawn on Tuesday: planned today (already counted by the other trainee) and on Thursday, alone: no sheet needed.
  await training(a, 'S-1', [['2026-04-15', 'am'], ['2026-04-16', 'am']], '2026-04-14');
  await training(a, 'S-2', [['2026-04-15', 'am']]);
  const openToday = await sheet(a, 'S-1', '2026-04-15', 'am', 'open');
  await sheet(a, 'S-2', '2026-04-15', 'am', 'closed');
  await sheet(a, 'S-1', '2026-04-13', 'am', 'open'); // past, left open
  await sheet(a, 'S-1', '2026-04-10', 'am', 'open'); // last week, left open
  await sheet(a, 'S-1', '2026-04-09', 'pm', 'closed'); // past, closed
  // B: the same session number, today and this week, and a sheet left open: none of it is A's.
  await training(b, 'S-1', [['2026-04-15', 'pm'], ['2026-04-16', 'am']]);
  await sheet(b, 'S-1', '2026-04-14', 'am', 'open');
  await sheet(b, 'S-1', '2026-04-15', 'pm', 'open');
  return { a, b, empty, openToday };
}

const trainerOf = (organisationId: string): Actor => ({
  accountId: '00000000-0000-4000-8000-000000000002',
  sessionId: 'test',
  login: 'formateur',
  displayName: 'Formateur',
  kind: 'staff',
  organisation: { id: organisationId, name: 'Organisme', kind: 'training_provider' },
  habilitations: [{ application: 'kairos', role: 'trainer' }],
});
const counts = (todo: Array<{ code: string; count: number }>) => Object.fromEntries(todo.map((t) => [t.code, t.count]));

for (const engine of ENGINES) {
  describe(`the trainer's dashboard (${engine})`, () => {
    let rt: TestRuntime;
    let f: Fixture;
    const as: Record<string, SignedIn> = {};

    before(async () => {
      rt = await startTestRuntime(engine, { clock: new ManualClock(NOW) });
      f = await insertFixture(rt.ctx.db);
      for (const login of ['formateur.demo', 'devis.demo']) as[login] = await signInAs(rt.app, rt.clock, login);
    });
    after(() => rt?.stop());

    it('the figures are those computed by hand', async () => {
      const d = await dashboardFor(rt.ctx, trainerOf(f.a), META);
      const t = d.trainer!;
      assert.deepEqual(counts(t.todo), { sheets_to_open: 1, sheets_open_today: 1, sheets_past_open: 2 });
      assert.equal(t.todo.find((x) => x.code === 'sheets_open_today')!.href, `/kairos/emargement/${f.openToday}`, 'a single open sheet is linked directly');
      assert.equal(t.todo.find((x) => x.code === 'sheets_past_open')!.href, '/kairos/emargement');
      assert.deepEqual(
        t.today.map((h) => [h.session, h.period, h.trainees, h.sheetStatus]),
        [['S-1', 'am', 1, 'open'], ['S-2', 'am', 1, 'closed'], ['S-1', 'pm', 1, null]],
      );
      assert.deepEqual(t.week, { from: '2026-04-13', to: '2026-04-19', sessions: 2, halfDays: 5 });
      assert.equal(t.pastOpenSheets, 2);
      assert.equal(d.organisation, null);
      assert.equal(d.advisor, null);
      assert.equal(d.agency, null);
    });

    it('another organisation sees only its own; an organisation without sessions has zeros and nothing to do', async () => {
      const b = (await dashboardFor(rt.ctx, trainerOf(f.b), META)).trainer!;
      assert.deepEqual(counts(b.todo), { sheets_to_open: 0, sheets_open_today: 1, sheets_past_open: 1 });
      assert.deepEqual(b.week, { from: '2026-04-13', to: '2026-04-19', sessions: 1, halfDays: 2 });
      const empty = (await dashboardFor(rt.ctx, trainerOf(f.empty), META)).trainer!;
      assert.ok(empty.todo.every((x) => x.count === 0));
      assert.deepEqual(empty.today, []);
      assert.deepEqual(empty.week, { from: '2026-04-13', to: '2026-04-19', sessions: 0, halfDays: 0 });
    });

    it('formateur.demo gets the trainer block from the API and the page; other roles do not', async () => {
      const res = await rt.app.inject({ url: '/api/v1/dashboard', headers: as['formateur.demo']!.headers });
      assert.equal(res.statusCode, 200, res.body);
      const d = res.json();
      assert.ok(d.trainer);
      assert.deepEqual(d.trainer.todo.map((t: { code: string }) => t.code), ['sheets_to_open', 'sheets_open_today', 'sheets_past_open']);
      assert.doesNotMatch(res.body, /Organisme Formateur|S-2/);
      const page = await rt.app.inject({ url: '/kairos', headers: as['formateur.demo']!.headers });
      assert.equal(page.statusCode, 200);
      assert.match(page.body, /id="tableau-formateur"/);
      assert.doesNotMatch(page.body, /style="/);
      assert.equal((await rt.app.inject({ url: '/api/v1/dashboard', headers: as['devis.demo']!.headers })).json().trainer, null);
    });
  });
}
