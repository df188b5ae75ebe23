/**
 * The demo world (src/demo/world/, docs/decisions/0028-demo-world.md): from an empty database,
 * every demo role finds its main screens and APIs filled, the audit chain verifies, and a second
 * start finds the world already there.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { ManualClock } from '../../src/clock.js';
import { loadConfig } from '../../src/config.js';
import { seedDemoWorld } from '../../src/demo/world/index.js';
import { createRuntime, type Runtime } from '../../src/runtime.js';
import { verifyAuditChain } from '../../src/modules/audit/service.js';
import { parisDay } from '../../src/modules/onboarding/rules.js';
import { addDays } from '../../src/modules/quotes/rules/holidays.js';
import { QUOTE_STATUSES } from '../../src/modules/quotes/rules/lifecycle.js';
import { ENGINES, startTestRuntime, type TestRuntime } from '../helpers/runtime.js';
import { signInAs, type SignedIn } from '../helpers/session.js';

for (const engine of ENGINES) {
  describe(`demo world (${engine})`, () => {
    let rt: TestRuntime;
    let attachments = '';
    const sessions = new Map<string, SignedIn>();
    let month = '';
    let previousMonth = '';

    before(async () => {
      attachments = mkdtempSync(path.join(tmpdir(), 'kairos-world-'));
      rt = await startTestRuntime(engine, { env: { SEED_DEMO_WORLD: 'true', ATTACHMENTS_DIR: attachments } });
      const today = parisDay(rt.clock.now());
      month = today.slice(0, 7);
      previousMonth = addDays(`${month}-01`, -1).slice(0, 7);
    });
    after(async () => {
      await rt?.stop();
      rmSync(attachments, { recursive: true, force: true });
    });

    /** One session per account: each sign-in moves the clock a TOTP step (single-use codes). */
    async function as(login: string): Promise<SignedIn> {
      const known = sessions.get(login);
      if (known) return known;
      const s = await signInAs(rt.app, rt.clock, login);
      sessions.set(login, s);
      return s;
    }
    async function getJson(login: string, url: string) {
      const res = await rt.app.inject({ method: 'GET', url, headers: (await as(login)).headers });
      assert.equal(res.statusCode, 200, `${login} GET ${url}: ${res.body}`);
      return res.json();
    }
    async function getPage(login: string, url: string): Promise<string> {
      const res = await rt.app.inject({ method: 'GET', url, headers: { cookie: (await as(login)).cookie } });
      assert.equal(res.statusCode, 200, `${login} GET ${url}: ${res.statusCode}`);
      return res.body;
    }

    it('is seeded on first start, after the accounts, and leaves the runtime on its own clock', async () => {
      // The tests' template holds the demo accounts already (rt.seeded is false); the world is new.
      assert.equal(rt.worldSeeded, true);
      assert.equal(rt.ctx.clock, rt.clock, 'the services of the running app read the runtime clock, not the world’s');
      const verdict = await verifyAuditChain(rt.ctx.db);
      assert.equal(verdict.ok, true, JSON.stringify(verdict));
      assert.ok(verdict.rows > 200, `a few months of activity are audited (${verdict.rows} rows)`);
    });

    it('quote editors see their organisation’s quotes in every status, AIF and POEI, and two templates', async () => {
      for (const login of ['devis.demo', 'devis.demo2']) {
        const statuses = new Set<string>();
        const types = new Set<string>();
        for (let page = 1; page <= 3; page++) {
          const list = await getJson(login, `/api/v1/quotes?page=${page}`);
          for (const q of list.quotes) {
            statuses.add(q.status);
            types.add(q.type);
          }
        }
        assert.deepEqual([...statuses].sort(), [...QUOTE_STATUSES].sort(), login);
        assert.deepEqual([...types].sort(), ['AIF', 'POEI'], login);
        const page = await getPage(login, '/devis');
        assert.ok(!page.includes('Votre organisme n’a encore aucun devis'), login);
      }
      const templates = await getJson('devis.demo', '/api/v1/quote-templates');
      assert.equal(templates.templates.length, 2);
      const drafts = await getJson('devis.demo', '/api/v1/quotes?status=draft');
      // The unfinished draft cannot be submitted yet: its errors are listed, nothing changes.
      const submit = await rt.app.inject({ method: 'POST', url: `/api/v1/quotes/${drafts.quotes[0].id}/submit`, headers: (await as('devis.demo')).headers });
      assert.equal(submit.statusCode, 422, submit.body);
      const codes = (submit.json().errors as Array<{ code: string }>).map((e) => e.code).sort();
      assert.deepEqual(codes, ['pedagogical_cost_mismatch', 'start_too_soon']);
    });

    it('the advisor has quotes to decide and alerts to read', async () => {
      const queue = await getJson('conseiller.demo', '/api/v1/quote-queue');
      assert.ok(queue.total >= 2, JSON.stringify(queue));
      assert.ok(queue.quotes.some((q: { candidate: { identifier: string } }) => q.candidate.identifier === '7654321B'), 'candidat.demo2’s accepted quote waits for the advisor');
      assert.ok(!(await getPage('conseiller.demo', '/conseiller/devis')).includes('Aucun devis ne correspond'));
      const alerts = await getJson('conseiller.demo', '/api/v1/training-alerts');
      const kinds = new Set(alerts.alerts.map((a: { kind: string }) => a.kind));
      for (const kind of ['unjustified_absences', 'withdrawal', 'report_overdue']) assert.ok(kinds.has(kind), `${kind} alert in ${[...kinds].join(', ')}`);
      assert.ok(!(await getPage('conseiller.demo', '/kairos/formations')).includes('Aucune alerte.'));
    });

    it('the attendance officer follows trainings in every state, with the grid of this month and the last filled', async () => {
      const list = await getJson('assiduite.demo', '/api/v1/trainings');
      const byStatus = new Map<string, number>();
      for (const t of list.trainings) byStatus.set(t.status, (byStatus.get(t.status) ?? 0) + 1);
      assert.ok((byStatus.get('in_progress') ?? 0) >= 3, JSON.stringify([...byStatus]));
      for (const status of ['withdrawn', 'exited', 'reported', 'planned']) assert.ok(byStatus.has(status), status);
      assert.ok(list.trainings.some((t: { overdue?: boolean; reportOverdue?: boolean }) => t.overdue || t.reportOverdue), 'one report is overdue');
      for (const m of [month, previousMonth]) {
        const grid = await getPage('assiduite.demo', `/kairos/assiduite?session=SE_0000612005&mois=${m}`);
        assert.ok(!grid.includes('Aucune session avec une entrée déclarée'), m);
        assert.ok(!grid.includes('Aucun stagiaire de cette session'), m);
      }
      const inProgress = list.trainings.filter((t: { status: string }) => t.status === 'in_progress');
      const corrected = [];
      for (const t of inProgress) {
        const a = await getJson('assiduite.demo', `/api/v1/trainings/${t.id}/attendance?month=${previousMonth}`);
        if (t.organisation?.name !== 'Atelier Compétences Démo') assert.equal(a.locked, true, `${previousMonth} is transmitted for ${t.id}`);
        assert.ok(a.halfDays.length > 0 && a.halfDays.every((h: { attendance: unknown }) => h.attendance !== null), 'every past half-day is declared');
        corrected.push(...a.corrections);
      }
      assert.equal(corrected.length, 1, 'one correction of a locked month');
      assert.ok(!(await getPage('assiduite.demo', '/kairos/formations')).includes('Aucune formation ne correspond.'));
      const atelier = await getJson('devis.demo2', '/api/v1/trainings?status=in_progress');
      assert.ok(atelier.total >= 1, 'the atelier has a training in progress too');
    });

    it('candidat.demo sees a filled calendar and downloads a statement; candidat.demo2 has an accepted quote', async () => {
      const mine = await getJson('candidat.demo', '/api/v1/me/trainings');
      const training = mine.trainings.find((t: { status: string }) => t.status === 'in_progress');
      assert.ok(training, JSON.stringify(mine));
      assert.ok(training.statements.some((s: { month: string }) => s.month === previousMonth));
      for (const m of [previousMonth, month]) {
        const page = await getPage('candidat.demo', `/mon-espace/formations/${training.id}?mois=${m}`);
        assert.ok(!page.includes('Aucune séance prévue ce mois-ci.'), m);
      }
      const pdf = await rt.app.inject({ method: 'GET', url: `/api/v1/me/trainings/${training.id}/statements/${previousMonth}.pdf`, headers: (await as('candidat.demo')).headers });
      assert.equal(pdf.statusCode, 200);
      assert.equal(pdf.headers['content-type'], 'application/pdf');
      const quotes = await getJson('candidat.demo2', '/api/v1/me/quotes');
      assert.ok(quotes.quotes.some((q: { status: string }) => q.status === 'accepted'), JSON.stringify(quotes));
    });

    it('support, the agency and the account managers have requests, alerts and a review to handle', async () => {
      const queue = await getJson('support.demo', '/api/v1/support/queue');
      const statuses = new Set(queue.requests.map((r: { status: string }) => r.status));
      for (const s of ['open', 'answered']) assert.ok(statuses.has(s), `${s} in ${[...statuses].join(', ')}`);
      const closed = await getJson('support.demo', '/api/v1/support/queue?status=closed');
      assert.ok(closed.requests.length >= 1, 'a closed request');
      const own = await getJson('devis.demo', '/api/v1/support-requests');
      const withShot = await getJson('devis.demo', `/api/v1/support-requests/${own.requests[0].id}`);
      assert.equal(withShot.attachments.length, 1, 'the request carries its screenshot');
      assert.ok(withShot.errorReference, 'and the reference of the incident');
      assert.ok(!(await getPage('devis.demo', '/compte/incidents')).includes('Aucun incident'), 'the incident is in the journal');

      const pending = await getJson('admin.agence', '/api/v1/membership-requests?status=pending');
      const rejected = await getJson('admin.agence', '/api/v1/membership-requests?status=rejected');
      assert.equal(listOf(pending).length, 2, JSON.stringify(pending));
      assert.equal(listOf(rejected).length, 1);
      const alerts = await getJson('admin.agence', '/api/v1/security/alerts');
      assert.ok(listOf(alerts).some((a) => a.status === 'resolved'), JSON.stringify(alerts));

      const formapro = await rt.ctx.db.selectFrom('organisation').select('id').where('name', '=', 'Formapro Démo').executeTakeFirstOrThrow();
      const review = await getJson('rgc.demo', `/api/v1/organisations/${formapro.id}/access-review`);
      assert.ok(review.items.some((i: { decision: unknown }) => i.decision === null), 'the open review has undecided items');
    });

    it('is not seeded again, and the chain still verifies after all those reads', async () => {
      const before = await rt.ctx.db.selectFrom('quote').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
      assert.equal(await seedDemoWorld(rt.ctx), false);
      const afterCount = await rt.ctx.db.selectFrom('quote').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
      assert.equal(Number(afterCount.n), Number(before.n));
      const verdict = await verifyAuditChain(rt.ctx.db);
      assert.equal(verdict.ok, true, JSON.stringify(verdict));
    });
  });
}

describe('demo world on a data folder (PGlite): a second start keeps it and seeds nothing', () => {
  let dataDir = '';
  before(() => {
    dataDir = mkdtempSync(path.join(tmpdir(), 'kairos-world-disk-'));
  });
  after(() => rmSync(dataDir, { recursive: true, force: true }));

  it('seeds on the first start only', async () => {
    const config = loadConfig({ NODE_ENV: 'test', SEED_DEMO: 'true', SEED_DEMO_WORLD: 'true', DATA_DIR: dataDir, PGLITE_FSYNC: 'false', LOG_LEVEL: 'silent' });
    const counts = async (rt: Runtime) => ({
      quotes: Number((await rt.ctx.db.selectFrom('quote').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n),
      audit: Number((await rt.ctx.db.selectFrom('audit_log').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n),
    });
    const first = await createRuntime(config, { clock: new ManualClock(new Date()) });
    assert.equal(first.worldSeeded, true);
    const seeded = await counts(first);
    await first.close();
    const second = await createRuntime(config, { clock: new ManualClock(new Date()) });
    try {
      assert.equal(second.seeded, false);
      assert.equal(second.worldSeeded, false);
      assert.deepEqual(await counts(second), seeded, 'nothing added by the second start');
      assert.equal((await verifyAuditChain(second.ctx.db)).ok, true);
    } finally {
      await second.close();
    }
  });
});

/** List answers name their array differently (requests, alerts): the one array of the object. */
function listOf(body: unknown): Array<Record<string, unknown>> {
  if (Array.isArray(body)) return body;
  const arrays = Object.values(body as Record<string, unknown>).filter(Array.isArray);
  assert.equal(arrays.length, 1, JSON.stringify(body));
  return arrays[0] as Array<Record<string, unknown>>;
}
