import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { DAY_MS, decisionSchema, isReviewable, reminderDue, reviewOpeningDue } from './rules.js';

const NOW = new Date('2026-09-01T01:00:00Z');
const ago = (days: number, ms = 0) => new Date(NOW.getTime() - days * DAY_MS + ms);

describe('access review rules', () => {
  it('opens a campaign every period, counted from the last opening or else from the organisation’s creation', () => {
    const table: Array<[string, Parameters<typeof reviewOpeningDue>[0], boolean]> = [
      ['never reviewed, created 180 days ago', { lastOpenedAt: null, organisationCreatedAt: ago(180), hasOpenReview: false }, true],
      ['never reviewed, created 1 ms short of 180 days', { lastOpenedAt: null, organisationCreatedAt: ago(180, 1), hasOpenReview: false }, false],
      ['last opened 180 days ago', { lastOpenedAt: ago(180), organisationCreatedAt: ago(900), hasOpenReview: false }, true],
      ['last opened 179 days ago', { lastOpenedAt: ago(179), organisationCreatedAt: ago(900), hasOpenReview: false }, false],
      ['a campaign is still open', { lastOpenedAt: ago(400), organisationCreatedAt: ago(900), hasOpenReview: true }, false],
    ];
    for (const [label, input, expected] of table) assert.equal(reviewOpeningDue(input, NOW, 180), expected, label);
  });

  it('reminds every few days after the opening mail, and only while something is undecided', () => {
    const table: Array<[string, Parameters<typeof reminderDue>[0], boolean]> = [
      ['opening mail 7 days ago', { lastReminderAt: ago(7), openedAt: ago(7), undecided: 3 }, true],
      ['opening mail 6 days ago', { lastReminderAt: ago(6), openedAt: ago(6), undecided: 3 }, false],
      ['last reminder 7 days ago', { lastReminderAt: ago(7), openedAt: ago(20), undecided: 1 }, true],
      ['last reminder 2 days ago', { lastReminderAt: ago(2), openedAt: ago(20), undecided: 1 }, false],
      ['nothing left to decide', { lastReminderAt: ago(30), openedAt: ago(30), undecided: 0 }, false],
      ['no reminder recorded: counted from the opening', { lastReminderAt: null, openedAt: ago(8), undecided: 2 }, true],
    ];
    for (const [label, input, expected] of table) assert.equal(reminderDue(input, NOW, 7), expected, label);
  });

  it('reviews every habilitation but the account manager’s own role', () => {
    assert.equal(isReviewable({ application: 'gid', role: 'account_manager' }), false);
    for (const [application, role] of [['kairos', 'quote_editor'], ['kairos', 'reader'], ['support', 'user'], ['gid', 'agency_admin']]) {
      assert.equal(isReviewable({ application, role }), true, `${application}/${role}`);
    }
  });

  it('validates a decision with French messages naming the field', () => {
    const id = '0b0a3a3e-6a8e-4c1e-9d0a-2f0c3b1a9e77';
    assert.deepEqual(decisionSchema.parse({ habilitationId: id.toUpperCase(), decision: 'revoked' }), { habilitationId: id, decision: 'revoked' });
    const messages = (input: unknown) => decisionSchema.safeParse(input).error?.issues.map((i) => `${i.path.join('.')}: ${i.message}`) ?? [];
    assert.deepEqual(messages({ decision: 'confirmed' }), ['habilitationId: L’habilitation (habilitationId) est obligatoire.']);
    assert.deepEqual(messages({ habilitationId: 'x', decision: 'confirmed' }), ['habilitationId: L’habilitation (habilitationId) doit être un identifiant valide (UUID).']);
    assert.deepEqual(messages({ habilitationId: id, decision: 'yes' }), ['decision: La décision (decision) doit être « confirmed » (confirmer) ou « revoked » (retirer).']);
    assert.equal(decisionSchema.safeParse([]).error?.issues[0].message, 'Le corps de la requête doit être un objet JSON.');
  });
});
