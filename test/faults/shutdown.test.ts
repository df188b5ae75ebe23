// SIGTERM with a real process: requests in flight finish (up to 10 s), the job worker hands the
// job it was running back to the queue, the database closes cleanly; a second SIGTERM, or the
// deadline, ends the process anyway.
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { SMTPServer } from 'smtp-server';
import { loadConfig } from '../../src/config.js';
import { LOCK_FILE } from '../../src/db/data-folder-lock.js';
import { openDatabase } from '../../src/db/database.js';
import { membershipRequest } from '../helpers/onboarding.js';
import { freePort, kill9, sendInFlight, startServer, withTimeout, type Kairos } from '../helpers/processes.js';
import { ENGINES, createPostgresDatabase } from '../helpers/runtime.js';


/** An SMTP peer that takes a message's data and never answers: a mail job stuck mid-send. */
async function stallingSmtp() {
  let dataSeen = false;
  const held: Array<() => void> = [];
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS'],
    logger: false,
    onData(stream, _session, callback) {
      stream.resume();
      stream.on('end', () => {
        dataSeen = true;
        held.push(() => callback());
      });
    },
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  return {
    port: (server.server.address() as AddressInfo).port,
    dataSeen: () => dataSeen,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

function withoutSmtp(env: Record<string, string>): Record<string, string> {
  const { SMTP_URL: _unused, ...rest } = env;
  return rest;
}

async function until(check: () => boolean, ms: number, what: string): Promise<void> {
  const deadline = Date.now() + ms;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`${what}: not after ${ms} ms`);
    await sleep(50);
  }
}

for (const engine of ENGINES) {
  describe(`SIGTERM (${engine})`, () => {
    let env: Record<string, string>;
    let cleanup: () => Promise<void>;
    let smtp: Awaited<ReturnType<typeof stallingSmtp>>;
    let server: Kairos | null = null;
    before(async () => {
      smtp = await stallingSmtp();
      const folder = mkdtempSync(path.join(tmpdir(), 'kairos-term-'));
      const common = { LOG_LEVEL: 'info', SEED_DEMO: 'true', JOB_POLL_MS: '200', SMTP_URL: `smtp://127.0.0.1:${smtp.port}` };
      if (engine === 'pglite') {
        env = { ...common, DATA_DIR: path.join(folder, 'data') };
        cleanup = async () => rmSync(folder, { recursive: true, force: true });
      } else {
        const db = await createPostgresDatabase();
        env = { ...common, DATABASE_URL: db.url, ATTACHMENTS_DIR: folder };
        cleanup = async () => {
          await db.drop();
          rmSync(folder, { recursive: true, force: true });
        };
      }
    });
    after(async () => {
      if (server) await kill9(server);
      await smtp.close();
      await cleanup();
    });

    it('finishes the request in flight, hands the running job back, closes the database, exits 0', { timeout: 300_000 }, async () => {
      server = await startServer({ ...env, PORT: String(await freePort()) });
      // An adhesion request queues an acknowledgment mail; the worker sends it into the stall.
      const submitted = await fetch(`http://127.0.0.1:${server.port}/api/v1/membership-requests`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(membershipRequest()),
      });
      assert.equal(submitted.status, 201, await submitted.text());
      await until(smtp.dataSeen, 30_000, 'the mail job reached the SMTP peer').catch((err: Error) => {
        throw new Error(`${err.message}\n${server!.stdout().slice(-3000)}\n${server!.stderr().slice(-2000)}`);
      });
      const inFlight = await sendInFlight(server);
      const killedAt = Date.now();
      server.child.kill('SIGTERM');
      await sleep(300);
      await assert.rejects(fetch(`http://127.0.0.1:${server.port}/healthz`), 'a stopping server accepts no new connection');
      inFlight.finish();
      const answer = await withTimeout(inFlight.response, 15_000, 'in-flight request');
      assert.equal(answer.status, 401, answer.body);
      assert.equal(await withTimeout(server.exited, 20_000, 'exit after SIGTERM'), 0, server.stderr());
      assert.ok(Date.now() - killedAt < 15_000);
      assert.match(server.stdout(), /"msg":"running jobs handed back to the queue"/);
      server = null;
      if (env.DATA_DIR) assert.equal(existsSync(path.join(env.DATA_DIR, LOCK_FILE)), false, 'the data folder is free');

      const config = loadConfig({ ...env, NODE_ENV: 'test' });
      const handle = await openDatabase({ databaseUrl: config.databaseUrl, dataDir: config.databaseUrl ? null : config.dataDir });
      try {
        const mails = await handle.db.selectFrom('job').selectAll().where('kind', '=', 'mail.send').execute();
        const stuck = mails.filter((j) => (j.payload as { subject?: string }).subject?.includes('demande d’adhésion reçue'));
        assert.equal(stuck.length, 1);
        assert.equal(stuck[0]!.status, 'pending', 'handed back, not left running for five minutes');
        assert.equal(stuck[0]!.locked_by, null);
        assert.equal(stuck[0]!.attempts, 0, 'the interrupted attempt does not count');
      } finally {
        await handle.close();
      }
    });

    if (engine !== 'pglite') return;

    it('exits at once on a second SIGTERM while a request is still in flight', { timeout: 300_000 }, async () => {
      server = await startServer({ ...withoutSmtp(env), PORT: String(await freePort()) });
      const inFlight = await sendInFlight(server);
      inFlight.response.catch(() => {}); // cut when the process exits
      server.child.kill('SIGTERM');
      await sleep(500);
      assert.equal(server.alive(), true, `still waiting for the request in flight\n${server.stdout().slice(-1500)}`);
      const second = Date.now();
      server.child.kill('SIGTERM');
      assert.equal(await withTimeout(server.exited, 5_000, 'exit after the second SIGTERM'), 1);
      assert.ok(Date.now() - second < 3_000);
      server = null;
    });

    it('closes the connections of requests still running after 10 s and exits', { timeout: 300_000 }, async () => {
      server = await startServer({ ...withoutSmtp(env), PORT: String(await freePort()) });
      const inFlight = await sendInFlight(server); // never finished
      const cut = inFlight.response.then(() => 'answered', () => 'cut');
      const term = Date.now();
      server.child.kill('SIGTERM');
      assert.equal(await withTimeout(server.exited, 20_000, 'exit after the grace period'), 0, server.stderr());
      const elapsed = Date.now() - term;
      assert.ok(elapsed >= 9_500 && elapsed < 16_000, `exited after ${elapsed} ms`);
      assert.equal(await cut, 'cut');
      assert.match(server.stdout(), /requests still running after the grace period/);
      server = null;
    });
  });
}
