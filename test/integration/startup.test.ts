import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { DEMO_ACCOUNTS, DEMO_PASSWORD, DEMO_TOTP_SECRET } from '../../src/demo/accounts.js';
import { BANNER, freePort, sendInFlight, startKairos, waitForBanner, withTimeout, type Kairos } from '../helpers/processes.js';

describe('startup and shutdown of the real process (PGlite)', () => {
  let dataDir = '';
  const started: Kairos[] = [];

  before(() => {
    dataDir = mkdtempSync(path.join(tmpdir(), 'kairos-start-'));
  });
  after(async () => {
    for (const k of started) {
      if (k.child.exitCode === null && k.child.signalCode === null && k.child.pid) {
        process.kill(k.child.pid, 'SIGKILL');
        await k.exited;
      }
    }
    if (dataDir) rmSync(dataDir, { recursive: true, force: true });
  });

  it('starts, prints the demo banner, serves /healthz, and stops cleanly on SIGTERM with a request in flight', { timeout: 400_000 }, async () => {
    const port = await freePort();
    const k = startKairos({ PORT: String(port), DATA_DIR: dataDir });
    started.push(k);
    const out = await waitForBanner(k);

    assert.equal(BANNER.exec(out)?.[1], `http://localhost:${port}`);
    assert.ok(out.includes(`Base de données : PGlite embarqué (${dataDir})`), out);
    assert.ok(out.includes('Données de démonstration créées.'), out);
    const logins = [
      'admin.agence',
      'conseiller.demo',
      'support.demo',
      'rgc.demo',
      'devis.demo',
      'assiduite.demo',
      'formateur.demo',
      'rgc.demo2',
      'devis.demo2',
      'candidat.demo',
      'candidat.demo2',
    ];
    assert.deepEqual(
      DEMO_ACCOUNTS.map((a) => a.login).sort(),
      [...logins].sort(),
    );
    for (const account of DEMO_ACCOUNTS) {
      assert.ok(out.includes(`  ${account.login.padEnd(16)} ${account.description}\n`), `${account.login} missing from the banner`);
    }
    assert.ok(out.includes(`Mot de passe (tous les comptes) : ${DEMO_PASSWORD}`), out);
    assert.ok(out.includes(`Secret TOTP (tous les comptes)  : ${DEMO_TOTP_SECRET}`), out);
    assert.ok(out.includes(`Connexion : http://localhost:${port}/connexion`), out);

    const health = await fetch(`http://127.0.0.1:${port}/healthz`);
    assert.equal(health.status, 200);
    assert.deepEqual(await health.json(), { status: 'ok', database: 'pglite' });
    assert.match(health.headers.get('x-request-id') ?? '', /^[0-9a-f-]{36}$/);
    const ready = await fetch(`http://127.0.0.1:${port}/readyz`);
    assert.equal(ready.status, 200);

    // A sign-in attempt whose body is still arriving when SIGTERM comes.
    const inFlight = await sendInFlight(k);
    const killedAt = Date.now();
    k.child.kill('SIGTERM');
    await sleep(300);
    await assert.rejects(fetch(`http://127.0.0.1:${port}/healthz`), 'a stopping server accepts no new connection');
    inFlight.finish();
    const answer = await withTimeout(inFlight.response, 15_000, 'in-flight request');
    assert.equal(answer.status, 401, answer.body);
    assert.equal(JSON.parse(answer.body).detail, 'Identifiant, mot de passe ou code de vérification incorrect.');

    const code = await withTimeout(k.exited, 15_000, 'exit after SIGTERM');
    assert.equal(code, 0, k.stderr());
    assert.ok(Date.now() - killedAt < 15_000);
    assert.ok(k.stdout().includes('"msg":"shutting down"'), 'the shutdown is logged');
    assert.equal(k.stderr(), '');
  });

  it('keeps its data across a restart on the same DATA_DIR', { timeout: 400_000 }, async () => {
    const port = await freePort();
    const k = startKairos({ PORT: String(port), DATA_DIR: dataDir });
    started.push(k);
    const out = await waitForBanner(k);
    assert.equal(BANNER.exec(out)?.[1], `http://localhost:${port}`);
    assert.ok(out.includes('Données de démonstration déjà présentes (conservées).'), out);
    assert.ok(!out.includes('Données de démonstration créées.'), out);
    const health = await fetch(`http://127.0.0.1:${port}/healthz`);
    assert.equal(health.status, 200);
    k.child.kill('SIGTERM');
    assert.equal(await withTimeout(k.exited, 15_000, 'exit after SIGTERM'), 0, k.stderr());
  });

  it('refuses to start with an invalid DATABASE_URL, naming the variable', { timeout: 180_000 }, async () => {
    const k = startKairos({ PORT: String(await freePort()), DATA_DIR: dataDir, DATABASE_URL: 'not-a-url' });
    started.push(k);
    const code = await withTimeout(k.exited, 30_000, 'exit on bad configuration');
    assert.notEqual(code, 0);
    assert.equal(code, 1);
    assert.match(k.stderr(), /DATABASE_URL/);
    assert.ok(!BANNER.test(k.stdout()), k.stdout());
  });
});
