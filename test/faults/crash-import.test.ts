// kill -9 of the server during a 10,000-line attendance CSV import, three times at different
// moments: after each, the import is all or nothing, the data folder (or database) opens, the
// audit chain verifies, and the server starts again.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { ManualClock } from '../../src/clock.js';
import { loadConfig } from '../../src/config.js';
import { openDatabase } from '../../src/db/database.js';
import { verifyAuditChain } from '../../src/modules/audit/service.js';
import { CSV_HEADER } from '../../src/modules/training/attendance/csv-rules.js';
import { createRuntime } from '../../src/runtime.js';
import { COMMANDS, freePort, kill9, runCommand, signInOverHttp, startServer, stopServer, type HttpSession, type Kairos } from '../helpers/processes.js';
import { ENGINES, createPostgresDatabase } from '../helpers/runtime.js';
import { signInAs } from '../helpers/session.js';
import { EVERY_DAY, createCandidate, createTraining } from '../helpers/trainings.js';

const TRAINEES = 20;
const LINES_EACH = 500; // 10,000 lines: the largest file the import takes
const KILL_AT = [0.2, 0.55, 0.9]; // fractions of a complete import's duration

interface Half {
  identifier: string;
  date: string;
  period: string;
}

/** Trainings with entered trainees, prepared in this process before the server starts. */
async function prepare(env: Record<string, string>): Promise<{ halves: Half[]; trainingIds: string[] }> {
  const clock = new ManualClock('2026-03-02T08:00:00Z'); // a TOTP step long before the server's sign-ins
  const rt = await createRuntime(loadConfig({ ...env, NODE_ENV: 'test', LOG_LEVEL: 'silent' }), { clock });
  try {
    const officer = await signInAs(rt.app, clock, 'assiduite.demo');
    const halves: Half[] = [];
    const trainingIds: string[] = [];
    for (let i = 0; i < TRAINEES; i++) {
      const identifier = `${String(8_100_000 + i)}C`;
      await createCandidate(rt.ctx.db, identifier, `Panne${i}`);
      const { id } = await createTraining(rt.ctx.db, { organisation: 'Formapro Démo', candidate: identifier, startDate: '2025-01-06', endDate: '2026-02-27', session: 'PANNE', schedule: EVERY_DAY, at: clock.now() });
      const entry = await rt.app.inject({ method: 'POST', url: `/api/v1/trainings/${id}/entry`, headers: officer.headers, payload: { startDate: '2025-01-06' } });
      assert.equal(entry.statusCode, 200, entry.body);
      trainingIds.push(id);
      const sessions = await rt.ctx.db.selectFrom('training_session').select(['date', 'period']).where('training_id', '=', id).orderBy('date').orderBy('period').limit(LINES_EACH).execute();
      for (const s of sessions) halves.push({ identifier, date: s.date.split('-').reverse().join('/'), period: s.period === 'am' ? 'matin' : 'apres-midi' });
    }
    return { halves, trainingIds };
  } finally {
    await rt.close();
  }
}

function csv(halves: Half[], status: 'present' | 'retard', minutes?: number): string {
  const cells = status === 'present' ? 'present;;;' : `retard;${minutes};;`;
  return [CSV_HEADER, ...halves.map((h) => `${h.identifier};PANNE;${h.date};${h.period};${cells}`)].join('\n');
}

function postImport(port: number, session: HttpSession, body: string): Promise<{ status: number; body: string } | { error: string }> {
  return fetch(`http://127.0.0.1:${port}/api/v1/attendance-imports`, { method: 'POST', headers: { ...session.headers, 'content-type': 'text/csv' }, body }).then(
    async (res) => ({ status: res.status, body: await res.text() }),
    (err: Error) => ({ error: err.message }),
  );
}

/** Opens the database as the next start would (taking over the stale lock), counts, verifies. */
async function inspect(env: Record<string, string>, trainingIds: string[], lateMinutes: number) {
  const config = loadConfig({ ...env, NODE_ENV: 'test' });
  const handle = await openDatabase({ databaseUrl: config.databaseUrl, dataDir: config.databaseUrl ? null : config.dataDir });
  try {
    const count = async (minutes?: number) => {
      let q = handle.db.selectFrom('attendance').select((eb) => eb.fn.countAll<number>().as('n')).where('training_id', 'in', trainingIds);
      if (minutes !== undefined) q = q.where('late_minutes', '=', minutes);
      return Number((await q.executeTakeFirstOrThrow()).n);
    };
    return { total: await count(), thisRound: await count(lateMinutes), audit: await verifyAuditChain(handle.db) };
  } finally {
    await handle.close();
  }
}

for (const engine of ENGINES) {
  describe(`kill -9 during a 10,000-line attendance import (${engine})`, () => {
    let env: Record<string, string>;
    let cleanup: () => Promise<void>;
    let server: Kairos | null = null;
    before(async () => {
      const common = { LOG_LEVEL: 'warn', RATE_LIMIT_PER_MINUTE: '100000', SEED_DEMO: 'true' };
      const attachments = mkdtempSync(path.join(tmpdir(), 'kairos-import-'));
      if (engine === 'pglite') {
        env = { ...common, DATA_DIR: path.join(attachments, 'data') };
        cleanup = async () => rmSync(attachments, { recursive: true, force: true });
      } else {
        const db = await createPostgresDatabase();
        env = { ...common, DATABASE_URL: db.url, ATTACHMENTS_DIR: attachments };
        cleanup = async () => {
          await db.drop();
          rmSync(attachments, { recursive: true, force: true });
        };
      }
    });
    after(async () => {
      if (server) await kill9(server);
      await cleanup();
    });

    it('is all or nothing after each kill, and the database opens and verifies', { timeout: 900_000 }, async () => {
      const { halves, trainingIds } = await prepare(env);
      assert.equal(halves.length, TRAINEES * LINES_EACH);
      const start = async () => startServer({ ...env, PORT: String(await freePort()) });
      server = await start();
      const session = await signInOverHttp(server.port, 'assiduite.demo');

      const began = Date.now();
      const full = await postImport(server.port, session, csv(halves, 'present'));
      const duration = Date.now() - began;
      assert.ok('status' in full && full.status === 200, JSON.stringify(full).slice(0, 500));
      assert.deepEqual(JSON.parse(full.body), { imported: TRAINEES * LINES_EACH });

      let cut = 0;
      for (const [round, fraction] of KILL_AT.entries()) {
        const minutes = 10 + round; // tells this round's rows from the previous rounds'
        const answer = postImport(server.port, session, csv(halves, 'retard', minutes));
        await sleep(Math.round(duration * fraction));
        await kill9(server);
        const outcome = await answer;
        const seen = await inspect(env, trainingIds, minutes);
        const acknowledged = 'status' in outcome && outcome.status === 200;
        assert.equal(seen.total, TRAINEES * LINES_EACH, `round ${round}: every half-day still declared once`);
        assert.ok(seen.thisRound === 0 || seen.thisRound === TRAINEES * LINES_EACH, `round ${round}: ${seen.thisRound} lines of a 10,000-line import`);
        if (acknowledged) assert.equal(seen.thisRound, TRAINEES * LINES_EACH, `round ${round}: an acknowledged import is all there`);
        else cut++;
        assert.equal(seen.audit.ok, true, `round ${round}: audit chain ${JSON.stringify(seen.audit)}`);
        server = await start();
      }
      assert.ok(cut >= 1, 'at least one import was cut short by the kill');
      assert.equal(await stopServer(server), 0, server.stderr());
      server = null;
      const verify = await runCommand(COMMANDS.auditVerify, [], env);
      assert.equal(verify.code, 0, verify.stderr + verify.stdout);
    });
  });
}
