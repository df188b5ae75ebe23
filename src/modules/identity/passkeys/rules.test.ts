import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { holdsRequiredRole, isFresh, lastAuthenticationAt, normalisePasskeyName, passkeyObligation, reachableWhileEnforced } from './rules.js';

const DAY = 86_400_000;
const t0 = new Date('2026-03-02T08:00:00Z');
const at = (ms: number) => new Date(t0.getTime() + ms);

describe('passkey rules', () => {
  it('judges the freshness of an authentication against the window', () => {
    const cases: Array<[number, boolean]> = [
      [0, true],
      [5 * 60_000, true],
      [5 * 60_000 + 1, false],
      [-1, false], // from the future: a clock problem is not a fresh authentication
    ];
    for (const [age, fresh] of cases) assert.equal(isFresh(t0, at(age), 5), fresh, `age ${age}`);
  });

  it('takes the later of sign-in and re-authentication', () => {
    assert.equal(lastAuthenticationAt({ createdAt: t0, reauthenticatedAt: null }), t0);
    assert.deepEqual(lastAuthenticationAt({ createdAt: t0, reauthenticatedAt: at(60_000) }), at(60_000));
    assert.equal(lastAuthenticationAt({ createdAt: t0, reauthenticatedAt: at(-60_000) }), t0);
  });

  it('matches application/role against the required list', () => {
    const rgc = [{ application: 'gid', role: 'account_manager' }, { application: 'support', role: 'user' }];
    assert.equal(holdsRequiredRole(rgc, ['gid/account_manager']), true);
    assert.equal(holdsRequiredRole(rgc, ['gid/agency_admin']), false);
    assert.equal(holdsRequiredRole(rgc, []), false);
    assert.equal(holdsRequiredRole([{ application: 'kairos', role: 'account_manager' }], ['gid/account_manager']), false);
  });

  it('states the obligation: none, grace until the deadline, then enforced', () => {
    const base: { holdsRequiredRole: boolean; hasPasskey: boolean; graceStartedAt: Date | null; graceDays: number } = { holdsRequiredRole: true, hasPasskey: false, graceStartedAt: t0, graceDays: 14 };
    const cases: Array<[Partial<typeof base> & { now: Date }, string]> = [
      [{ holdsRequiredRole: false, now: at(30 * DAY) }, 'none'],
      [{ hasPasskey: true, now: at(30 * DAY) }, 'none'],
      [{ now: t0 }, 'grace'],
      [{ now: at(14 * DAY - 1) }, 'grace'],
      [{ now: at(14 * DAY) }, 'enforced'],
      [{ graceStartedAt: null, now: at(100 * DAY) }, 'grace'], // not started yet: it starts now
      [{ graceDays: 0, now: t0 }, 'enforced'],
    ];
    for (const [input, state] of cases) assert.equal(passkeyObligation({ ...base, ...input }).state, state, JSON.stringify(input));
    const grace = passkeyObligation({ ...base, now: at(DAY) });
    assert.deepEqual(grace, { state: 'grace', deadline: at(14 * DAY) });
  });

  it('leaves only enrolment, sign-in and help reachable once enforced', () => {
    for (const route of ['/compte/cles-d-acces', '/compte/cles-d-acces/:id/suppression', '/api/v1/me/passkeys', '/api/v1/me/passkeys/options', '/api/v1/session/passkey', '/api/v1/session', '/connexion', '/deconnexion', '/compte/confirmation-identite', '/aide/:slug', '/api/v1/me']) {
      assert.equal(reachableWhileEnforced(route), true, route);
    }
    for (const route of ['/portail', '/gid', '/api/v1/me/applications', '/api/v1/me/sessions', '/compte/mot-de-passe', '/api/v1/organisations/:orgId/users']) {
      assert.equal(reachableWhileEnforced(route), false, route);
    }
  });

  it('tidies a name as typed', () => {
    assert.equal(normalisePasskeyName('  Téléphone   pro \n'), 'Téléphone pro');
    assert.equal(normalisePasskeyName('   '), '');
  });
});
