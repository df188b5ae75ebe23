import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { sql } from 'kysely';
import { loadConfig } from '../../src/config.js';
import { openDatabase } from '../../src/db/database.js';
import { computeAuditHash } from '../../src/modules/audit/hash-chain.js';
import { recordAudit, recordAuditAlone, verifyAuditChain } from '../../src/modules/audit/service.js';
import { createRuntime } from '../../src/runtime.js';
import { countQueries } from '../helpers/query-counter.js';
import { ENGINES, startTestRuntime, type TestRuntime } from '../helpers/runtime.js';
import { signInAs } from '../helpers/session.js';

for (const engine of ENGINES) {
  describe(`audit log (${engine})`, () => {
    let rt: TestRuntime;
    before(async () => {
      rt = await startTestRuntime(engine);
    });
    after(async () => {
      await rt?.stop();
    });

    it('records sign-ins in a chain that verifies', async () => {
      await signInAs(rt.app, rt.clock, 'admin.agence', { ip: '10.9.0.1' });
      const row = await rt.ctx.db.selectFrom('audit_log').selectAll().orderBy('id', 'desc').limit(1).executeTakeFirstOrThrow();
      assert.equal(row.action, 'sign_in.succeeded');
      assert.equal(row.actor_login, 'admin.agence');
      assert.equal(row.ip, '10.9.0.1');
      assert.match(row.request_id ?? '', /^[0-9a-f-]{36}$/);
      const verdict = await verifyAuditChain(rt.ctx.db);
      assert.equal(verdict.ok, true);
      assert.ok(verdict.rows >= 2);
    });

    it('writes the audit row in the same transaction as the change: a rollback leaves neither', async () => {
      const before = await rt.ctx.db.selectFrom('audit_log').select(sql<number>`count(*)`.as('n')).executeTakeFirstOrThrow();
      await assert.rejects(
        rt.ctx.db.transaction().execute(async (trx) => {
          await recordAudit(trx, { at: rt.clock.now(), action: 'test.rolled_back' });
          throw new Error('change failed');
        }),
      );
      const afterCount = await rt.ctx.db.selectFrom('audit_log').select(sql<number>`count(*)`.as('n')).executeTakeFirstOrThrow();
      assert.equal(afterCount.n, before.n);
    });

    it('the database computes the hash the application would: one statement, non-ASCII and nested details included', async () => {
      const at = new Date('2026-03-01T10:11:12.345Z');
      const entry = { at, action: 'test.hash_in_database', actor: null, organisationId: null, target: { type: 'quote', id: 'Q-é' }, ip: '10.0.0.1', requestId: 'r-1', details: { z: 'défi « ok » 🎉\n"\\', a: [1, 2.5, { y: null, b: true }], m: -0.000123 } };
      const { statements } = await countQueries(() => recordAuditAlone(rt.ctx.db, entry));
      assert.equal(statements.length, 1, statements.join('\n'));
      const rows = await rt.ctx.db.selectFrom('audit_log').selectAll().orderBy('id', 'desc').limit(2).execute();
      const [row, previous] = rows;
      assert.equal(row.prev_hash, previous.hash);
      const expected = computeAuditHash(previous.hash, {
        at, actorId: null, actorLogin: null, organisationId: null, action: entry.action, targetType: 'quote', targetId: 'Q-é', ip: '10.0.0.1', requestId: 'r-1', details: row.details,
      });
      assert.equal(row.hash, expected);
      assert.deepEqual(row.details, entry.details);
      assert.equal((await verifyAuditChain(rt.ctx.db)).ok, true);
    });

    it('refuses updates and deletes (append-only)', async () => {
      await assert.rejects(rt.ctx.db.updateTable('audit_log').set({ action: 'x' }).execute(), /append-only/);
      await assert.rejects(rt.ctx.db.deleteFrom('audit_log').execute(), /append-only/);
    });

    it('detects a row modified behind the application’s back, naming it', async () => {
      await signInAs(rt.app, rt.clock, 'conseiller.demo');
      await signInAs(rt.app, rt.clock, 'support.demo');
      const rows = await rt.ctx.db.selectFrom('audit_log').select('id').orderBy('id').execute();
      const victim = rows[rows.length - 2].id;
      await sql`alter table audit_log disable trigger audit_log_append_only`.execute(rt.ctx.db);
      await sql`update audit_log set actor_login = 'quelqu.un' where id = ${victim}`.execute(rt.ctx.db);
      await sql`alter table audit_log enable trigger audit_log_append_only`.execute(rt.ctx.db);
      const verdict = await verifyAuditChain(rt.ctx.db, 2);
      assert.equal(verdict.ok, false);
      assert.ok(!verdict.ok && verdict.badRowId === victim && verdict.reason === 'altered');
    });
  });
}

describe('npm run audit:verify', () => {
  const dataDir = mkdtempSync(path.join(tmpdir(), 'kairos-audit-'));
  after(() => rmSync(dataDir, { recursive: true, force: true }));
  const env = { ...process.env, DATA_DIR: dataDir, NODE_ENV: 'test', LOG_LEVEL: 'silent', DATABASE_URL: '' };
  delete (env as Record<string, string | undefined>).DATABASE_URL;
  const verify = () => spawnSync(process.execPath, ['--import', 'tsx', 'src/modules/audit/verify-cli.ts'], { env, encoding: 'utf8' });

  before(async () => {
    const runtime = await createRuntime(loadConfig({ DATA_DIR: dataDir, SEED_DEMO: 'true', NODE_ENV: 'test', LOG_LEVEL: 'silent' }));
    await runtime.ctx.db.transaction().execute(async (trx) => {
      for (let i = 0; i < 3; i++) await recordAudit(trx, { at: new Date(), action: `cli.test.${i}` });
    });
    await runtime.close();
  });

  it('exits 0 on an intact chain and 1 naming the first altered row', async () => {
    const ok = verify();
    assert.equal(ok.status, 0, ok.stderr);
    assert.match(ok.stdout, /intègre : 4 ligne/);
    const handle = await openDatabase({ dataDir });
    await sql`alter table audit_log disable trigger audit_log_append_only`.execute(handle.db);
    await sql`update audit_log set details = '{"forged": true}'::jsonb where action = 'cli.test.1'`.execute(handle.db);
    const bad = await handle.db.selectFrom('audit_log').select('id').where('action', '=', 'cli.test.1').executeTakeFirstOrThrow();
    await handle.close();
    const ko = verify();
    assert.equal(ko.status, 1);
    assert.match(ko.stderr, new RegExp(`id=${bad.id}\\b`));
  });
});
