// Retention (docs/product/security.md#retention): audit rows older than a year are purged as a
// prefix, the chain still verifies, the purge is itself recorded; finished jobs (mail texts) go
// after 30 days.
import assert from 'node:assert/strict';
import { sql } from 'kysely';
import { after, before, describe, it } from 'node:test';
import { purgeAuditLog, purgeFinishedJobs } from '../../src/modules/audit/retention.js';
import { recordAuditAlone, verifyAuditChain } from '../../src/modules/audit/service.js';
import { enqueueJob } from '../../src/jobs/queue.js';
import { anonymiseClosedDossiers } from '../../src/modules/candidates/anonymisation.js';
import { createCandidate, createTraining } from '../helpers/trainings.js';
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

    it('anonymises a closed dossier 3 years after its last report, keeping what statistics need; open dossiers stay', async () => {
      const db = rt.ctx.db;
      await createCandidate(db, '3333333C', 'Durand', 'Camille');
      await createCandidate(db, '4444444D', 'Petit', 'Sam');
      const now = rt.clock.now();
      const closed = await createTraining(db, { organisation: 'Formapro Démo', candidate: '3333333C', startDate: '2027-01-04', endDate: '2027-01-29', session: 'SE-ANON-1', at: now });
      const open = await createTraining(db, { organisation: 'Formapro Démo', candidate: '4444444D', startDate: '2027-01-04', endDate: '2027-01-29', session: 'SE-ANON-2', at: now });
      const editor = (await db.selectFrom('account').select('id').where('login', '=', 'assiduite.demo').executeTakeFirstOrThrow()).id;
      await db.updateTable('training').set({ status: 'reported', withdrawal_comment: 'Camille a déménagé' }).where('id', '=', closed.id).execute();
      await db.updateTable('training').set({ status: 'exited' }).where('id', '=', open.id).execute();
      await db.insertInto('training_report').values({ training_id: closed.id, outcome: 'completed', certification: 'full', skills: 'Camille maîtrise React', difficulties: 'Garde d’enfant', next_steps: 'Candidater', employment_outcome: 'CDI chez X', submitted_at: now, submitted_by: editor }).execute();
      await db.updateTable('quote_event').set({ comment: 'Merci, Camille' }).where('quote_id', '=', closed.quoteId).execute();

      rt.clock.advance(2 * 365 * DAY);
      assert.equal(await anonymiseClosedDossiers(rt.ctx), 0, 'not yet: 2 years');
      rt.clock.advance(366 * DAY + 2 * DAY);
      assert.equal(await anonymiseClosedDossiers(rt.ctx), 1);
      const c = await db.selectFrom('candidate').selectAll().where('id', '=', (await db.selectFrom('training').select('candidate_id').where('id', '=', closed.id).executeTakeFirstOrThrow()).candidate_id).executeTakeFirstOrThrow();
      assert.match(c.identifier, /^ANON-[0-9a-f]{12}$/);
      assert.equal(c.last_name, 'Anonymisé');
      assert.equal(c.first_name, '');
      assert.equal(c.birth_date, '1990-01-01', 'the year stays');
      assert.ok(c.anonymised_at);
      const report = await db.selectFrom('training_report').selectAll().where('training_id', '=', closed.id).executeTakeFirstOrThrow();
      assert.deepEqual([report.outcome, report.certification, report.skills, report.difficulties, report.employment_outcome], ['completed', 'full', '', '', null]);
      const training = await db.selectFrom('training').selectAll().where('id', '=', closed.id).executeTakeFirstOrThrow();
      assert.equal(training.withdrawal_comment, null);
      assert.equal(training.title, 'Titre professionnel Développeur web', 'statistics keep the training');
      const comments = (await db.selectFrom('quote_event').select('comment').where('quote_id', '=', closed.quoteId).execute()).map((e) => e.comment);
      assert.ok(comments.every((x) => x === null));
      const quote = await db.selectFrom('quote').select('data').where('id', '=', closed.quoteId).executeTakeFirstOrThrow();
      assert.ok(JSON.stringify(quote.data).includes('hourlyRateCents') || JSON.stringify(quote.data).includes('training'), 'amounts and training kept');
      // Still identifiable: the dossier not closed (no report yet).
      assert.equal((await db.selectFrom('candidate').select('last_name').where('identifier', '=', '4444444D').executeTakeFirstOrThrow()).last_name, 'Petit');
      assert.equal(Number((await db.selectFrom('audit_log').select(sql<number>`count(*)`.as('n')).where('action', '=', 'candidate.anonymised').executeTakeFirstOrThrow()).n), 1);
      assert.equal(await anonymiseClosedDossiers(rt.ctx), 0, 'once only');
      assert.equal((await verifyAuditChain(rt.ctx.db)).ok, true);
    });
  });
}
