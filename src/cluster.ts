import cluster, { type Worker } from 'node:cluster';

/**
 * WORKERS=N on PostgreSQL: this primary process holds no application, it forks N server
 * processes that share the listening port (node:cluster hands connections round-robin) and the
 * database; the job queue (SKIP LOCKED) and recurring jobs (advisory lock) already keep work
 * exactly-once between processes, as between separate instances. docs/decisions/0033-memory-and-workers.md
 */

/** What a server process tells the primary once it listens; the primary prints one banner. */
export interface ListeningMessage {
  type: 'kairos:listening';
  url: string;
  seeded: boolean;
  worldSeeded: boolean;
}

/** The primary asks a server process to stop as on SIGTERM (a message, not a signal: Ctrl-C already signals the whole group). */
export const STOP_MESSAGE = 'kairos:stop';

export function isListeningMessage(message: unknown): message is ListeningMessage {
  return typeof message === 'object' && message !== null && (message as { type?: unknown }).type === 'kairos:listening';
}

export interface PrimaryOptions {
  workers: number;
  /** Longest wait, after the stop signal, for the workers to finish before they are killed. */
  shutdownDeadlineMs: number;
  /** Once every worker listens: what their messages say, to print one banner. */
  onReady(first: ListeningMessage, seeded: boolean, worldSeeded: boolean): void;
  log(line: string): void;
}

/** Runs in the primary until every worker has stopped; the process then exits with the returned code. */
export function runPrimary(options: PrimaryOptions): Promise<number> {
  const ready = new Map<number, ListeningMessage>();
  let allReady = false;
  let stopping = false;
  let exitCode = 0;
  let finish: (code: number) => void = () => {};
  const finished = new Promise<number>((resolve) => (finish = resolve));

  const stopAll = (code: number) => {
    if (stopping) return;
    stopping = true;
    exitCode = code;
    for (const w of Object.values(cluster.workers ?? {})) if (w?.isConnected()) w.send(STOP_MESSAGE);
    const force = setTimeout(() => {
      options.log(`Arrêt : des processus serveur tournent encore après ${options.shutdownDeadlineMs / 1000} s, ils sont arrêtés de force.`);
      for (const w of Object.values(cluster.workers ?? {})) w?.process.kill('SIGKILL');
    }, options.shutdownDeadlineMs + 2_000);
    force.unref();
  };

  const fork = (): Worker => {
    const worker = cluster.fork();
    worker.on('message', (message: unknown) => {
      if (!isListeningMessage(message) || allReady) return;
      ready.set(worker.id, message);
      if (ready.size < options.workers) return;
      allReady = true;
      const all = [...ready.values()];
      options.onReady(all[0]!, all.some((m) => m.seeded), all.some((m) => m.worldSeeded));
    });
    return worker;
  };

  cluster.on('exit', (worker, code, signal) => {
    ready.delete(worker.id);
    if (stopping) {
      if (code !== 0) exitCode = 1;
      if (Object.keys(cluster.workers ?? {}).length === 0) finish(exitCode);
      return;
    }
    if (!allReady) {
      // A worker that cannot start (database away, bad setting): the others would fail alike.
      options.log(`Un processus serveur s’est arrêté au démarrage (${signal ?? `code ${code}`}) : Kairos s’arrête.`);
      stopAll(1);
      if (Object.keys(cluster.workers ?? {}).length === 0) finish(1);
      return;
    }
    // A crash after start: a replacement keeps the N processes the operator asked for.
    options.log(`Un processus serveur s’est arrêté (${signal ?? `code ${code}`}) : un autre le remplace.`);
    fork();
  });

  for (let i = 0; i < options.workers; i++) fork();
  process.on('SIGTERM', () => stopAll(0));
  process.on('SIGINT', () => stopAll(0));
  return finished;
}
