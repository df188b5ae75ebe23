// Retention (issue #7 item 8): audit rows older than a year are purged as a prefix, the chain
// still verifies, the purge is itself recorded; finished jobs (mail texts) go after 30 days.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { purgeAuditLog, purgeFinishedJobs } from '../../src/modules/audit/retention.js';
import { recordAuditAlone, verifyAuditChain } from '../../src/modules/audit/service.js';
import { enqueueJob } from '../../src/jobs/queue.js';
import { ENGINES, startTestRuntime, type TestRuntime } from '../helpers/runtime.js';

const DAY = 86_400_000;

for (const engine of ENGINES) {
  describe(`retention (${engine})`, () => {
    let rt: TestRuntime;
    before(async () => {
      rt = await startTestRuntime(engine);
    });
    after(() => rt?.stop());

    it('purges audit rows past the retention as a prefix; the rest still verifies; nothing else can delete', async () => {
      const count = async () => (await rt.ctx.db.selectFrom('audit_log').select('id').execute()).length;
      for (let i = 0; i < 3; i++) await recordAuditAlone(rt.ctx.db, { at: rt.clock.now(), action: 'test.old', details: { i } });
      rt.clock.advance(200 * DAY);
      for (let i = 0; i < 2; i++) await recordAuditAlone(rt.ctx.db, { at: rt.clock.now(), action: 'test.recent', details: { i } });
      rt.clock.advance(200 * DAY);
      const before = await count();
      const deleted = await purgeAuditLog(rt.ctx, new Date(rt.clock.now().getTime() - rt.ctx.config.retention.auditDays * DAY));
      assert.ok(deleted >= 3, `deleted ${deleted}`);
      const remaining = (await rt.ctx.db.selectFrom('audit_log').select('action').orderBy('id').execute()).map((r) => r.action);
      assert.equal(remaining.filter((a) => a === 'test.old').length, 0);
      assert.equal(remaining.filter((a) => a === 'test.recent').length, 2);
      assert.equal(remaining.at(-1), 'audit.purged');
      assert.equal(await count(), before - deleted + 1);
      assert.equal((await verifyAuditChain(rt.ctx.db)).ok, true);
      // Outside the purge, the log stays append-only.
      await assert.rejects(rt.ctx.db.deleteFrom('audit_log').where('action', '=', 'test.recent').execute(), /append-only/);
      assert.equal(await purgeAuditLog(rt.ctx, new Date(rt.clock.now().getTime() - 365 * DAY)), 0, 'nothing more to purge');
    });

    it('removes finished jobs (and the mail texts they carry) after their retention, never pending ones', async () => {
      const now = rt.clock.now();
      const [done, pending] = await rt.ctx.db.transaction().execute(async (trx) => [await enqueueJob(trx, now, 'test.done', { to: 'x@example.test' }), await enqueueJob(trx, now, 'test.pending', {})]);
      await rt.ctx.db.updateTable('job').set({ status: 'done', finished_at: now }).where('id', '=', done).execute();
      rt.clock.advance(31 * DAY);
      assert.ok((await purgeFinishedJobs(rt.ctx, new Date(rt.clock.now().getTime() - 30 * DAY))) >= 1);
      const left = (await rt.ctx.db.selectFrom('job').select('id').where('id', 'in', [done, pending]).execute()).map((j) => j.id);
      assert.deepEqual(left, [pending]);
    });
  });
}
