/**
 * `npm run demo:reset`: empties an embedded demo data folder with `--yes`; refuses (exit 1, French
 * message, nothing deleted) with DATABASE_URL, outside demo mode, without a terminal to confirm,
 * on a folder that is not a data folder, on a bad argument, and while another process holds it.
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { acquireDataFolderLock } from '../../src/db/data-folder-lock.js';
import { COMMANDS, root, runCommand, withTimeout } from '../helpers/processes.js';

/** util-linux `script` gives the command a terminal, where it asks for confirmation. */
const SCRIPT = ['/usr/bin/script', '/bin/script'].find((p) => existsSync(p));

/** Runs demo:reset on a pseudo-terminal, typing `answer` at its question. */
async function resetOnTerminal(dataDir: string, answer: string): Promise<{ code: number | null; output: string }> {
  const command = `${process.execPath} --import tsx ${COMMANDS.demoReset}`;
  const child = spawn(SCRIPT!, ['-qec', command, '/dev/null'], { cwd: root, env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? tmpdir(), DATA_DIR: dataDir }, stdio: ['pipe', 'pipe', 'pipe'] });
  let output = '';
  child.stdout.setEncoding('utf8').on('data', (c: string) => (output += c));
  child.stderr.setEncoding('utf8').on('data', (c: string) => (output += c));
  child.stdin.end(`${answer}\n`);
  const code = await withTimeout(new Promise<number | null>((resolve) => child.once('exit', (c) => resolve(c))), 60_000, 'demo:reset on a terminal');
  return { code, output };
}

describe('demo:reset', () => {
  let parent = '';
  let dataDir = '';
  let contents: string[] = [];

  before(() => {
    parent = mkdtempSync(path.join(tmpdir(), 'kairos-reset-'));
    dataDir = path.join(parent, 'data');
    // The layout of a PGlite data folder as `npm start` leaves it (creating a real one costs
    // seconds of initdb; the command only reads PG_VERSION and deletes what is there).
    for (const [file, text] of [['PG_VERSION', '17\n'], ['postgresql.conf', ''], ['base/1/1259', 'page'], ['global/pg_control', 'control'], ['attachments/capture.png', 'image']]) {
      mkdirSync(path.dirname(path.join(dataDir, file!)), { recursive: true });
      writeFileSync(path.join(dataDir, file!), text!);
    }
    contents = readdirSync(dataDir).sort();
  });
  after(() => rmSync(parent, { recursive: true, force: true }));

  const untouched = () => assert.deepEqual(readdirSync(dataDir).sort(), contents);

  it('refuses with DATABASE_URL, outside demo mode, without a terminal, and on an unknown argument', { timeout: 120_000 }, async () => {
    const cases: Array<[string[], Record<string, string>, RegExp]> = [
      [['--yes'], { DATA_DIR: dataDir, DATABASE_URL: 'postgres://kairos@127.0.0.1:1/kairos' }, /qu’à la base embarquée \(DATA_DIR\).*DATABASE_URL/],
      [['--yes'], { DATA_DIR: dataDir, NODE_ENV: 'production', APP_SECRET: 'x'.repeat(40), AUDIT_SIGNING_KEY: 'a'.repeat(43) + '=' }, /qu’en mode démonstration/],
      [[], { DATA_DIR: dataDir }, /Aucun terminal pour confirmer la suppression : relancez avec --yes/],
      [['--force'], { DATA_DIR: dataDir }, /Argument inconnu : --force/],
    ];
    await Promise.all(
      cases.map(async ([args, env, message]) => {
        const result = await runCommand(COMMANDS.demoReset, args, env);
        assert.equal(result.code, 1, result.stderr);
        assert.match(result.stderr, message);
        assert.match(result.stderr, /Rien n’a été supprimé\./);
      }),
    );
    untouched();
  });

  it('refuses a folder that is not a PGlite data folder', { timeout: 60_000 }, async () => {
    const other = path.join(parent, 'documents');
    mkdirSync(other);
    writeFileSync(path.join(other, 'notes.txt'), 'à garder');
    const result = await runCommand(COMMANDS.demoReset, ['--yes'], { DATA_DIR: other });
    assert.equal(result.code, 1, result.stderr);
    assert.match(result.stderr, /n’est pas un dossier de données Kairos/);
    assert.deepEqual(readdirSync(other), ['notes.txt']);
  });

  it('refuses while another process holds the folder, naming it', { timeout: 60_000 }, async () => {
    const lock = acquireDataFolderLock(dataDir);
    try {
      const result = await runCommand(COMMANDS.demoReset, ['--yes'], { DATA_DIR: dataDir });
      assert.equal(result.code, 1, result.stderr);
      assert.match(result.stderr, new RegExp(`déjà utilisé par le processus ${process.pid}`));
    } finally {
      lock.release();
    }
    untouched();
  });

  it('on a terminal, asks in French and deletes only after « oui »', { timeout: 120_000, skip: SCRIPT ? false : 'util-linux script not installed' }, async () => {
    const refused = await resetOnTerminal(dataDir, 'non');
    assert.equal(refused.code, 1, refused.output);
    assert.match(refused.output, /Tapez « oui » pour confirmer/);
    assert.match(refused.output, /Suppression annulée\. Rien n’a été supprimé\./);
    untouched();

    const other = path.join(parent, 'autre-demo');
    mkdirSync(other);
    writeFileSync(path.join(other, 'PG_VERSION'), '17\n');
    const accepted = await resetOnTerminal(other, 'oui');
    assert.equal(accepted.code, 0, accepted.output);
    assert.match(accepted.output, /Données de démonstration supprimées/);
    assert.deepEqual(readdirSync(other), []);
  });

  it('with --yes, empties the folder (the next start seeds afresh)', { timeout: 60_000 }, async () => {
    const result = await runCommand(COMMANDS.demoReset, ['--yes'], { DATA_DIR: dataDir });
    assert.equal(result.code, 0, result.stderr);
    assert.match(result.stdout, /Données de démonstration supprimées/);
    assert.deepEqual(readdirSync(dataDir), []);
    const again = await runCommand(COMMANDS.demoReset, ['--yes'], { DATA_DIR: dataDir });
    assert.equal(again.code, 0, again.stderr);
    assert.match(again.stdout, /déjà vide/);
  });
});
