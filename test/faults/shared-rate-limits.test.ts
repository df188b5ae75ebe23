// Request rate limits across instances (docs/decisions/0042-shared-rate-limits-and-security-suspensions.md):
// with REDIS_URL two real server processes share one count, so requests split between them meet
// the limit at the shared count, not at twice it. Without a reachable Redis a process still
// serves, counts in its own memory, and says so in its log without the URL's password.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { Redis } from 'ioredis';
import { freePort, kill9, startKairos, waitForBanner, type Kairos } from '../helpers/processes.js';
import { until } from '../helpers/fault-support.js';

const redisUrl = process.env.TEST_REDIS_URL;
const LIMIT = 10;

/** One embedded database per process: the limits, not the data, are what the instances share. */
function instanceEnv(folder: string, name: string, port: number, extra: Record<string, string>): Record<string, string> {
  return { DATA_DIR: path.join(folder, name), PORT: String(port), SEED_DEMO: 'false', LOG_LEVEL: 'info', RATE_LIMIT_PER_MINUTE: String(LIMIT), ...extra };
}

const hit = async (k: Kairos) => (await fetch(`http://127.0.0.1:${k.port}/connexion`)).status;

describe('request rate limits shared through Redis by two instances', { skip: redisUrl ? false : 'needs TEST_REDIS_URL (a Redis server, for example redis://127.0.0.1:6379)' }, () => {
  // A prefix of this run's own: tests running at once never count each other's requests.
  const prefix = `kairos-test-${process.pid}-${Date.now()}:`;
  let folder = '';
  let redis: Redis;
  const instances: Kairos[] = [];

  before(async () => {
    folder = mkdtempSync(path.join(tmpdir(), 'kairos-shared-limits-'));
    redis = new Redis(redisUrl!, { maxRetriesPerRequest: 1 });
    const env = { REDIS_URL: redisUrl!, REDIS_KEY_PREFIX: prefix };
    instances.push(startKairos(instanceEnv(folder, 'a', await freePort(), env)), startKairos(instanceEnv(folder, 'b', await freePort(), env)));
    await Promise.all(instances.map((k) => waitForBanner(k)));
  });
  after(async () => {
    for (const k of instances) await kill9(k);
    if (redis) {
      const keys = await redis.keys(`${prefix}*`);
      if (keys.length > 0) await redis.del(...keys);
      redis.disconnect();
    }
    if (folder) rmSync(folder, { recursive: true, force: true });
  });

  it(`requests split across both instances meet the limit at the shared count (${LIMIT} a minute)`, { timeout: 60_000 }, async () => {
    const statuses: number[] = [];
    for (let i = 0; i < LIMIT; i++) statuses.push(await hit(instances[i % 2]));
    assert.deepEqual(statuses, Array(LIMIT).fill(200), `${LIMIT / 2} on each instance, ${LIMIT} in all`);
    // Each instance has seen only half the limit: only a shared count refuses now.
    for (const k of instances) {
      const res = await fetch(`http://127.0.0.1:${k.port}/connexion`);
      assert.equal(res.status, 429, `instance on port ${k.port}`);
      assert.ok(Number(res.headers.get('retry-after')) > 0);
      assert.match(await res.text(), /Trop de requêtes/);
    }
    const keys = await redis.keys(`${prefix}*`);
    assert.equal(keys.length, 1, `one shared counter under the run's prefix: ${keys.join(', ')}`);
    assert.equal(Number(await redis.get(keys[0])), LIMIT + 2);
  });
});

describe('request rate limits when Redis cannot be reached', () => {
  let folder = '';
  let k: Kairos | undefined;
  const password = 'mot-de-passe-du-redis';

  before(async () => {
    folder = mkdtempSync(path.join(tmpdir(), 'kairos-no-redis-'));
    // Nothing listens on this port: the product must serve all the same.
    const deadRedis = `redis://kairos:${password}@127.0.0.1:${await freePort()}`;
    k = startKairos(instanceEnv(folder, 'a', await freePort(), { REDIS_URL: deadRedis }));
    await waitForBanner(k);
  });
  after(async () => {
    if (k) await kill9(k);
    if (folder) rmSync(folder, { recursive: true, force: true });
  });

  it('serves, limits per instance in memory, and logs the fallback once without the password', { timeout: 60_000 }, async () => {
    const statuses: number[] = [];
    for (let i = 0; i <= LIMIT; i++) statuses.push(await hit(k!));
    assert.deepEqual(statuses, [...Array(LIMIT).fill(200), 429]);
    await until(() => k!.stdout().includes('Redis ne répond pas'), 10_000, 'the fallback logged');
    const output = k!.stdout() + k!.stderr();
    assert.equal(output.split('Redis ne répond pas').length - 1, 1, 'one line for the transition, not one per request');
    assert.ok(!output.includes(password), 'the password of REDIS_URL never reaches the log');
  });
});
