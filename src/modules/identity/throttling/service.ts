/**
 * Throttling of attempts on an identifier — sign-in, and activation (onboarding) — with the
 * growing delays and lockout of throttle-rules.ts (docs/product/security.md#throttling).
 */
import type { Kysely } from 'kysely';
import type { AppContext } from '../../../context.js';
import type { DB } from '../../../db/schema.js';
import { normaliseLogin } from '../accounts/rules.js';
import { deleteThrottleState, loadThrottleState, saveThrottleState } from './repository.js';
import { afterFailure, blockedUntil, type ThrottlePolicy } from './throttle-rules.js';

export interface ThrottleKey {
  key: string;
  policy: ThrottlePolicy;
}

/**
 * Throttle keys for an attempt on an identifier (sign-in, activation): one per identifier,
 * whether it exists or not, and one per IP address.
 */
export function throttleKeys(ctx: AppContext, login: string, ip: string | null, scope = 'login'): ThrottleKey[] {
  const t = ctx.config.throttle;
  const hour = 3_600_000;
  const keys: ThrottleKey[] = [
    {
      key: `${scope}:${normaliseLogin(login)}`,
      policy: { freeAttempts: 3, lockoutThreshold: t.lockoutThreshold, lockoutMs: t.lockoutMinutes * 60_000, forgetAfterMs: hour },
    },
  ];
  if (ip) {
    keys.push({
      key: `${scope}-ip:${ip}`,
      policy: { freeAttempts: 20, lockoutThreshold: t.ipLockoutThreshold, lockoutMs: t.lockoutMinutes * 60_000, forgetAfterMs: hour },
    });
  }
  return keys;
}

/** The latest time any of the keys is blocked until, or null if an attempt may proceed. */
export async function throttledUntil(db: Kysely<DB>, keys: ThrottleKey[], now: Date): Promise<Date | null> {
  let until: Date | null = null;
  for (const { key, policy } of keys) {
    const blocked = blockedUntil(await loadThrottleState(db, key), now, policy);
    if (blocked && (!until || blocked > until)) until = blocked;
  }
  return until;
}

export async function recordFailure(db: Kysely<DB>, keys: ThrottleKey[], now: Date): Promise<void> {
  for (const { key, policy } of keys) {
    await saveThrottleState(db, key, afterFailure(await loadThrottleState(db, key), now, policy));
  }
}

export async function clearFailures(db: Kysely<DB>, key: string): Promise<void> {
  await deleteThrottleState(db, key);
}
