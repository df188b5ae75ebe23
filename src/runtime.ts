import type { DestinationStream } from 'pino';
import type { FastifyInstance } from 'fastify';
import { systemClock, type Clock } from './clock.js';
import type { Config } from './config.js';
import type { AppContext } from './context.js';
import { startControlServer, type ControlServer } from './backup/control.js';
import { writeBackup } from './backup/backup.js';
import type { DataFolderLock } from './db/data-folder-lock.js';
import { openConfiguredDatabase, type DatabaseHandle } from './db/database.js';
import { createMetrics, type Metrics } from './metrics.js';
import { instanceSecret } from './db/instance-settings.js';
import { migrateToLatest, serialisedStartup } from './db/migrate.js';
import { seedDemoData } from './demo/seed.js';
import { seedDemoWorld } from './demo/world/index.js';
import { registerQuoteExpiry } from './modules/quotes/index.js';
import { registerSecurityJobs } from './modules/security/jobs.js';
import { DELIVER_JOB, deliveryJobHandler } from './modules/webhooks/index.js';
import { registerApiTokenJobs } from './modules/api-tokens/index.js';
import { registerIdempotencyJobs } from './modules/idempotency/index.js';
import { refreshDashboardFigures, registerDashboardJobs } from './modules/dashboard/index.js';
import { registerAuditRetention } from './modules/audit/retention.js';
import { registerAuditCheckpoint } from './modules/audit/checkpoint.js';
import { registerDossierAnonymisation } from './modules/candidates/anonymisation.js';
import { buildApp } from './http/app.js';
import { SchedulingWorker } from './jobs/recurring.js';
import type { JobWorker } from './jobs/worker.js';
import { MAIL_JOB, createMailer, mailJobHandler, type Mailer } from './mail/mailer.js';
import { registerAccessReviewJobs } from './modules/habilitations/index.js';
import { registerErrorPurge } from './modules/support/index.js';
import { registerTrainingJobs } from './modules/training/index.js';
import { createSecretBox } from './modules/identity/index.js';
import { LETTER_JOB, letterJobHandler } from './modules/onboarding/letters-service.js';
import { startMark } from './start-trace.js';

export interface Runtime {
  ctx: AppContext;
  database: DatabaseHandle;
  app: FastifyInstance;
  worker: JobWorker;
  mailer: Mailer;
  seeded: boolean;
  /** The demo world was seeded by this start (src/demo/world/). */
  worldSeeded: boolean;
  metrics: Metrics;
  /** Embedded on disk: opens the owner's control channel (backups while running); main.ts only. */
  startControl(): Promise<void>;
  /**
   * Stops in order: no new connection, in-flight requests finish (up to `requestGraceMs`, then
   * their connections are cut), the job worker hands back what it holds, the database closes.
   */
  close(options?: { requestGraceMs?: number }): Promise<void>;
}

/** How long in-flight requests may take to finish when the process is asked to stop. */
export const REQUEST_GRACE_MS = 10_000;

export interface RuntimeOptions {
  clock?: Clock;
  logStream?: DestinationStream;
  /** PGlite data folder dump to start from instead of an empty database (tests). */
  loadDataDir?: Blob;
  /** Keep PGlite in memory instead of DATA_DIR (tests). */
  inMemory?: boolean;
  /** The data folder's lock, when the caller took it already (main.ts, to refuse fast). */
  dataFolderLock?: DataFolderLock;
  /**
   * The database the caller started opening with openConfiguredDatabase (main.ts, so that PGlite
   * starts while the application loads); closed here if the runtime cannot be built.
   */
  database?: Promise<DatabaseHandle>;
}

/** config → database → migrations → demo data → HTTP app and job worker (not yet listening). */
export async function createRuntime(config: Config, options: RuntimeOptions = {}): Promise<Runtime> {
  const clock = options.clock ?? systemClock;
  const handle = await (options.database ??
    openConfiguredDatabase(config, { inMemory: options.inMemory, loadDataDir: options.loadDataDir, lock: options.dataFolderLock }));
  startMark('runtime: database open');
  try {
    const metrics = createMetrics();
    const { ctx, seeded, worldSeeded } = await serialisedStartup(handle.db, handle.engine, async () => {
      await migrateToLatest(handle.db);
      startMark('runtime: migrations checked');
      const secretBox = createSecretBox(await instanceSecret(handle.db, config.appSecret));
      const ctx: AppContext = { db: handle.db, engine: handle.engine, config, clock, secretBox, metrics };
      const seeded = config.demoMode ? await seedDemoData(ctx) : false;
      // After the accounts, once; the world plays on a clock of its own, ctx.clock stays real.
      const worldSeeded = config.demoWorld ? await seedDemoWorld(ctx) : false;
      // The dashboards' attendance summaries would show the new world only after their first job run.
      if (worldSeeded) await refreshDashboardFigures(handle.db);
      return { ctx, seeded, worldSeeded };
    });
    startMark('runtime: demo data checked');
    const app = await buildApp(ctx, { logStream: options.logStream });
    startMark('runtime: app built');
    const mailer = createMailer({ smtpUrl: config.smtpUrl, from: config.mailFrom, db: handle.db, clock });
    // Schedules its recurring jobs (access review sweep) when it starts polling, not before.
    handle.onIdleError?.((err) => {
      metrics.databaseUnavailable.inc({ source: 'idle_connection' });
      app.log.warn({ err }, 'idle database connection lost');
    });
    metrics.setCollectors({ jobQueue: () => jobQueueDepth(handle), pool: () => handle.poolStats() });
    const worker = new SchedulingWorker(handle.db, clock, app.log, config.jobPollMs, metrics);
    worker.register(MAIL_JOB, mailJobHandler(mailer));
    worker.register(LETTER_JOB, letterJobHandler(ctx));
    registerAccessReviewJobs(worker, ctx);
    registerErrorPurge(worker, ctx);
    registerTrainingJobs(worker, ctx); // overdue training reports: daily reminders
    registerQuoteExpiry(worker, ctx);
    registerSecurityJobs(worker, ctx);
    worker.register(DELIVER_JOB, deliveryJobHandler(ctx)); // signed webhooks, retried on their own schedule
    registerApiTokenJobs(worker, ctx); // expiry reminders, 14 days ahead
    registerIdempotencyJobs(worker, ctx); // stored answers older than 24 h
    registerDashboardJobs(worker, ctx); // the monthly attendance summary, every 10 minutes
    registerAuditRetention(worker, ctx);
    registerAuditCheckpoint(worker, ctx); // daily signed head of the chain, mailed to the agency administrators
    registerDossierAnonymisation(worker, ctx);
    let closing: Promise<void> | null = null;
    let control: ControlServer | null = null;
    return {
      ctx,
      database: handle,
      app,
      worker,
      mailer,
      seeded,
      worldSeeded,
      metrics,
      async startControl() {
        if (!handle.dataDir || control) return;
        control = await startControlServer(handle.dataDir, (out) => writeBackup(handle, config, out).then(() => {}), app.log);
      },
      close(closeOptions = {}) {
        closing ??= closeInOrder(app, worker, handle, () => control?.close(), closeOptions.requestGraceMs ?? REQUEST_GRACE_MS);
        return closing;
      },
    };
  } catch (err) {
    await handle.close().catch(() => {});
    throw err;
  }
}


async function jobQueueDepth(handle: DatabaseHandle): Promise<Array<{ status: string; count: number }>> {
  const rows = await handle.db
    .selectFrom('job')
    .select(['status', (eb) => eb.fn.countAll<number>().as('count')])
    .where('status', 'in', ['pending', 'running', 'failed'])
    .groupBy('status')
    .execute();
  return ['pending', 'running', 'failed'].map((status) => ({ status, count: Number(rows.find((r) => r.status === status)?.count ?? 0) }));
}

async function closeInOrder(app: FastifyInstance, worker: JobWorker, handle: DatabaseHandle, closeControl: () => Promise<void> | undefined, graceMs: number) {
  // Stops accepting at once; keep-alive connections with no request in flight are closed.
  const appClosed = app.close();
  const workerStopped = worker.stop();
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<'late'>((resolve) => (timer = setTimeout(() => resolve('late'), graceMs)));
  if ((await Promise.race([appClosed.then(() => 'done' as const), late])) === 'late') {
    app.log.warn({ graceMs }, 'requests still running after the grace period: their connections are closed');
    app.server.closeAllConnections();
  }
  clearTimeout(timer);
  await appClosed;
  await workerStopped;
  await closeControl();
  await handle.close();
}
