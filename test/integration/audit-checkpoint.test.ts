// Signed checkpoints of the audit chain: the daily job (once across instances), the mail to the
// agency administrators, and verification that sees the newest rows removed behind the
// application's back (triggers off), which the chain alone cannot.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { sql } from 'kysely';
import { loadConfig } from '../../src/config.js';
import { acquireDataFolderLock } from '../../src/db/data-folder-lock.js';
import { openDatabase } from '../../src/db/database.js';
import { ensureScheduled } from '../../src/jobs/recurring.js';
import { AUDIT_CHECKPOINT, auditSigner, checkpointFailure, createCheckpoint, verifyCheckpoints } from '../../src/modules/audit/checkpoint.js';
import { purgeAuditLog } from '../../src/modules/audit/retention.js';
import { recordAuditAlone, verifyAuditChain } from '../../src/modules/audit/service.js';
import { generateSigningSeed } from '../../src/modules/audit/signing.js';
import { createRuntime } from '../../src/runtime.js';
import { COMMANDS, runCommand } from '../helpers/processes.js';
import { createPostgresDatabase, ENGINES, startTestRuntime, type TestRuntime } from '../helpers/runtime.js';

const DAY = 86_400_000;

for (const engine of ENGINES) {
  describe(`audit checkpoints (${engine})`, () => {
    let rt: TestRuntime;
    before(async () => {
      rt = await startTestRuntime(engine);
    });
    after(() => rt?.stop());

    const verify = async () =>
      verifyCheckpoints(rt.ctx.db, await auditSigner(rt.ctx.db, rt.ctx.config), { now: rt.clock.now(), auditRetentionDays: rt.ctx.config.retention.auditDays });
    const mailsOf = async (id: number) =>
      (await rt.ctx.db.selectFrom('job').select('payload').where('kind', '=', 'mail.send').execute())
        .map((j) => j.payload as { to: string; subject: string; text: string })
        .filter((m) => m.subject === `Journal d’audit : point de contrôle n° ${id}`);

    it('the daily job is scheduled once across instances, seals the head and mails the agency administrators', async () => {
      const [a, b] = await Promise.all([ensureScheduled(rt.ctx.db, rt.clock.now(), AUDIT_CHECKPOINT), ensureScheduled(rt.ctx.db, rt.clock.now(), AUDIT_CHECKPOINT)]);
      assert.equal(a.jobId, b.jobId);
      assert.equal([a, b].filter((r) => r.scheduled).length, 1);
      rt.clock.advance(DAY + 1000);
      await rt.worker.runDue();
      const checkpoints = await rt.ctx.db.selectFrom('audit_checkpoint').selectAll().execute();
      assert.equal(checkpoints.length, 1);
      const [cp] = checkpoints;
      const sealed = await rt.ctx.db.selectFrom('audit_log').selectAll().where('id', '=', cp.row_id).executeTakeFirstOrThrow();
      assert.equal(sealed.action, 'audit.checkpointed');
      assert.equal(sealed.hash, cp.row_hash);
      const next = await rt.ctx.db.selectFrom('job').select(['run_at', 'status']).where('kind', '=', AUDIT_CHECKPOINT.kind).where('status', '=', 'pending').execute();
      assert.equal(next.length, 1, 'the next day is scheduled');

      const admins = ['admin.agence'];
      const mails = await mailsOf(Number(cp.id));
      assert.ok(mails.length >= admins.length, 'mailed to the agency administrators');
      const adminEmails = (await rt.ctx.db.selectFrom('account').select(['email', 'login', 'display_name']).where('login', 'in', admins).execute());
      for (const admin of adminEmails) assert.ok(mails.some((m) => m.to === admin.email));
      for (const m of mails) {
        for (const fact of [`id=${cp.row_id}`, cp.row_hash, cp.signature, cp.key_fingerprint, cp.created_at.toISOString()]) assert.ok(m.text.includes(fact), fact);
        for (const admin of adminEmails) assert.ok(!m.text.includes(admin.display_name) && !m.text.includes(admin.email!), 'no personal data');
      }
      assert.deepEqual((await verify()).ok, true);
    });

    it('a checkpoint whose row the retention purge removed still verifies', async () => {
      const cp = await createCheckpoint(rt.ctx);
      rt.clock.advance(400 * DAY);
      await recordAuditAlone(rt.ctx.db, { at: rt.clock.now(), action: 'test.recent' });
      await purgeAuditLog(rt.ctx, new Date(rt.clock.now().getTime() - rt.ctx.config.retention.auditDays * DAY));
      assert.equal(await rt.ctx.db.selectFrom('audit_log').select('id').where('id', '=', cp.rowId).executeTakeFirst(), undefined);
      const verdict = await verify();
      assert.ok(verdict.ok && verdict.purged >= 1, JSON.stringify(verdict));
      await createCheckpoint(rt.ctx);
    });

    it('rows deleted with triggers disabled after the last checkpoint: the checkpoint is named', async () => {
      const cp = await createCheckpoint(rt.ctx);
      for (let i = 0; i < 3; i++) await recordAuditAlone(rt.ctx.db, { at: rt.clock.now(), action: 'test.after_checkpoint', details: { i } });
      assert.equal((await verify()).ok, true);
      await rt.ctx.db.connection().execute(async (conn) => {
        await sql`set session_replication_role = replica`.execute(conn);
        await sql`delete from audit_log where id >= ${cp.rowId}`.execute(conn);
        await sql`set session_replication_role = origin`.execute(conn);
      });
      assert.equal((await verifyAuditChain(rt.ctx.db)).ok, true, 'the chain alone still looks intact');
      const verdict = await verify();
      assert.ok(!verdict.ok && verdict.reason === 'missing' && verdict.checkpointId === cp.id, JSON.stringify(verdict));
      assert.match(checkpointFailure(verdict), new RegExp(`la ligne id=${cp.rowId} scellée par le point de contrôle n° ${cp.id} du .* est absente : les lignes après id=\\d+ ont été supprimées`));
    });

    it('the checkpoints are append-only; a forged one fails on its signature', async () => {
      await assert.rejects(rt.ctx.db.deleteFrom('audit_checkpoint').execute(), /append-only/);
      await assert.rejects(rt.ctx.db.updateTable('audit_checkpoint').set({ row_hash: 'x' }).execute(), /append-only/);
      const last = await rt.ctx.db.selectFrom('audit_checkpoint').selectAll().orderBy('id', 'desc').limit(1).executeTakeFirstOrThrow();
      await rt.ctx.db.insertInto('audit_checkpoint').values({ ...last, id: undefined as never, row_hash: '0'.repeat(64) }).execute();
      await sql`alter table audit_checkpoint disable trigger audit_checkpoint_append_only`.execute(rt.ctx.db);
      await sql`delete from audit_checkpoint where id <= ${last.id}`.execute(rt.ctx.db);
      await sql`alter table audit_checkpoint enable trigger audit_checkpoint_append_only`.execute(rt.ctx.db);
      const verdict = await verify();
      assert.ok(!verdict.ok && verdict.reason === 'signature', JSON.stringify(verdict));
    });
  });

  describe(`npm run audit:checkpoint and audit:verify (${engine})`, () => {
    const dataDir = mkdtempSync(path.join(tmpdir(), 'kairos-checkpoint-'));
    let pgDb: Awaited<ReturnType<typeof createPostgresDatabase>> | null = null;
    let env: Record<string, string> = {};
    const open = () => openDatabase(engine === 'postgres' ? { databaseUrl: pgDb!.url } : { dataDir });
    before(async () => {
      pgDb = engine === 'postgres' ? await createPostgresDatabase() : null;
      env = { DATA_DIR: dataDir, NODE_ENV: 'test', LOG_LEVEL: 'silent', ...(pgDb ? { DATABASE_URL: pgDb.url } : {}) };
      const runtime = await createRuntime(loadConfig({ ...env, SEED_DEMO: 'true' }));
      await runtime.close();
    });
    after(async () => {
      rmSync(dataDir, { recursive: true, force: true });
      await pgDb?.drop();
    });

    it('checkpoint then verify exit 0; the newest rows deleted with triggers disabled: verify exits 1 naming the checkpoint', { timeout: 120_000 }, async () => {
      const made = await runCommand(COMMANDS.auditCheckpoint, [], env);
      assert.equal(made.code, 0, made.stderr);
      const [, id, rowId] = /Point de contrôle n° (\d+) enregistré : ligne id=(\d+)/.exec(made.stdout) ?? [];
      assert.ok(id && rowId, made.stdout);
      const ok = await runCommand(COMMANDS.auditVerify, [], env);
      assert.equal(ok.code, 0, ok.stderr);
      assert.match(ok.stdout, new RegExp(`le dernier n° ${id} \\(ligne id=${rowId},`));

      const handle = await open();
      await recordAuditAlone(handle.db, [1, 2].map((i) => ({ at: new Date(), action: 'cli.after_checkpoint', details: { i } })));
      await sql`alter table audit_log disable trigger audit_log_append_only`.execute(handle.db);
      await sql`delete from audit_log where id >= ${Number(rowId)}`.execute(handle.db);
      await sql`alter table audit_log enable trigger audit_log_append_only`.execute(handle.db);
      await handle.close();
      const ko = await runCommand(COMMANDS.auditVerify, [], env);
      assert.equal(ko.code, 1, ko.stdout);
      assert.match(ko.stderr, new RegExp(`Journal d'audit incomplet : la ligne id=${rowId} scellée par le point de contrôle n° ${id} du .* est absente`));
    });

    it('verify exits 1 when the key is not the one that signed', { timeout: 60_000 }, async () => {
      const ko = await runCommand(COMMANDS.auditVerify, [], { ...env, AUDIT_SIGNING_KEY: generateSigningSeed() });
      assert.equal(ko.code, 1, ko.stdout);
      assert.match(ko.stderr, /signé par une autre clé/);
    });

    it('both refuse a data folder held by another process', { skip: engine === 'postgres' ? 'PostgreSQL has no data folder' : false, timeout: 60_000 }, async () => {
      const lock = acquireDataFolderLock(dataDir);
      try {
        for (const script of [COMMANDS.auditCheckpoint, COMMANDS.auditVerify]) {
          const result = await runCommand(script, [], env);
          assert.equal(result.code, 1, result.stderr);
          assert.match(result.stderr, new RegExp(`déjà utilisé par le processus ${process.pid}`));
        }
      } finally {
        lock.release();
      }
    });
  });
}
