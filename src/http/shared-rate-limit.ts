/**
 * Request rate limits counted in Redis, so that every instance (and every worker process) shares
 * them: without it each process counts alone and N instances allow N times the limit.
 *
 * When Redis cannot answer (down, unreachable, slower than COMMAND_TIMEOUT_MS), each process
 * counts in its own memory until Redis is back: limits per instance, as without Redis, rather
 * than none (fail open) or every request refused (Redis would become a single point of failure).
 * docs/decisions/0042-shared-rate-limits-and-security-suspensions.md gives the reasons. The
 * transitions are logged once each, naming the host only: the URL may hold a password.
 */
import type { FastifyRateLimitStore, FastifyRateLimitStoreCtor } from '@fastify/rate-limit';
import type { FastifyBaseLogger } from 'fastify';
import type { Redis } from 'ioredis';

/** A fixed window per key: the first hit sets its expiry; the answer is the count and the time left. */
const INCR_SCRIPT = `
local n = redis.call('INCR', KEYS[1])
local ttl = redis.call('PTTL', KEYS[1])
if n == 1 or ttl < 0 then
  redis.call('PEXPIRE', KEYS[1], ARGV[1])
  ttl = tonumber(ARGV[1])
end
return {n, ttl}`;

const COMMAND_TIMEOUT_MS = 500;
const MEMORY_KEYS = 10_000;

type Counted = { current: number; ttl: number };
type Callback = (error: Error | null, result?: Counted) => void;
type WithScript = Redis & { kairosRateLimit(key: string, windowMs: number): Promise<[number, number]> };

/** The in-memory fallback: fixed windows, the oldest keys dropped past MEMORY_KEYS. */
class MemoryWindows {
  private readonly windows = new Map<string, { count: number; resetAt: number }>();

  incr(key: string, windowMs: number): Counted {
    const now = Date.now();
    let w = this.windows.get(key);
    if (!w || w.resetAt <= now) {
      this.windows.delete(key);
      w = { count: 0, resetAt: now + windowMs };
      if (this.windows.size >= MEMORY_KEYS) this.windows.delete(this.windows.keys().next().value!);
      this.windows.set(key, w);
    }
    w.count++;
    return { current: w.count, ttl: w.resetAt - now };
  }
}

export interface SharedRateLimits {
  store: FastifyRateLimitStoreCtor;
  close(): void;
  /** Resolves once Redis answers, or after `timeoutMs` (then requests are counted in memory until it does). */
  connected(timeoutMs: number): Promise<void>;
}

/** Where the URL points, without what may be secret in it (user, password). */
function hostOf(url: string): string {
  const u = new URL(url);
  return `${u.hostname}:${u.port || '6379'}`;
}

export async function sharedRateLimits(url: string, keyPrefix: string, log: FastifyBaseLogger): Promise<SharedRateLimits> {
  // Loaded only when REDIS_URL is set: most installations never need it (docs/decisions/0039).
  const { Redis: RedisClient } = await import('ioredis');
  const redis = new RedisClient(url, {
    // A request waits for no reconnection: it is counted in memory meanwhile.
    enableOfflineQueue: false,
    maxRetriesPerRequest: 0,
    commandTimeout: COMMAND_TIMEOUT_MS,
    connectTimeout: 2_000,
    retryStrategy: (attempt) => Math.min(attempt * 250, 5_000),
  }) as WithScript;
  redis.defineCommand('kairosRateLimit', { numberOfKeys: 1, lua: INCR_SCRIPT });
  const where = hostOf(url);
  let shared = true;
  const fallBack = (err: unknown) => {
    if (!shared) return;
    shared = false;
    const e = err as { code?: string; name?: string };
    log.warn({ redis: where, code: e.code ?? e.name ?? 'unknown' }, 'Redis ne répond pas : limites de débit comptées par instance jusqu’à son retour');
  };
  // Without a listener ioredis prints every failed reconnection; one line per transition is enough.
  redis.on('error', fallBack);
  redis.on('ready', () => {
    if (shared) return;
    shared = true;
    log.info({ redis: where }, 'Redis répond de nouveau : limites de débit partagées entre les instances');
  });

  class Store implements FastifyRateLimitStore {
    private readonly memory = new MemoryWindows();
    private prefix = `${keyPrefix}rate-limit:`;

    incr(key: string, callback: Callback, timeWindow: number): void {
      redis.kairosRateLimit(this.prefix + key, timeWindow).then(
        ([current, ttl]) => callback(null, { current, ttl }),
        (err: unknown) => {
          fallBack(err);
          callback(null, this.memory.incr(key, timeWindow));
        },
      );
    }

    /** A route with limits of its own counts apart (the public forms' hourly limit). */
    child(routeOptions: Parameters<FastifyRateLimitStore['child']>[0]): FastifyRateLimitStore {
      // The plugin hands the route's merged limits, the route itself under `routeInfo`.
      const route = (routeOptions as unknown as { routeInfo?: { method?: string; url?: string } }).routeInfo ?? {};
      const child = new Store();
      child.prefix = `${this.prefix}${route.method ?? ''}${route.url ?? ''}:`;
      return child;
    }
  }

  return {
    // The plugin builds the store with its options, which this one does not need.
    store: Store as unknown as FastifyRateLimitStoreCtor,
    close: () => redis.disconnect(),
    connected: (timeoutMs) =>
      new Promise<void>((resolve) => {
        if (redis.status === 'ready') return resolve();
        const timer = setTimeout(done, timeoutMs);
        function done() {
          clearTimeout(timer);
          redis.off('ready', done);
          resolve();
        }
        redis.once('ready', done);
      }),
  };
}
