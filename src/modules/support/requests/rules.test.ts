import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { applyMove, type SupportMove, type SupportParty } from './rules.js';
import { supportRequestSchema } from './schemas.js';
import type { SupportRequestStatus } from '../../../db/schema.js';

describe('support request status table', () => {
  const cases: Array<[SupportMove, SupportParty, SupportRequestStatus, SupportRequestStatus | 'forbidden' | 'conflict']> = [
    ['reply', 'agent', 'open', 'answered'],
    ['reply', 'agent', 'answered', 'answered'],
    ['reply', 'agent', 'closed', 'conflict'],
    ['reply', 'requester', 'open', 'open'],
    ['reply', 'requester', 'answered', 'open'],
    ['reply', 'requester', 'closed', 'conflict'],
    ['close', 'requester', 'open', 'closed'],
    ['close', 'agent', 'answered', 'closed'],
    ['close', 'agent', 'closed', 'conflict'],
    ['reopen', 'requester', 'closed', 'open'],
    ['reopen', 'requester', 'answered', 'conflict'],
    ['reopen', 'agent', 'closed', 'forbidden'],
    ['reopen', 'agent', 'open', 'forbidden'],
  ];
  for (const [move, party, from, expected] of cases) {
    it(`${move} by ${party} from ${from} → ${expected}`, () => {
      const outcome = applyMove(move, party, from);
      if (outcome.ok) assert.equal(outcome.to, expected);
      else {
        assert.equal(outcome.reason, expected);
        assert.match(outcome.message, /demande/);
      }
    });
  }
});

describe('support request input', () => {
  const valid = { category: 'devis', subject: 'Erreur à l’envoi', description: 'Le devis ne part pas depuis ce matin.' };

  it('accepts the minimum and turns empty optional fields into null', () => {
    const parsed = supportRequestSchema.parse({ ...valid, steps: '  ', errorReference: '' });
    assert.equal(parsed.steps, null);
    assert.equal(parsed.errorReference, null);
  });

  it('normalises a reference to lower case and refuses anything else, in French, naming the field', () => {
    const ref = '1B4E28BA-2FA1-41D2-883F-0016D3CCA427';
    assert.equal(supportRequestSchema.parse({ ...valid, errorReference: ref }).errorReference, ref.toLowerCase());
    const bad = supportRequestSchema.safeParse({ ...valid, errorReference: 'ABC' });
    assert.ok(!bad.success);
    assert.match(bad.error.issues[0]!.message, /^Référence de l’erreur \(errorReference\)/);
  });

  it('refuses an unknown category, a short subject and unexpected fields', () => {
    const bad = supportRequestSchema.safeParse({ ...valid, category: 'urgent', subject: 'a', priority: 'haute' });
    assert.ok(!bad.success);
    const messages = bad.error.issues.map((i) => i.message).join(' | ');
    assert.match(messages, /Catégorie \(category\)/);
    assert.match(messages, /Objet \(subject\)/);
    assert.ok(bad.error.issues.some((i) => i.code === 'unrecognized_keys'));
  });
});
