// kill -9 during steady writes, five times: every write acknowledged (201) before the kill is
// there after the restart, on both engines; then the audit chain verifies.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { COMMANDS, freePort, kill9, runCommand, signInOverHttp, startServer, stopServer, type HttpSession, type Kairos } from '../helpers/processes.js';
import { ENGINES, createPostgresDatabase } from '../helpers/runtime.js';

const ROUNDS = 5;
const WRITERS = 4;

interface Target {
  env: Record<string, string>;
  cleanup(): Promise<void>;
}

async function target(engine: string): Promise<Target> {
  const common = { LOG_LEVEL: 'warn', RATE_LIMIT_PER_MINUTE: '100000', SEED_DEMO: 'true' };
  if (engine === 'pglite') {
    const dataDir = mkdtempSync(path.join(tmpdir(), 'kairos-crash-'));
    return { env: { ...common, DATA_DIR: dataDir }, cleanup: async () => rmSync(dataDir, { recursive: true, force: true }) };
  }
  const db = await createPostgresDatabase();
  const attachments = mkdtempSync(path.join(tmpdir(), 'kairos-crash-att-'));
  return {
    env: { ...common, DATABASE_URL: db.url, ATTACHMENTS_DIR: attachments },
    cleanup: async () => {
      await db.drop();
      rmSync(attachments, { recursive: true, force: true });
    },
  };
}

/** Writes support requests until stopped; returns the ids the server acknowledged with 201. */
function steadyWrites(port: number, session: HttpSession, round: number) {
  const acknowledged: string[] = [];
  let stop = false;
  const writer = async (w: number) => {
    for (let i = 0; !stop; i++) {
      try {
        const res = await fetch(`http://127.0.0.1:${port}/api/v1/support-requests`, {
          method: 'POST',
          headers: { ...session.headers, 'content-type': 'application/json' },
          body: JSON.stringify({ category: 'devis', subject: `Essai ${round}-${w}-${i}`, description: 'Écriture continue pendant un arrêt brutal du serveur.' }),
        });
        if (res.status === 201) acknowledged.push(((await res.json()) as { id: string }).id);
        else await res.body?.cancel();
      } catch {
        return; // the server died: this write was never acknowledged
      }
    }
  };
  const done = Promise.all(Array.from({ length: WRITERS }, (_, w) => writer(w)));
  return {
    acknowledged,
    async stop() {
      stop = true;
      await done;
    },
  };
}

/** The acknowledged ids the server does not list among the requester's own requests. */
async function missingOf(port: number, session: HttpSession, ids: string[]): Promise<string[]> {
  const present = new Set<string>();
  for (let page = 1; ; page++) {
    const res = await fetch(`http://127.0.0.1:${port}/api/v1/support-requests?page=${page}`, { headers: session.headers });
    assert.equal(res.status, 200);
    const body = (await res.json()) as { requests: Array<{ id: string }>; hasMore: boolean };
    for (const r of body.requests) present.add(r.id);
    if (!body.hasMore) break;
  }
  return ids.filter((id) => !present.has(id));
}

for (const engine of ENGINES) {
  describe(`kill -9 during steady writes (${engine})`, () => {
    let t: Target;
    let server: Kairos | null = null;
    before(async () => {
      t = await target(engine);
    });
    after(async () => {
      if (server) await kill9(server);
      await t.cleanup();
    });

    it(`keeps every acknowledged write across ${ROUNDS} kills`, { timeout: 600_000 }, async () => {
      const start = async () => startServer({ ...t.env, PORT: String(await freePort()) });
      server = await start();
      const session = await signInOverHttp(server.port, 'devis.demo');
      const acknowledged: string[] = [];
      for (let round = 1; round <= ROUNDS; round++) {
        const writes = steadyWrites(server.port, session, round);
        // A different moment each round: after a few more acknowledged writes, then a little later.
        const deadline = Date.now() + 120_000;
        while (writes.acknowledged.length < 3 * round && Date.now() < deadline) await sleep(20);
        await sleep(97 * round);
        const before = writes.acknowledged.length;
        await kill9(server);
        await writes.stop();
        assert.ok(before >= 3 * round, `round ${round}: ${before} writes acknowledged before the kill`);
        acknowledged.push(...writes.acknowledged);
        server = await start();
        assert.deepEqual(await missingOf(server.port, session, acknowledged), [], `round ${round}: acknowledged writes lost`);
      }
      assert.equal(await stopServer(server), 0, server.stderr());
      server = null;
      const verify = await runCommand(COMMANDS.auditVerify, [], t.env);
      assert.equal(verify.code, 0, verify.stderr + verify.stdout);
      assert.match(verify.stdout, /Journal d'audit intègre/);
    });
  });
}
