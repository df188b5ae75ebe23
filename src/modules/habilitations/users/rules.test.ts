import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ROLES } from '../catalogue.js';
import type { Actor } from '../policy.js';
import {
  REFUSALS,
  accountChangeRefusal,
  fieldMessages,
  gidPermission,
  grantSchema,
  grantability,
  isUuid,
  listQuerySchema,
  newUserSchema,
  revocationRefusal,
  type Grantability,
} from './rules.js';

describe('GID: what an account manager may grant', () => {
  // Every role of the catalogue must appear here: a role added later must be classified on purpose.
  const expected: Record<string, Grantability> = {
    'kairos/quote_editor': 'allowed',
    'kairos/attendance_officer': 'allowed',
    'kairos/reader': 'allowed',
    'kairos/trainer': 'allowed',
    'kairos/advisor': 'forbidden',
    'kairos/agency_admin': 'forbidden',
    'gid/account_manager': 'forbidden',
    'gid/agency_admin': 'forbidden',
    'support/user': 'allowed',
    'support/agent': 'forbidden',
  };

  it('classifies every role of the catalogue', () => {
    const catalogue = Object.entries(ROLES).flatMap(([app, roles]) => roles.map((r) => `${app}/${r}`));
    assert.deepEqual(catalogue.sort(), Object.keys(expected).sort());
  });

  const table: Array<[string, string, Grantability]> = [
    ...Object.entries(expected).map(([key, verdict]) => [...(key.split('/') as [string, string]), verdict] as [string, string, Grantability]),
    ['kairos', 'superuser', 'unknown_role'],
    ['kairos', 'agent', 'unknown_role'], // a role of another application
    ['support', 'quote_editor', 'unknown_role'],
    ['gid', '', 'unknown_role'],
    ['admin', 'reader', 'unknown_application'],
    ['', 'reader', 'unknown_application'],
    ['KAIROS', 'reader', 'unknown_application'],
    ['kairos', 'QUOTE_EDITOR', 'unknown_role'],
  ];
  for (const [application, role, verdict] of table) {
    it(`${application || '(vide)'}/${role || '(vide)'} → ${verdict}`, () => assert.equal(grantability(application, role), verdict));
  }
});

describe('GID: who may act on which organisation', () => {
  const agency = { id: 'org-agency', name: 'Agence', kind: 'agency' as const };
  const formapro = { id: 'org-a', name: 'Formapro', kind: 'training_provider' as const };
  const actor = (organisation: Actor['organisation'], ...habs: string[]) => ({
    organisation,
    habilitations: habs.map((h) => ({ application: h.split('/')[0], role: h.split('/')[1] })),
  });
  const rgc = actor(formapro, 'gid/account_manager', 'support/user');
  const admin = actor(agency, 'gid/agency_admin');
  const editor = actor(formapro, 'kairos/quote_editor');
  // An agency role held outside the agency never counts (effectiveHabilitations already drops it).
  const fakeAdmin = actor(formapro, 'gid/agency_admin');

  const all = ['list', 'view', 'create', 'suspend', 'reactivate', 'delete', 'grant', 'revoke'] as const;
  const agencyMay = new Set(['list', 'view', 'suspend', 'reactivate']);
  for (const action of all) {
    it(`${action}: RGC on own organisation → allow; elsewhere → not_found`, () => {
      assert.equal(gidPermission(rgc, 'org-a', action), 'allow');
      assert.equal(gidPermission(rgc, 'org-b', action), 'not_found');
      assert.equal(gidPermission(rgc, 'org-agency', action), 'not_found');
    });
    it(`${action}: agency administrator → ${agencyMay.has(action) ? 'allow' : 'forbidden'} on any organisation`, () => {
      const verdict = agencyMay.has(action) ? 'allow' : 'forbidden';
      assert.equal(gidPermission(admin, 'org-a', action), verdict);
      assert.equal(gidPermission(admin, 'org-agency', action), verdict);
    });
    it(`${action}: no GID role, or an agency role outside the agency → not_found`, () => {
      assert.equal(gidPermission(editor, 'org-a', action), 'not_found');
      assert.equal(gidPermission(fakeAdmin, 'org-a', action), 'not_found');
      assert.equal(gidPermission(actor(null, 'gid/account_manager'), 'org-a', action), 'not_found');
    });
  }
});

describe('GID: changes an actor may not make to an account', () => {
  const base = { actorId: 'me', targetId: 'other', targetIsManager: false, byAgency: false };
  const table: Array<[string, Parameters<typeof accountChangeRefusal>[0], 'suspend' | 'delete', unknown]> = [
    ['suspend a colleague', base, 'suspend', null],
    ['delete a colleague', base, 'delete', null],
    ['suspend oneself', { ...base, targetId: 'me' }, 'suspend', REFUSALS.selfSuspend],
    ['delete oneself', { ...base, targetId: 'me' }, 'delete', REFUSALS.selfDelete],
    ['agency suspends itself', { ...base, targetId: 'me', byAgency: true }, 'suspend', REFUSALS.selfSuspend],
    ['RGC suspends another RGC', { ...base, targetIsManager: true }, 'suspend', REFUSALS.otherManager],
    ['RGC deletes another RGC', { ...base, targetIsManager: true }, 'delete', REFUSALS.otherManager],
    ['agency suspends an RGC', { ...base, targetIsManager: true, byAgency: true }, 'suspend', null],
  ];
  for (const [name, input, action, expected] of table) {
    it(name, () => assert.deepEqual(accountChangeRefusal(input, action), expected));
  }
  it('refusals about oneself are conflicts (409), the others forbidden (403)', () => {
    for (const r of [REFUSALS.selfSuspend, REFUSALS.selfDelete, REFUSALS.selfRevokeManager]) assert.equal(r.status, 409);
    for (const r of [REFUSALS.otherManager, REFUSALS.notRevocable, REFUSALS.notGrantable]) assert.equal(r.status, 403);
  });

  const revocations: Array<[string, string, string, string, unknown]> = [
    ['a colleague’s quote editor role', 'other', 'kairos', 'quote_editor', null],
    ['one’s own support access', 'me', 'support', 'user', null],
    ['one’s own RGC role', 'me', 'gid', 'account_manager', REFUSALS.selfRevokeManager],
    ['another RGC’s role', 'other', 'gid', 'account_manager', REFUSALS.notRevocable],
    ['an agency role', 'other', 'kairos', 'advisor', REFUSALS.notRevocable],
  ];
  for (const [name, targetId, application, role, expected] of revocations) {
    it(`revoking ${name}`, () => assert.deepEqual(revocationRefusal({ actorId: 'me', targetId, application, role }), expected));
  }
});

describe('GID: input validation', () => {
  const valid = { lastName: 'D’Arc-Müller', firstName: 'Élodie', email: 'elodie.darc@formapro.example' };
  it('accepts names with accents, hyphens, apostrophes and spaces, and trims', () => {
    const r = newUserSchema.parse({ lastName: '  de la Tour ', firstName: "Jean-Luc O'Neil", email: ' a@b.fr ' });
    assert.deepEqual(r, { lastName: 'de la Tour', firstName: "Jean-Luc O'Neil", email: 'a@b.fr' });
    assert.deepEqual(newUserSchema.parse(valid), valid);
  });

  const invalid: Array<[string, unknown, string[]]> = [
    ['missing everything', {}, ['email', 'firstName', 'lastName']],
    ['digits in a name', { ...valid, lastName: 'Martin2' }, ['lastName']],
    ['markup in a name', { ...valid, firstName: '<b>Lou</b>' }, ['firstName']],
    ['only punctuation', { ...valid, lastName: "-- ''" }, ['lastName']],
    ['blank name', { ...valid, firstName: '   ' }, ['firstName']],
    ['name too long', { ...valid, lastName: 'a'.repeat(101) }, ['lastName']],
    ['bad email', { ...valid, email: 'pas-une-adresse' }, ['email']],
    ['number as email', { ...valid, email: 42 }, ['email']],
    ['unexpected field', { ...valid, role: 'admin' }, ['role']],
    ['not an object', 'texte', ['(corps)']],
  ];
  for (const [name, input, fields] of invalid) {
    it(`refuses ${name}, naming ${fields.join(', ')} in French`, () => {
      const r = newUserSchema.safeParse(input);
      assert.equal(r.success, false);
      const messages = fieldMessages(r.error!);
      assert.deepEqual(messages.map((m) => m.field).sort(), fields);
      for (const m of messages) assert.match(m.message, /^(Le|La|L’)/, m.message);
    });
  }

  it('keeps one message per field (the first)', () => {
    const messages = fieldMessages(newUserSchema.safeParse({ ...valid, lastName: '' }).error!);
    assert.deepEqual(messages, [{ field: 'lastName', message: 'Le nom est obligatoire : saisissez-le.' }]);
  });

  it('grant body: strict, two short strings', () => {
    assert.ok(grantSchema.safeParse({ application: 'kairos', role: 'reader' }).success);
    assert.deepEqual(fieldMessages(grantSchema.safeParse({ application: 'kairos' }).error!).map((m) => m.field), ['role']);
    assert.deepEqual(fieldMessages(grantSchema.safeParse({ application: 'kairos', role: 'reader', x: 1 }).error!).map((m) => m.field), ['x']);
  });

  it('list query: empty parameters mean no filter; unknown status refused', () => {
    assert.deepEqual(listQuerySchema.parse({ q: '', status: '' }), { q: undefined, status: undefined });
    assert.deepEqual(listQuerySchema.parse({ q: ' lou ', status: 'active' }), { q: 'lou', status: 'active' });
    assert.deepEqual(fieldMessages(listQuerySchema.safeParse({ status: 'deleted' }).error!).map((m) => m.field), ['status']);
    assert.deepEqual(fieldMessages(listQuerySchema.safeParse({ q: ['a', 'b'] }).error!).map((m) => m.field), ['q']);
  });

  it('path ids: only well-formed UUIDs reach a query', () => {
    assert.ok(isUuid('0e5f6a3c-1b2d-4c8e-9f00-123456789abc'));
    for (const bad of ['', 'abc', '0e5f6a3c-1b2d-4c8e-9f00-123456789abcd', "' or 1=1 --", undefined, 42]) assert.equal(isUuid(bad), false);
  });
});
