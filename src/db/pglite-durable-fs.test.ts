import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, describe, it } from 'node:test';
import { sql } from 'kysely';
import { openDatabase } from './database.js';

const work = mkdtempSync(path.join(tmpdir(), 'kairos-durable-'));
after(() => rmSync(work, { recursive: true, force: true }));

async function settings(options: { fsync?: boolean; sharedBuffersMb?: number }, name: string) {
  const handle = await openDatabase({ dataDir: path.join(work, name), ...options });
  try {
    const show = async (setting: 'fsync' | 'wal_sync_method' | 'shared_buffers' | 'temp_buffers') =>
      (await sql<Record<string, string>>`${sql.raw(`show ${setting}`)}`.execute(handle.db)).rows[0]![setting];
    return { fsync: await show('fsync'), walSync: await show('wal_sync_method'), sharedBuffers: await show('shared_buffers'), tempBuffers: await show('temp_buffers') };
  } finally {
    await handle.close();
  }
}

describe('embedded database durability', () => {
  it('opens a data folder with fsync on, through the fsync that reaches the disk', { timeout: 120_000 }, async () => {
    assert.deepEqual(await settings({}, 'durable'), { fsync: 'on', walSync: 'fsync', sharedBuffers: '16MB', tempBuffers: '2MB' });
  });

  it('keeps PGlite’s own settings with PGLITE_FSYNC=false (the kernel’s cache only)', { timeout: 120_000 }, async () => {
    assert.equal((await settings({ fsync: false }, 'cached')).fsync, 'off');
  });

  it('keeps its buffers small in both modes, shared_buffers as configured (decision 0040)', { timeout: 120_000 }, async () => {
    const cached = await settings({ fsync: false, sharedBuffersMb: 32 }, 'small-buffers');
    assert.deepEqual([cached.sharedBuffers, cached.tempBuffers], ['32MB', '2MB']);
  });
});
