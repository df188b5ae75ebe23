import type { Clock } from './clock.js';
import type { Config } from './config.js';
import type { Database, Engine } from './db/database.js';
import type { Metrics } from './metrics.js';
import type { SecretBox } from './modules/identity/second-factor/secret-box.js';

/** What every service needs, built once at start (or per test). */
export interface AppContext {
  db: Database;
  engine: Engine;
  config: Config;
  clock: Clock;
  secretBox: SecretBox;
  metrics: Metrics;
}

/** Facts about the HTTP request that services record (audit) but never depend on otherwise. */
export interface RequestMeta {
  ip: string | null;
  userAgent: string | null;
  requestId: string;
}
