import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { changedFields, policySchema } from './rules.js';

const VALID = { rolesPolicy: 'r'.repeat(20), departuresPolicy: 'd'.repeat(20), otherRules: '' };

describe('security policy rules', () => {
  it('accepts 20 to 5000 characters for the two required texts, up to 5000 for the other rules', () => {
    const table: Array<[string, Record<string, unknown>, string[]]> = [
      ['the minimum', VALID, []],
      ['the maximum', { rolesPolicy: 'r'.repeat(5000), departuresPolicy: 'd'.repeat(5000), otherRules: 'o'.repeat(5000) }, []],
      ['other rules omitted', { rolesPolicy: VALID.rolesPolicy, departuresPolicy: VALID.departuresPolicy }, []],
      ['19 characters', { ...VALID, rolesPolicy: 'r'.repeat(19) }, ['rolesPolicy']],
      ['blank padding does not count', { ...VALID, departuresPolicy: `   ${'d'.repeat(19)}   ` }, ['departuresPolicy']],
      ['5001 characters', { ...VALID, departuresPolicy: 'd'.repeat(5001) }, ['departuresPolicy']],
      ['other rules too long', { ...VALID, otherRules: 'o'.repeat(5001) }, ['otherRules']],
      ['missing texts', {}, ['rolesPolicy', 'departuresPolicy']],
      ['not a text', { ...VALID, rolesPolicy: ['a'] }, ['rolesPolicy']],
    ];
    for (const [label, input, fields] of table) {
      const r = policySchema.safeParse(input);
      assert.deepEqual(r.success ? [] : r.error.issues.map((i) => i.path.join('.')), fields, label);
    }
  });

  it('counts a CRLF line break as one character, as the user sees it, and stores LF', () => {
    const text = `${'a'.repeat(9)}\r\n${'b'.repeat(10)}`; // 21 bytes sent, 20 characters seen
    assert.equal(policySchema.parse({ ...VALID, rolesPolicy: text }).rolesPolicy, `${'a'.repeat(9)}\n${'b'.repeat(10)}`);
    assert.equal(policySchema.safeParse({ ...VALID, rolesPolicy: `${'a'.repeat(9)}\r\n${'b'.repeat(9)}` }).success, false);
  });

  it('names the French label in its messages', () => {
    const r = policySchema.safeParse({ ...VALID, departuresPolicy: 'court' });
    assert.match(r.error!.issues[0].message, /^La rubrique « Gestion des départs » \(departuresPolicy\) doit contenir au moins 20 caractères/);
  });

  it('lists the fields that changed', () => {
    assert.deepEqual(changedFields(null, VALID), ['rolesPolicy', 'departuresPolicy']);
    assert.deepEqual(changedFields(VALID, { ...VALID, otherRules: 'x' }), ['otherRules']);
    assert.deepEqual(changedFields(VALID, { ...VALID }), []);
  });
});
