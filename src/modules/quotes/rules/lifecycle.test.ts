import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  FINAL_STATUSES,
  QUOTE_ACTIONS,
  QUOTE_ACTORS,
  QUOTE_STATUSES,
  QUOTE_TRANSITIONS,
  applyTransition,
  availableActions,
  type QuoteAction,
  type QuoteActor,
  type QuoteStatus,
} from './lifecycle.js';

// Written out from docs/product/quotes.md#lifecycle independently of the table under test: a typo
// in either shows up here.
const ALLOWED: Array<[QuoteAction, QuoteStatus, QuoteActor, QuoteStatus]> = [
  ['submit', 'draft', 'organisation', 'submitted'],
  ['accept', 'submitted', 'candidate', 'accepted'],
  ['decline', 'submitted', 'candidate', 'declined'],
  ['approve', 'accepted', 'advisor', 'approved'],
  ['refuse', 'accepted', 'advisor', 'refused'],
  ['request_changes', 'accepted', 'advisor', 'changes_requested'],
  ['new_version', 'changes_requested', 'organisation', 'draft'],
  ['cancel', 'draft', 'organisation', 'cancelled'],
  ['cancel', 'submitted', 'organisation', 'cancelled'],
  ['cancel', 'accepted', 'organisation', 'cancelled'],
  ['expire', 'submitted', 'system', 'expired'],
  ['expire', 'accepted', 'system', 'expired'],
];
const ACTOR_OF = Object.fromEntries(ALLOWED.map(([action, , actor]) => [action, actor])) as Record<QuoteAction, QuoteActor>;
const REASON = { reason: 'Le taux horaire doit être justifié.' };

describe('allowed transitions', () => {
  for (const [action, from, actor, to] of ALLOWED) {
    it(`${actor} ${action}: ${from} → ${to}`, () => assert.deepEqual(applyTransition(from, action, actor, REASON), { ok: true, to }));
  }

  it('the table holds exactly these transitions', () => {
    const fromTable = QUOTE_TRANSITIONS.flatMap((t) => t.from.map((from) => [t.action, from, t.actor, t.to].join(' ')));
    assert.deepEqual(fromTable.sort(), ALLOWED.map((a) => a.join(' ')).sort());
    assert.deepEqual(QUOTE_TRANSITIONS.map((t) => t.action).sort(), [...QUOTE_ACTIONS].sort());
  });

  it('decisions without a reason are fine where none is required', () => {
    for (const [action, from, actor, to] of ALLOWED.filter(([a]) => a !== 'refuse' && a !== 'request_changes')) {
      assert.deepEqual(applyTransition(from, action, actor), { ok: true, to }, `${action} from ${from}`);
    }
  });
});

describe('refused: every action from every status it is not allowed from', () => {
  for (const action of QUOTE_ACTIONS) {
    for (const status of QUOTE_STATUSES) {
      if (ALLOWED.some(([a, from]) => a === action && from === status)) continue;
      it(`${action} from ${status} → transition_not_allowed`, () => {
        const r = applyTransition(status, action, ACTOR_OF[action], REASON);
        assert.equal(r.ok, false);
        assert.equal(!r.ok && r.code, 'transition_not_allowed');
        assert.match(!r.ok ? r.message : '', /^Impossible d(e |’).* : ce devis est « .* » ; .*Rechargez la page/);
      });
    }
  }

  it('the message names the current and the required status in French', () => {
    assert.deepEqual(applyTransition('approved', 'cancel', 'organisation'), {
      ok: false,
      code: 'transition_not_allowed',
      message: 'Impossible d’annuler le devis : ce devis est « validé par le conseiller » ; cette action n’est possible que sur un devis « brouillon » ou « soumis au candidat » ou « accepté par le candidat ». Rechargez la page pour voir son état actuel.',
    });
  });
});

describe('refused: wrong actor', () => {
  for (const [action, from, actor] of ALLOWED) {
    for (const other of QUOTE_ACTORS.filter((a) => a !== actor)) {
      it(`${other} may not ${action} (from ${from})`, () => {
        const r = applyTransition(from, action, other, REASON);
        assert.equal(!r.ok && r.code, 'actor_not_allowed');
      });
    }
  }

  it('is checked before the status, so it reveals nothing about the quote', () => {
    const r = applyTransition('approved', 'approve', 'candidate');
    assert.deepEqual(r, { ok: false, code: 'actor_not_allowed', message: 'Action réservée au conseiller : vous ne pouvez pas valider le devis.' });
  });
});

describe('refused: missing reason', () => {
  for (const action of ['refuse', 'request_changes'] as const) {
    for (const reason of [undefined, null, '', '   \n\t']) {
      it(`${action} with reason ${JSON.stringify(reason)} → reason_required`, () => {
        const r = applyTransition('accepted', action, 'advisor', { reason });
        assert.equal(!r.ok && r.code, 'reason_required');
        assert.match(!r.ok ? r.message : '', /^Motif \(reason\) : obligatoire/);
      });
    }
  }
});

describe('unknown input', () => {
  it('an unknown action is refused, not thrown', () => {
    const r = applyTransition('draft', 'delete' as QuoteAction, 'organisation');
    assert.equal(!r.ok && r.code, 'unknown_action');
  });
});

describe('derived data', () => {
  it('final statuses have no way out', () => assert.deepEqual([...FINAL_STATUSES].sort(), ['approved', 'cancelled', 'declined', 'expired', 'refused']));

  const actions: Array<[QuoteStatus, QuoteActor, QuoteAction[]]> = [
    ['draft', 'organisation', ['submit', 'cancel']],
    ['submitted', 'candidate', ['accept', 'decline']],
    ['submitted', 'organisation', ['cancel']],
    ['accepted', 'advisor', ['approve', 'refuse', 'request_changes']],
    ['accepted', 'system', ['expire']],
    ['changes_requested', 'organisation', ['new_version']],
    ['approved', 'advisor', []],
    ['draft', 'candidate', []],
  ];
  for (const [status, actor, expected] of actions) {
    it(`${actor} on a ${status} quote may: ${expected.join(', ') || 'nothing'}`, () => assert.deepEqual(availableActions(status, actor), expected));
  }
});
