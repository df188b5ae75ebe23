/**
 * Growing delays then lockout after repeated sign-in failures
 * (docs/product/security.md#throttling). Pure, so the schedule is tested as a table; the repository
 * only stores counters.
 */
export interface ThrottlePolicy {
  /** Failures allowed before delays start. */
  freeAttempts: number;
  /** Failures that lock the key for `lockoutMs`. */
  lockoutThreshold: number;
  lockoutMs: number;
  /** Failures older than this no longer count. */
  forgetAfterMs: number;
}

export interface ThrottleState {
  failures: number;
  lastFailureAt: Date;
  lockedUntil: Date | null;
}

const MAX_DELAY_MS = 60_000;

/** Delay imposed after `failures` failures: none, then 1 s, 2 s, 4 s … capped at 1 min. */
export function delayAfter(failures: number, policy: ThrottlePolicy): number {
  if (failures <= policy.freeAttempts) return 0;
  return Math.min(1000 * 2 ** (failures - policy.freeAttempts - 1), MAX_DELAY_MS);
}

/** The state still in force at `now`: an expired lock or old failures start afresh. */
export function liveState(state: ThrottleState | null, now: Date, policy: ThrottlePolicy): ThrottleState | null {
  if (!state) return null;
  if (state.lockedUntil && state.lockedUntil.getTime() <= now.getTime()) return null;
  if (!state.lockedUntil && now.getTime() - state.lastFailureAt.getTime() > policy.forgetAfterMs) return null;
  return state;
}

/** When the next attempt is allowed, or null if allowed now. */
export function blockedUntil(state: ThrottleState | null, now: Date, policy: ThrottlePolicy): Date | null {
  const live = liveState(state, now, policy);
  if (!live) return null;
  if (live.lockedUntil) return live.lockedUntil;
  const next = new Date(live.lastFailureAt.getTime() + delayAfter(live.failures, policy));
  return next.getTime() > now.getTime() ? next : null;
}

export function afterFailure(state: ThrottleState | null, now: Date, policy: ThrottlePolicy): ThrottleState {
  const failures = (liveState(state, now, policy)?.failures ?? 0) + 1;
  return {
    failures,
    lastFailureAt: now,
    lockedUntil: failures >= policy.lockoutThreshold ? new Date(now.getTime() + policy.lockoutMs) : null,
  };
}
