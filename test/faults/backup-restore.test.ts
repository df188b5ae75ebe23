// Backup → restore round trip on both engines: `npm run backup` while the server runs (embedded:
// through the running process; PostgreSQL: pg_dump), `npm run restore` into an empty DATA_DIR
// (or empty database), and the restored server shows the same data, attachments included,
// with an audit chain that verifies. Refusals: a non-empty target, an archive of the other engine.
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { tinyPng } from '../../src/modules/support/requests/test-images.js';
import { COMMANDS, freePort, kill9, runCommand, signInOverHttp, startServer, stopServer, type HttpSession, type Kairos } from '../helpers/processes.js';
import { ENGINES, createPostgresDatabase } from '../helpers/runtime.js';

/** A support request with a screenshot, created over HTTP: rows and a file to save. */
async function supportRequestWithScreenshot(port: number, session: HttpSession): Promise<{ id: string; attachmentUrl: string }> {
  const form = new FormData();
  form.append('category', 'devis');
  form.append('subject', 'Sauvegarde et restauration');
  form.append('description', 'Cette demande doit survivre à la restauration, capture comprise.');
  form.append('screenshots', new Blob([new Uint8Array(tinyPng())], { type: 'image/png' }), 'capture.png');
  const res = await fetch(`http://127.0.0.1:${port}/api/v1/support-requests`, { method: 'POST', headers: session.headers, body: form });
  assert.equal(res.status, 201, await res.clone().text());
  const { id } = (await res.json()) as { id: string };
  const detail = (await (await fetch(`http://127.0.0.1:${port}/api/v1/support-requests/${id}`, { headers: session.headers })).json()) as { attachments: Array<{ url: string }> };
  return { id, attachmentUrl: detail.attachments[0]!.url };
}

async function sameData(port: number, session: HttpSession, created: { id: string; attachmentUrl: string }): Promise<void> {
  const detail = await fetch(`http://127.0.0.1:${port}/api/v1/support-requests/${created.id}`, { headers: session.headers });
  assert.equal(detail.status, 200);
  assert.equal(((await detail.json()) as { subject: string }).subject, 'Sauvegarde et restauration');
  const file = await fetch(`http://127.0.0.1:${port}${created.attachmentUrl}`, { headers: session.headers });
  assert.equal(file.status, 200);
  assert.deepEqual(Buffer.from(await file.arrayBuffer()), tinyPng(), 'the screenshot came back byte for byte');
}

for (const engine of ENGINES) {
  describe(`backup and restore (${engine})`, () => {
    let work = '';
    let server: Kairos | null = null;
    const drops: Array<() => Promise<void>> = [];
    before(() => {
      work = mkdtempSync(path.join(tmpdir(), 'kairos-backup-'));
    });
    after(async () => {
      if (server) await kill9(server);
      for (const drop of drops) await drop();
      rmSync(work, { recursive: true, force: true });
    });

    async function place(name: string): Promise<Record<string, string>> {
      const common = { LOG_LEVEL: 'warn', SEED_DEMO: 'true' };
      if (engine === 'pglite') return { ...common, DATA_DIR: path.join(work, name) };
      const db = await createPostgresDatabase();
      drops.push(() => db.drop());
      return { ...common, DATABASE_URL: db.url, ATTACHMENTS_DIR: path.join(work, `${name}-attachments`) };
    }

    it('saves while the server runs and restores into an empty place, where the same data is served', { timeout: 600_000 }, async () => {
      const source = await place('source');
      server = await startServer({ ...source, PORT: String(await freePort()) });
      const session = await signInOverHttp(server.port, 'devis.demo');
      const created = await supportRequestWithScreenshot(server.port, session);

      const archive = path.join(work, 'kairos.tar.gz');
      const backup = await runCommand(COMMANDS.backup, [archive], source);
      assert.equal(backup.code, 0, backup.stderr);
      assert.match(backup.stdout, /Sauvegarde écrite/);
      if (engine === 'pglite') assert.match(backup.stdout, new RegExp(`par le serveur en cours, processus ${server.child.pid}`));
      assert.equal((await fetch(`http://127.0.0.1:${server.port}/readyz`)).status, 200, 'the server kept serving');
      assert.equal(await stopServer(server), 0, server.stderr());
      server = null;

      const target = await place('restored');
      const restore = await runCommand(COMMANDS.restore, [archive], target);
      assert.equal(restore.code, 0, restore.stderr);
      assert.match(restore.stdout, /restaurée .* journal d’audit intègre \(\d+ ligne\(s\)\)/);
      const again = await runCommand(COMMANDS.restore, [archive], target);
      assert.equal(again.code, 1);
      assert.match(again.stderr, /Restauration impossible : .*(n’est pas vide)/);

      server = await startServer({ ...target, PORT: String(await freePort()) });
      assert.match(server.stdout(), /Données de démonstration déjà présentes/);
      await sameData(server.port, session, created); // the session itself was restored with the rest
      assert.equal(await stopServer(server), 0, server.stderr());
      server = null;
      const verify = await runCommand(COMMANDS.auditVerify, [], target);
      assert.equal(verify.code, 0, verify.stderr);

      if (engine === 'pglite') {
        // No server running: the command takes the folder itself.
        const offline = await runCommand(COMMANDS.backup, [path.join(work, 'offline.tar.gz')], target);
        assert.equal(offline.code, 0, offline.stderr);
        assert.doesNotMatch(offline.stdout, /serveur en cours/);
        assert.equal(existsSync(path.join(target.DATA_DIR!, 'kairos.lock')), false, 'the folder is free again');
      } else {
        const embedded = await runCommand(COMMANDS.restore, [archive], { DATA_DIR: path.join(work, 'embedded') });
        assert.equal(embedded.code, 1);
        assert.match(embedded.stderr, /vient d’une base PostgreSQL/);
      }
    });

    it('refuses a file that is not a Kairos backup, leaving the target empty', { timeout: 120_000 }, async () => {
      const junk = path.join(work, 'junk.tar.gz');
      writeFileSync(junk, 'pas une sauvegarde');
      const target = await place('junk-target');
      const result = await runCommand(COMMANDS.restore, [junk], target);
      assert.equal(result.code, 1);
      assert.match(result.stderr, /^Restauration impossible : /);
      if (target.DATA_DIR && existsSync(target.DATA_DIR)) assert.deepEqual(readdirSync(target.DATA_DIR), [], 'nothing left behind');
    });
  });
}
