import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { scrubMessage } from './service.js';

describe('error messages kept for support', () => {
  const cases: Array<[string, string]> = [
    ['duplicate key value violates unique constraint "account_login_key"', 'duplicate key value violates unique constraint "account_login_key"'],
    ['Key (login)=(zoe.essai.1234) already exists.', 'Key (…)=(…) already exists.'],
    ['cannot mail zoe.essai@organisme.example', 'cannot mail [courriel]'],
    ['candidate 12345678901 not found', 'candidate [nombre] not found'],
    ['invalid input syntax: "une très longue valeur saisie par quelqu’un"', 'invalid input syntax: "[texte]"'],
  ];
  for (const [input, expected] of cases) it(`${input.slice(0, 40)} → ${expected.slice(0, 40)}`, () => assert.equal(scrubMessage(input), expected));
  it('cuts long messages', () => assert.equal(scrubMessage('x'.repeat(1000)).length, 300));
});
