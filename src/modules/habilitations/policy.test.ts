import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { decideAccess, effectiveHabilitations, publicAccess, requireHabilitation, signedIn, anyOf, candidateOnly, type Actor } from './policy.js';

const agency = { id: 'org-agency', name: 'Agence', kind: 'agency' as const };
const provider = { id: 'org-of', name: 'OF', kind: 'training_provider' as const };

function actor(overrides: Partial<Actor>): Actor {
  return { accountId: 'a', sessionId: 's', login: 'x', displayName: 'X', kind: 'staff', organisation: provider, habilitations: [], ...overrides };
}

describe('habilitation policy', () => {
  it('lets an API token through its roles only: never "any signed-in account" nor candidate routes', () => {
    const token = actor({ habilitations: [{ application: 'kairos', role: 'reader' }], apiToken: { id: 't', name: 'Outil' } });
    assert.equal(decideAccess(requireHabilitation('kairos', ['reader']), token), 'allow');
    assert.equal(decideAccess(requireHabilitation('kairos', ['quote_editor']), token), 'forbidden');
    assert.equal(decideAccess(signedIn, token), 'forbidden');
    assert.equal(decideAccess(candidateOnly, token), 'forbidden');
    assert.equal(decideAccess(anyOf(signedIn, requireHabilitation('kairos', ['reader'])), token), 'allow');
    assert.equal(decideAccess(publicAccess, token), 'allow');
    assert.equal(decideAccess(signedIn, actor({})), 'allow');
  });

  it('keeps only habilitations of the actor’s own organisation', () => {
    const rows = [
      { application: 'kairos', role: 'quote_editor', organisationId: 'org-of' },
      { application: 'kairos', role: 'reader', organisationId: 'org-other' },
    ];
    assert.deepEqual(effectiveHabilitations(rows, provider), [{ application: 'kairos', role: 'quote_editor' }]);
    assert.deepEqual(effectiveHabilitations(rows, null), []);
  });

  it('ignores agency-only roles outside the agency', () => {
    const rows = [
      { application: 'kairos', role: 'advisor', organisationId: 'org-of' },
      { application: 'gid', role: 'agency_admin', organisationId: 'org-of' },
      { application: 'support', role: 'agent', organisationId: 'org-of' },
      { application: 'support', role: 'user', organisationId: 'org-of' },
    ];
    assert.deepEqual(effectiveHabilitations(rows, provider), [{ application: 'support', role: 'user' }]);
    const agencyRows = rows.map((r) => ({ ...r, organisationId: 'org-agency' }));
    assert.equal(effectiveHabilitations(agencyRows, agency).length, 4);
  });

  const editor = actor({ habilitations: [{ application: 'kairos', role: 'quote_editor' }] });
  const candidate = actor({ kind: 'candidate', organisation: null });
  const table: Array<[string, Parameters<typeof decideAccess>[0], Actor | null, string]> = [
    ['no rule, anonymous', undefined, null, 'unauthenticated'],
    ['no rule, signed in', undefined, editor, 'forbidden'],
    ['public, anonymous', publicAccess, null, 'allow'],
    ['signed in, anonymous', signedIn, null, 'unauthenticated'],
    ['signed in, candidate', signedIn, candidate, 'allow'],
    ['candidate only, staff', candidateOnly, editor, 'forbidden'],
    ['candidate only, candidate', candidateOnly, candidate, 'allow'],
    ['kairos any role, editor', requireHabilitation('kairos'), editor, 'allow'],
    ['kairos advisor, editor', requireHabilitation('kairos', ['advisor']), editor, 'forbidden'],
    ['gid, editor', requireHabilitation('gid'), editor, 'forbidden'],
    ['kairos, candidate', requireHabilitation('kairos'), candidate, 'forbidden'],
    ['kairos, anonymous', requireHabilitation('kairos'), null, 'unauthenticated'],
    ['any of (advisor, candidate), candidate', anyOf(requireHabilitation('kairos', ['advisor']), candidateOnly), candidate, 'allow'],
    ['any of (advisor, candidate), editor', anyOf(requireHabilitation('kairos', ['advisor']), candidateOnly), editor, 'forbidden'],
    ['any of (editor, candidate), editor', anyOf(requireHabilitation('kairos', ['quote_editor']), candidateOnly), editor, 'allow'],
    ['any of (advisor, candidate), anonymous', anyOf(requireHabilitation('kairos', ['advisor']), candidateOnly), null, 'unauthenticated'],
    ['any of nothing, signed in', anyOf(), editor, 'forbidden'],
  ];
  for (const [name, rule, who, expected] of table) {
    it(`decides ${name} → ${expected}`, () => assert.equal(decideAccess(rule, who), expected));
  }
});
