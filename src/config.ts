import path from 'node:path';
import { z } from 'zod';
import { parseSigningKey } from './modules/audit/signing.js';

/**
 * Every setting comes from the environment, parsed once at start. A bad value stops the
 * process with a message naming the variable, rather than failing later at first use.
 */
const bool = z
  .enum(['true', 'false', '1', '0', 'yes', 'no'])
  .transform((v) => v === 'true' || v === '1' || v === 'yes');

const envSchema = z.object({
  NODE_ENV: z.enum(['development', 'production', 'test']).default('development'),
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  HOST: z.string().min(1).default('127.0.0.1'),
  DATA_DIR: z.string().min(1).default('./data'),
  ATTACHMENTS_DIR: z.string().min(1).optional(),
  DATABASE_URL: z.string().url().optional(),
  SEED_DEMO: bool.optional(),
  SEED_DEMO_WORLD: bool.optional(),
  SMTP_URL: z.string().url().optional(),
  MAIL_FROM: z.string().min(3).default('Kairos <ne-pas-repondre@kairos.example>'),
  APP_SECRET: z.string().min(32).optional(),
  AUDIT_SIGNING_KEY: z
    .string()
    .refine((v) => parseSigningKey(v) !== null, 'clé Ed25519 attendue : 32 octets en base64 (openssl rand -base64 32) ou une clé PEM PKCS#8')
    .optional(),
  PUBLIC_URL: z.string().url().optional(),
  OPERATOR_NAME: z.string().min(1).default('France Travail'),
  OPERATOR_ADDRESS: z.string().min(1).default('1 avenue du Docteur Gley, 75020 Paris'),
  OFFICIAL_ADDRESS: z.string().min(1).optional(),
  TRUST_PROXY: bool.default(false),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  SESSION_IDLE_MINUTES: z.coerce.number().int().min(1).max(24 * 60).default(30),
  SESSION_ABSOLUTE_HOURS: z.coerce.number().int().min(1).max(72).default(12),
  LOCKOUT_THRESHOLD: z.coerce.number().int().min(3).max(100).default(10),
  LOCKOUT_MINUTES: z.coerce.number().int().min(1).max(24 * 60).default(15),
  IP_LOCKOUT_THRESHOLD: z.coerce.number().int().min(10).max(10000).default(100),
  RATE_LIMIT_PER_MINUTE: z.coerce.number().int().min(10).default(300),
  // Never echoed back in an error: it may hold a password.
  REDIS_URL: z
    .string()
    .refine((v) => /^rediss?:\/\/[^\s]+$/.test(v) && URL.canParse(v), 'une adresse redis://hôte:port ou rediss://hôte:port attendue (exemple : redis://127.0.0.1:6379) ; retirez la variable pour des limites en mémoire')
    .optional(),
  REDIS_KEY_PREFIX: z
    .string()
    .regex(/^[A-Za-z0-9:_.-]{1,64}$/, 'de 1 à 64 lettres, chiffres ou « : _ . - » (exemple : kairos:)')
    .default('kairos:'),
  PUBLIC_FORM_RATE_LIMIT_PER_HOUR: z.coerce.number().int().min(1).default(20),
  JOB_POLL_MS: z.coerce.number().int().min(50).max(60000).default(1000),
  ACCESS_REVIEW_DAYS: z.coerce.number().int().min(1).max(3650).default(180),
  ACCESS_REVIEW_GRACE_DAYS: z.coerce.number().int().min(1).max(365).default(30),
  ACCESS_REVIEW_REMINDER_DAYS: z.coerce.number().int().min(1).max(365).default(7),
  ACCOUNT_INACTIVITY_DAYS: z.coerce.number().int().min(1).max(3650).default(90),
  BULK_ACCESS_THRESHOLD_PER_HOUR: z.coerce.number().int().min(5).max(100_000).default(100),
  BULK_EXPORT_THRESHOLD_PER_HOUR: z.coerce.number().int().min(2).max(100_000).default(30),
  EXPORT_MAX_ROWS: z.coerce.number().int().min(10).max(1_000_000).default(100_000),
  ACCOUNT_CREATIONS_PER_DAY: z.coerce.number().int().min(1).max(10_000).default(3),
  HABILITATION_GRANTS_PER_DAY: z.coerce.number().int().min(1).max(10_000).default(10),
  AUDIT_RETENTION_DAYS: z.coerce.number().int().min(30).max(3650).default(365),
  FINISHED_JOB_RETENTION_DAYS: z.coerce.number().int().min(1).max(3650).default(30),
  DOSSIER_RETENTION_YEARS: z.coerce.number().int().min(1).max(30).default(3),
  ATTENDANCE_ALERT_THRESHOLD: z.coerce.number().int().min(0).max(60).default(2),
  REPORT_REMINDER_DAYS: z.coerce.number().int().min(1).max(90).default(7),
  PGLITE_FSYNC: bool.default(true),
  PGLITE_SHARED_BUFFERS_MB: z.coerce.number({ error: 'un nombre entier de Mo, de 1 à 1024' }).int().min(1).max(1024).default(16),
  DB_STATEMENT_TIMEOUT_MS: z.coerce.number().int().min(100).max(600_000).default(15_000),
  DB_PREPARED_STATEMENTS: bool.default(true),
  WEBHOOK_ALLOW_PRIVATE: bool.default(false),
  METRICS_TOKEN: z.string().min(24, 'au moins 24 caractères (un secret aléatoire)').optional(),
  PASSKEY_REQUIRED_ROLES: z
    .string()
    .default('')
    .transform((v) => v.split(',').map((r) => r.trim()).filter(Boolean))
    .pipe(z.array(z.string().regex(/^[a-z_]+\/[a-z_]+$/, 'une liste de rôles « application/rôle » séparés par des virgules, ex. gid/agency_admin,gid/account_manager'))),
  PASSKEY_GRACE_DAYS: z.coerce.number().int().min(0).max(365).default(14),
  REAUTH_MINUTES: z.coerce.number().int().min(1).max(60).default(5),
  WORKERS: z.coerce
    .number({ error: 'un nombre entier de 1 à 64 (processus serveur)' })
    .int('un nombre entier de 1 à 64 (processus serveur)')
    .min(1, 'au moins 1 processus serveur')
    .max(64, 'au plus 64 processus serveur')
    .default(1),
});

export type Env = z.input<typeof envSchema>;

export interface Config {
  env: 'development' | 'production' | 'test';
  port: number;
  host: string;
  dataDir: string;
  /** Support screenshots, outside the web root (default `<DATA_DIR>/attachments`); shared storage when several instances run. */
  attachmentsDir: string;
  databaseUrl: string | undefined;
  /** Demo mode: demo data is seeded, the outbox is readable in the UI, demo secrets are printed. */
  demoMode: boolean;
  /**
   * Demo mode only: on first start, after the accounts, months of activity played through the
   * services (src/demo/world/). Off by default under NODE_ENV=test: the tests' template holds the
   * accounts only.
   */
  demoWorld: boolean;
  smtpUrl: string | undefined;
  mailFrom: string;
  /** Key for secrets at rest (TOTP seeds). Derived from the data folder when not set in embedded mode. */
  appSecret: string | undefined;
  /**
   * Ed25519 key signing the audit checkpoints (src/modules/audit/signing.ts). Generated and kept in
   * the database when not set, outside production only.
   */
  auditSigningKey: string | undefined;
  publicUrl: string;
  operatorName: string;
  operatorAddress: string;
  /** The address users should check in their browser bar (anti-phishing), shown on every page. */
  officialAddress: string;
  trustProxy: boolean;
  secureCookies: boolean;
  logLevel: string;
  session: { idleMinutes: number; absoluteHours: number };
  throttle: { lockoutThreshold: number; lockoutMinutes: number; ipLockoutThreshold: number };
  rateLimitPerMinute: number;
  /**
   * Where request rate limits are counted: Redis shared by every instance when REDIS_URL is set,
   * else each process's memory (docs/decisions/0042-shared-rate-limits-and-security-suspensions.md).
   */
  redis: { url: string; keyPrefix: string } | null;
  /** Submissions per hour and IP address of the public forms (adhesion request). */
  publicFormRateLimitPerHour: number;
  jobPollMs: number;
  /**
   * Access review (docs/product/joining-and-habilitations.md#access-review): a campaign per
   * organisation every `periodDays`, due `graceDays` later.
   */
  accessReview: { periodDays: number; graceDays: number; reminderDays: number };
  /** Staff accounts without a sign-in for this long are suspended by the daily sweep. */
  accountInactivityDays: number;
  /**
   * Bulk-access detection: distinct candidates an account may read (or export) in a sliding hour
   * before it is suspended.
   */
  bulkAccess: { readsPerHour: number; exportsPerHour: number };
  /** Spreadsheet exports (/api/v1/exports/…): rows one export may hold; beyond, it is refused (422). */
  exports: { maxRows: number };
  /** Account-creation guard: beyond these per account manager and 24 h, the agency must confirm. */
  creationGuard: { accountsPerDay: number; grantsPerDay: number };
  /**
   * Retention (docs/product/security.md#retention): audit rows, finished jobs, and closed dossiers
   * (years after the report) before anonymisation.
   */
  retention: { auditDays: number; finishedJobDays: number; dossierYears: number };
  /**
   * Training follow-up: advisor alert above this many unjustified half-day absences in a month;
   * days between overdue-report reminders.
   */
  training: { unjustifiedAbsenceThreshold: number; reportReminderDays: number };
  /** Embedded: each commit waits for its WAL to reach the disk (survives a power cut, not only kill -9). */
  pgliteFsync: boolean;
  /** Embedded: PGlite's shared_buffers in MB (its WebAssembly heap never shrinks: kept small, see decision 0040). */
  pgliteSharedBuffersMb: number;
  /** PostgreSQL: the server cancels a statement running longer than this (the request gets a 503). */
  statementTimeoutMs: number;
  /** PostgreSQL: named prepared statements (turn off behind a pooler in transaction mode). */
  preparedStatements: boolean;
  /** Bearer token that opens /metrics to other hosts than loopback (none: loopback only). */
  metricsToken: string | undefined;
  /**
   * Webhook destinations: private, loopback and metadata addresses are refused unless
   * `allowPrivate` (WEBHOOK_ALLOW_PRIVATE); outside production, http://127.0.0.1 and localhost
   * are allowed for local development and tests.
   */
  webhooks: { allowPrivate: boolean; allowLocalHttp: boolean };
  /**
   * Passkeys (WebAuthn, docs/decisions/0044-passkeys.md): the relying party is the public URL's
   * host and its origin the only one accepted. Holders of `requiredRoles` (`application/role`)
   * must enrol one within `graceDays` of their first sign-in under the rule.
   */
  passkeys: { rpId: string; origin: string; rpName: string; requiredRoles: string[]; graceDays: number };
  /** Adding or removing a passkey needs a sign-in or re-authentication this recent. */
  reauthMinutes: number;
  /**
   * Server processes sharing the port (node:cluster, docs/decisions/0033-memory-and-workers.md).
   * PostgreSQL only: an embedded data folder is opened by one process.
   */
  workers: number;
}

export class ConfigError extends Error {}

export function loadConfig(env: Record<string, string | undefined> = process.env): Config {
  const parsed = envSchema.safeParse(env);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `  ${i.path.join('.')}: ${i.message}`);
    throw new ConfigError(`Invalid configuration:\n${lines.join('\n')}`);
  }
  const e = parsed.data;
  const embedded = !e.DATABASE_URL;
  const production = e.NODE_ENV === 'production';
  if (production && !e.APP_SECRET) {
    throw new ConfigError('Invalid configuration:\n  APP_SECRET: required in production (32 characters or more)');
  }
  if (production && !e.AUDIT_SIGNING_KEY) {
    throw new ConfigError(
      'Configuration refusée :\n  AUDIT_SIGNING_KEY : obligatoire en production, elle signe les points de contrôle du journal d’audit. ' +
        'Créez-la avec « openssl rand -base64 32 » et gardez-la hors de la base de données.',
    );
  }
  if (embedded && e.WORKERS > 1) {
    throw new ConfigError(
      `Configuration refusée :\n  WORKERS=${e.WORKERS} : plusieurs processus serveur demandent PostgreSQL (DATABASE_URL). ` +
        'La base embarquée (PGlite) n’est ouverte que par un seul processus : retirez WORKERS ou mettez WORKERS=1.',
    );
  }
  const publicUrl = e.PUBLIC_URL ?? `http://localhost:${e.PORT}`;
  const demoMode = e.SEED_DEMO ?? (embedded && !production);
  return {
    env: e.NODE_ENV,
    port: e.PORT,
    host: e.HOST,
    dataDir: e.DATA_DIR,
    attachmentsDir: e.ATTACHMENTS_DIR ?? path.join(e.DATA_DIR, 'attachments'),
    databaseUrl: e.DATABASE_URL,
    demoMode,
    demoWorld: demoMode && (e.SEED_DEMO_WORLD ?? e.NODE_ENV !== 'test'),
    smtpUrl: e.SMTP_URL,
    mailFrom: e.MAIL_FROM,
    appSecret: e.APP_SECRET,
    auditSigningKey: e.AUDIT_SIGNING_KEY,
    publicUrl,
    operatorName: e.OPERATOR_NAME,
    operatorAddress: e.OPERATOR_ADDRESS,
    officialAddress: e.OFFICIAL_ADDRESS ?? new URL(publicUrl).host,
    trustProxy: e.TRUST_PROXY,
    secureCookies: production || publicUrl.startsWith('https:'),
    logLevel: e.LOG_LEVEL,
    session: { idleMinutes: e.SESSION_IDLE_MINUTES, absoluteHours: e.SESSION_ABSOLUTE_HOURS },
    throttle: {
      lockoutThreshold: e.LOCKOUT_THRESHOLD,
      lockoutMinutes: e.LOCKOUT_MINUTES,
      ipLockoutThreshold: e.IP_LOCKOUT_THRESHOLD,
    },
    rateLimitPerMinute: e.RATE_LIMIT_PER_MINUTE,
    redis: e.REDIS_URL ? { url: e.REDIS_URL, keyPrefix: e.REDIS_KEY_PREFIX } : null,
    publicFormRateLimitPerHour: e.PUBLIC_FORM_RATE_LIMIT_PER_HOUR,
    jobPollMs: e.JOB_POLL_MS,
    accessReview: {
      periodDays: e.ACCESS_REVIEW_DAYS,
      graceDays: e.ACCESS_REVIEW_GRACE_DAYS,
      reminderDays: e.ACCESS_REVIEW_REMINDER_DAYS,
    },
    accountInactivityDays: e.ACCOUNT_INACTIVITY_DAYS,
    bulkAccess: { readsPerHour: e.BULK_ACCESS_THRESHOLD_PER_HOUR, exportsPerHour: e.BULK_EXPORT_THRESHOLD_PER_HOUR },
    exports: { maxRows: e.EXPORT_MAX_ROWS },
    creationGuard: { accountsPerDay: e.ACCOUNT_CREATIONS_PER_DAY, grantsPerDay: e.HABILITATION_GRANTS_PER_DAY },
    retention: { auditDays: e.AUDIT_RETENTION_DAYS, finishedJobDays: e.FINISHED_JOB_RETENTION_DAYS, dossierYears: e.DOSSIER_RETENTION_YEARS },
    training: { unjustifiedAbsenceThreshold: e.ATTENDANCE_ALERT_THRESHOLD, reportReminderDays: e.REPORT_REMINDER_DAYS },
    pgliteFsync: e.PGLITE_FSYNC,
    pgliteSharedBuffersMb: e.PGLITE_SHARED_BUFFERS_MB,
    statementTimeoutMs: e.DB_STATEMENT_TIMEOUT_MS,
    preparedStatements: e.DB_PREPARED_STATEMENTS,
    metricsToken: e.METRICS_TOKEN,
    webhooks: { allowPrivate: e.WEBHOOK_ALLOW_PRIVATE, allowLocalHttp: !production },
    workers: e.WORKERS,
    passkeys: {
      rpId: new URL(publicUrl).hostname,
      origin: new URL(publicUrl).origin,
      rpName: `Kairos ${e.OPERATOR_NAME}`,
      requiredRoles: e.PASSKEY_REQUIRED_ROLES,
      graceDays: e.PASSKEY_GRACE_DAYS,
    },
    reauthMinutes: e.REAUTH_MINUTES,
  };
}
