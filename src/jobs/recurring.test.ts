import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { ENGINES, startTestRuntime, type TestRuntime } from '../../test/helpers/runtime.js';
import { retryDelayMs } from './queue.js';
import { DAY_MS, SchedulingWorker, ensureScheduled, nextSlot, recurringHandler, type RecurringJob } from './recurring.js';

const HOUR = 3_600_000;

describe('recurring job slots', () => {
  it('picks the first slot strictly after now on a fixed grid', () => {
    const daily = { everyMs: DAY_MS, offsetMs: HOUR };
    const table: Array<[string, string]> = [
      ['2026-05-10T00:59:59.999Z', '2026-05-10T01:00:00.000Z'],
      ['2026-05-10T01:00:00.000Z', '2026-05-11T01:00:00.000Z'], // a run at its own slot schedules the next day
      ['2026-05-10T13:37:00.000Z', '2026-05-11T01:00:00.000Z'],
      ['2026-12-31T23:00:00.000Z', '2027-01-01T01:00:00.000Z'],
    ];
    for (const [now, expected] of table) assert.equal(nextSlot(new Date(now), daily).toISOString(), expected, now);
    assert.equal(nextSlot(new Date('2026-05-10T10:20:00Z'), { everyMs: 15 * 60_000, offsetMs: 0 }).toISOString(), '2026-05-10T10:30:00.000Z');
  });
});

for (const engine of ENGINES) {
  describe(`recurring jobs on the job table (${engine})`, () => {
    let rt: TestRuntime;
    before(async () => {
      rt = await startTestRuntime(engine);
    });
    after(() => rt?.stop());

    // Each test leaves no due job behind: moving the clock would make the next test's runDue() run it.
    const forget = (kind: string) => rt.ctx.db.deleteFrom('job').where('kind', '=', kind).execute();
    const live = (kind: string) =>
      rt.ctx.db.selectFrom('job').select(['id', 'run_at', 'status', 'payload']).where('kind', '=', kind).where('status', 'in', ['pending', 'running']).orderBy('id').execute();

    it('keeps one pending run however many instances ensure it at once', async () => {
      const job: RecurringJob = { kind: 'test.recurring.concurrent', everyMs: HOUR, offsetMs: 0 };
      const results = await Promise.all(Array.from({ length: 6 }, () => ensureScheduled(rt.ctx.db, rt.clock.now(), job)));
      assert.equal(results.filter((r) => r.scheduled).length, 1);
      const rows = await live(job.kind);
      assert.equal(rows.length, 1);
      assert.equal(rows[0].run_at.getTime(), nextSlot(rt.clock.now(), job).getTime());
      assert.deepEqual(rows[0].payload, { slot: rows[0].run_at.toISOString() });
      assert.equal((await ensureScheduled(rt.ctx.db, rt.clock.now(), job)).scheduled, false);
      await forget(job.kind);
    });

    it('schedules the next slot after each run, and runs a late chain once rather than once per missed slot', async () => {
      const job: RecurringJob = { kind: 'test.recurring.chain', everyMs: HOUR, offsetMs: 0 };
      let runs = 0;
      rt.worker.register(job.kind, recurringHandler(rt.ctx.db, rt.clock, job, async () => void runs++));
      await ensureScheduled(rt.ctx.db, rt.clock.now(), job);
      assert.equal(await rt.worker.runDue(), 0, 'not due yet');
      rt.clock.advance(5 * HOUR);
      assert.equal(await rt.worker.runDue(), 1);
      assert.equal(runs, 1);
      const rows = await live(job.kind);
      assert.equal(rows.length, 1);
      assert.equal(rows[0].run_at.getTime(), nextSlot(rt.clock.now(), job).getTime());
      await forget(job.kind);
    });

    it('retries a failing run on the same row, and keeps the chain going after the last attempt', async () => {
      const job: RecurringJob = { kind: 'test.recurring.failing', everyMs: HOUR, offsetMs: 0 };
      rt.worker.register(job.kind, recurringHandler(rt.ctx.db, rt.clock, job, async () => {
        throw new Error('panne');
      }));
      const first = await ensureScheduled(rt.ctx.db, rt.clock.now(), job);
      await rt.ctx.db.updateTable('job').set({ max_attempts: 2 }).where('id', '=', first.jobId).execute();
      rt.clock.set(first.runAt);
      assert.equal(await rt.worker.runDue(), 1);
      assert.deepEqual((await live(job.kind)).map((r) => [r.id, r.status]), [[first.jobId, 'pending']], 'the retry is the chain');
      rt.clock.advance(retryDelayMs(1));
      assert.equal(await rt.worker.runDue(), 1);
      const rows = await live(job.kind);
      assert.equal(rows.length, 1);
      assert.notEqual(rows[0].id, first.jobId, 'a new run is scheduled once the failed one is given up');
      const failed = await rt.ctx.db.selectFrom('job').select('status').where('id', '=', first.jobId).executeTakeFirstOrThrow();
      assert.equal(failed.status, 'failed');
      await forget(job.kind);
    });

    it('a starting worker ensures its recurring jobs; one still running counts as the chain', async () => {
      const job: RecurringJob = { kind: 'test.recurring.start', everyMs: DAY_MS, offsetMs: HOUR };
      const worker = new SchedulingWorker(rt.ctx.db, rt.clock, rt.app.log, 60_000);
      worker.registerRecurring(job, async () => {});
      worker.start();
      await worker.stop();
      assert.equal((await live(job.kind)).length, 1);
      await rt.ctx.db.updateTable('job').set({ status: 'running', locked_at: rt.clock.now(), locked_by: 'other' }).where('kind', '=', job.kind).execute();
      assert.equal((await worker.ensureRecurring())[0].scheduled, false);
      assert.equal((await live(job.kind)).length, 1);
    });
  });
}
