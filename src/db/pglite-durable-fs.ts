import { fsyncSync } from 'node:fs';
import type { PGlite } from '@electric-sql/pglite';
import type { NodeFS } from '@electric-sql/pglite/nodefs';

/**
 * PGlite's Node filesystem writes every page and WAL record straight to the folder with
 * `writeSync`, so what a commit acknowledged survives `kill -9` (it is in the kernel's cache).
 * But PGlite starts PostgreSQL with `-F` (fsync off) and Emscripten's NODEFS has no fsync:
 * a power cut or kernel crash could lose acknowledged commits and tear pages. This filesystem
 * gives NODEFS a real fsync and starts PostgreSQL with fsync on, so a commit returns only once
 * its WAL is on disk, as a server PostgreSQL does (docs/decisions/0016-pglite-durability.md).
 */
export async function durableNodeFS(dataDir: string): Promise<NodeFS> {
  // Imported here, with PGlite, so that a start on PostgreSQL never loads it (database.ts).
  const nodefs = await import('@electric-sql/pglite/nodefs');
  class DurableNodeFS extends nodefs.NodeFS {
    override async init(pg: PGlite, options: Parameters<NodeFS['init']>[1]) {
      const result = await super.init(pg, options);
      const preRun = result.emscriptenOpts.preRun ?? [];
      result.emscriptenOpts.preRun = [
        ...preRun,
        (module: { NODEFS: { stream_ops: Record<string, unknown> } }) => {
          module.NODEFS.stream_ops.fsync = (stream: { nfd?: number }) => {
            if (stream.nfd !== undefined) fsyncSync(stream.nfd);
            return 0;
          };
        },
      ];
      return result;
    }
  }
  return new DurableNodeFS(dataDir);
}

/**
 * PGlite's own start parameters (0.5.16) without `-F`, and with `wal_sync_method=fsync`: its
 * `fdatasync` is a stub that returns at once, `fsync` reaches the NODEFS operation above.
 */
export const DURABLE_START_PARAMS = [
  '--single',
  '-O',
  '-j',
  ...['-c', 'search_path=public', '-c', 'exit_on_error=false', '-c', 'log_checkpoints=false'],
  ...['-c', 'max_worker_processes=0', '-c', 'max_parallel_workers=0', '-c', 'max_parallel_workers_per_gather=0'],
  ...['-c', 'io_method=sync', '-c', 'max_parallel_maintenance_workers=0'],
  ...['-c', 'wal_sync_method=fsync'],
];
