import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, describe, it } from 'node:test';
import { sql } from 'kysely';
import { openDatabase } from './database.js';

const work = mkdtempSync(path.join(tmpdir(), 'kairos-durable-'));
after(() => rmSync(work, { recursive: true, force: true }));

async function settings(options: { fsync?: boolean }, name: string) {
  const handle = await openDatabase({ dataDir: path.join(work, name), ...options });
  try {
    const show = async (setting: 'fsync' | 'wal_sync_method') => (await sql<Record<string, string>>`${sql.raw(`show ${setting}`)}`.execute(handle.db)).rows[0]![setting];
    return { fsync: await show('fsync'), walSync: await show('wal_sync_method') };
  } finally {
    await handle.close();
  }
}

describe('embedded database durability', () => {
  it('opens a data folder with fsync on, through the fsync that reaches the disk', { timeout: 120_000 }, async () => {
    assert.deepEqual(await settings({}, 'durable'), { fsync: 'on', walSync: 'fsync' });
  });

  it('keeps PGlite’s own settings with PGLITE_FSYNC=false (the kernel’s cache only)', { timeout: 120_000 }, async () => {
    assert.equal((await settings({ fsync: false }, 'cached')).fsync, 'off');
  });
});
