// Spawning servers for the process benchmarks, and reading the resident memory of a process tree.
import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

export interface Started {
  child: ChildProcess;
  /** What the process printed on stdout up to the moment it was ready. */
  output: string;
  stop(): Promise<void>;
}

/**
 * Starts `node [nodeFlags] --import tsx script` (plain `node [nodeFlags] script` for a JavaScript
 * file such as scripts/start.mjs, what `npm start` runs) and resolves when its stdout matches `ready`.
 */
export async function startProcess(script: string, env: Record<string, string>, ready: RegExp, nodeFlags: string[] = []): Promise<Started> {
  const loader = /\.tsx?$/.test(script) ? ['--import', 'tsx'] : [];
  const child = spawn(process.execPath, [...nodeFlags, ...loader, script], {
    cwd: root,
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? tmpdir(), SEED_DEMO_WORLD: 'false', LOG_LEVEL: 'warn', RATE_LIMIT_PER_MINUTE: '10000000', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  let err = '';
  child.stderr!.setEncoding('utf8').on('data', (c: string) => (err += c));
  await new Promise<void>((resolve, reject) => {
    child.stdout!.setEncoding('utf8').on('data', (c: string) => {
      out += c;
      if (ready.test(out)) resolve();
    });
    child.once('exit', (code) => reject(new Error(`${script} exited (${code}) before ready:\n${out}\n${err}`)));
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  return {
    child,
    output: out,
    async stop() {
      child.kill('SIGTERM');
      await exited;
    },
  };
}

/** Resident set of a process and all its descendants, in MB (Linux /proc). */
export function treeRssMb(pid: number): number {
  const children = new Map<number, number[]>();
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const ppid = Number(/^PPid:\s+(\d+)/m.exec(readFileSync(`/proc/${entry}/status`, 'utf8'))?.[1]);
      children.set(ppid, [...(children.get(ppid) ?? []), Number(entry)]);
    } catch {
      // the process ended meanwhile
    }
  }
  let kb = 0;
  const walk = (p: number) => {
    try {
      kb += Number(/^VmRSS:\s+(\d+)/m.exec(readFileSync(`/proc/${p}/status`, 'utf8'))?.[1] ?? 0);
    } catch {
      return;
    }
    for (const c of children.get(p) ?? []) walk(c);
  };
  walk(pid);
  return kb / 1024;
}
