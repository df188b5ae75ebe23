import type { DestinationStream } from 'pino';
import type { FastifyInstance } from 'fastify';
import { systemClock, type Clock } from './clock.js';
import type { Config } from './config.js';
import type { AppContext } from './context.js';
import { openDatabase, type DatabaseHandle } from './db/database.js';
import { instanceSecret } from './db/instance-settings.js';
import { migrateToLatest } from './db/migrate.js';
import { seedDemoData } from './demo/seed.js';
import { registerQuoteExpiry } from './modules/quotes/index.js';
import { registerSecurityJobs } from './modules/security/jobs.js';
import { registerAuditRetention } from './modules/audit/retention.js';
import { registerDossierAnonymisation } from './modules/candidates/anonymisation.js';
import { buildApp } from './http/app.js';
import { SchedulingWorker } from './jobs/recurring.js';
import type { JobWorker } from './jobs/worker.js';
import { MAIL_JOB, createMailer, mailJobHandler, type Mailer } from './mail/mailer.js';
import { registerAccessReviewJobs } from './modules/habilitations/review-jobs.js';
import { registerErrorPurge } from './modules/support/error-purge.js';
import { registerTrainingJobs } from './modules/training/jobs.js';
import { createSecretBox } from './modules/identity/secret-box.js';
import { LETTER_JOB, letterJobHandler } from './modules/onboarding/letters-service.js';

export interface Runtime {
  ctx: AppContext;
  database: DatabaseHandle;
  app: FastifyInstance;
  worker: JobWorker;
  mailer: Mailer;
  seeded: boolean;
  close(): Promise<void>;
}

export interface RuntimeOptions {
  clock?: Clock;
  logStream?: DestinationStream;
  /** PGlite data folder dump to start from instead of an empty database (tests). */
  loadDataDir?: Blob;
  /** Keep PGlite in memory instead of DATA_DIR (tests). */
  inMemory?: boolean;
}

/** config → database → migrations → demo data → HTTP app and job worker (not yet listening). */
export async function createRuntime(config: Config, options: RuntimeOptions = {}): Promise<Runtime> {
  const clock = options.clock ?? systemClock;
  const handle = await openDatabase({
    databaseUrl: config.databaseUrl,
    dataDir: options.inMemory ? null : config.dataDir,
    loadDataDir: options.loadDataDir,
  });
  try {
    await migrateToLatest(handle.db);
    const secretBox = createSecretBox(await instanceSecret(handle.db, config.appSecret));
    const ctx: AppContext = { db: handle.db, engine: handle.engine, config, clock, secretBox };
    const seeded = config.demoMode ? await seedDemoData(ctx) : false;
    const app = await buildApp(ctx, { logStream: options.logStream });
    const mailer = createMailer({ smtpUrl: config.smtpUrl, from: config.mailFrom, db: handle.db, clock });
    // Schedules its recurring jobs (access review sweep) when it starts polling, not before.
    const worker = new SchedulingWorker(handle.db, clock, app.log, config.jobPollMs);
    worker.register(MAIL_JOB, mailJobHandler(mailer));
    worker.register(LETTER_JOB, letterJobHandler(ctx));
    registerAccessReviewJobs(worker, ctx);
    registerErrorPurge(worker, ctx);
    registerTrainingJobs(worker, ctx); // overdue training reports: daily reminders (issue #5)
    registerQuoteExpiry(worker, ctx);
    registerSecurityJobs(worker, ctx);
    registerAuditRetention(worker, ctx);
    registerDossierAnonymisation(worker, ctx);
    let closed = false;
    return {
      ctx,
      database: handle,
      app,
      worker,
      mailer,
      seeded,
      async close() {
        if (closed) return;
        closed = true;
        await app.close(); // stops accepting, lets in-flight requests finish
        await worker.stop();
        await handle.close();
      },
    };
  } catch (err) {
    await handle.close().catch(() => {});
    throw err;
  }
}

