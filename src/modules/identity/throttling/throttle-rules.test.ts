import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { afterFailure, blockedUntil, delayAfter, type ThrottlePolicy, type ThrottleState } from './throttle-rules.js';

const policy: ThrottlePolicy = { freeAttempts: 3, lockoutThreshold: 10, lockoutMs: 15 * 60_000, forgetAfterMs: 3_600_000 };
const t0 = new Date('2026-03-02T09:00:00Z');
const at = (ms: number) => new Date(t0.getTime() + ms);

describe('sign-in throttling rules', () => {
  const delays: Array<[number, number]> = [[0, 0], [1, 0], [3, 0], [4, 1000], [5, 2000], [6, 4000], [9, 32_000], [12, 60_000], [30, 60_000]];
  for (const [failures, delay] of delays) {
    it(`after ${failures} failure(s) waits ${delay} ms`, () => assert.equal(delayAfter(failures, policy), delay));
  }

  it('grows the delay and locks after the 10th failure, then releases after the lockout', () => {
    let state: ThrottleState | null = null;
    let now = t0.getTime();
    for (let i = 1; i <= 9; i++) {
      const until = blockedUntil(state, new Date(now), policy);
      if (until) now = until.getTime();
      state = afterFailure(state, new Date(now), policy);
      assert.equal(state.lockedUntil, null, `not locked after ${i}`);
    }
    assert.deepEqual(blockedUntil(state, new Date(now), policy), new Date(now + 32_000));
    now += 32_000;
    state = afterFailure(state, new Date(now), policy);
    assert.equal(state.failures, 10);
    assert.deepEqual(state.lockedUntil, new Date(now + 15 * 60_000));
    assert.deepEqual(blockedUntil(state, new Date(now + 14 * 60_000), policy), state.lockedUntil);
    assert.equal(blockedUntil(state, new Date(now + 15 * 60_000), policy), null);
    // After the lockout the count starts again from zero.
    assert.equal(afterFailure(state, new Date(now + 16 * 60_000), policy).failures, 1);
  });

  it('forgets failures older than an hour', () => {
    const state = { failures: 8, lastFailureAt: t0, lockedUntil: null };
    assert.equal(blockedUntil(state, at(3_600_001), policy), null);
    assert.equal(afterFailure(state, at(3_600_001), policy).failures, 1);
  });
});
