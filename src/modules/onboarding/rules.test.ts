import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { luhnValid, membershipRequestSchema, ndaValid, normaliseFrenchPhone, siretValid } from './rules.js';

describe('SIRET validation', () => {
  const cases: Array<[string, boolean, string]> = [
    ['12345678200010', true, 'Formapro Démo (Luhn)'],
    ['98765432400019', true, 'Atelier Compétences Démo (Luhn)'],
    ['73282932000074', true, 'a real-format Luhn-valid SIRET'],
    ['73282932000075', false, 'last digit changed'],
    ['12345678200011', false, 'Luhn off by one'],
    ['1234567820001', false, '13 digits'],
    ['123456782000100', false, '15 digits'],
    ['1234567820001A', false, 'a letter'],
    ['35600000000048', true, 'La Poste head office (Luhn)'],
    ['35600000012346', true, 'La Poste establishment: digit sum 30, multiple of 5'],
    ['35600000012345', false, 'La Poste establishment: digit sum 29'],
    ['35600000049837', true, 'La Poste: sum 45 although Luhn fails'],
    ['', false, 'empty'],
  ];
  for (const [siret, ok, why] of cases) it(`${siret || '(empty)'} → ${ok} (${why})`, () => assert.equal(siretValid(siret), ok));

  it('Luhn basics', () => {
    assert.equal(luhnValid('79927398713'), true);
    assert.equal(luhnValid('79927398710'), false);
  });
});

describe('NDA and phone validation', () => {
  const nda: Array<[string, boolean]> = [['11755555575', true], ['1175555557', false], ['117555555750', false], ['1175555557A', false]];
  for (const [v, ok] of nda) it(`NDA ${v} → ${ok}`, () => assert.equal(ndaValid(v), ok));
  const phones: Array<[string, string | null]> = [
    ['01 23 45 67 89', '0123456789'],
    ['06.12.34.56.78', '0612345678'],
    ['+33 6 12 34 56 78', '0612345678'],
    ['0033612345678', '0612345678'],
    ['+33 0 12 34 56 78', null],
    ['00 23 45 67 89', null],
    ['0123', null],
    ['+44 20 7946 0958', null],
  ];
  for (const [v, expected] of phones) it(`phone ${v} → ${expected}`, () => assert.equal(normaliseFrenchPhone(v), expected));
});

describe('membership request schema', () => {
  const valid = {
    legalName: 'Organisme Test',
    siret: '732 829 320 00074',
    nda: '11755555575',
    qualiopi: true,
    qualiopiExpiry: '2027-06-30',
    address: '12 rue des Lilas, 75011 Paris',
    accountManager: { lastName: 'Durand-Lefèvre', firstName: 'Zoé', email: 'zoe.durand@organisme.fr', phone: '01 23 45 67 89' },
  };
  const schema = membershipRequestSchema('2026-11-26');

  it('accepts a complete request and normalises SIRET and phone', () => {
    const r = schema.safeParse(valid);
    assert.ok(r.success);
    assert.equal(r.data.siret, '73282932000074');
    assert.equal(r.data.accountManager.phone, '0123456789');
  });

  const bad: Array<[string, Record<string, unknown>, string]> = [
    ['bad SIRET', { siret: '73282932000075' }, 'siret'],
    ['short NDA', { nda: '123' }, 'nda'],
    ['expired Qualiopi', { qualiopiExpiry: '2026-11-26' }, 'qualiopiExpiry'],
    ['impossible date', { qualiopiExpiry: '2027-02-30' }, 'qualiopiExpiry'],
    ['certified without expiry', { qualiopiExpiry: null }, 'qualiopiExpiry'],
    ['bad email', { accountManager: { ...valid.accountManager, email: 'zoe@' } }, 'accountManager.email'],
    ['foreign phone', { accountManager: { ...valid.accountManager, phone: '+44 20 7946 0958' } }, 'accountManager.phone'],
    ['digits in a name', { accountManager: { ...valid.accountManager, lastName: 'R2D2' } }, 'accountManager.lastName'],
    ['10 000-character name', { legalName: 'x'.repeat(10_000) }, 'legalName'],
  ];
  for (const [why, change, field] of bad) {
    it(`refuses ${why} on ${field} with a French message`, () => {
      const r = schema.safeParse({ ...valid, ...change });
      assert.equal(r.success, false);
      const issue = r.error!.issues.find((i) => i.path.join('.') === field);
      assert.ok(issue, `no issue on ${field}: ${JSON.stringify(r.error!.issues)}`);
      assert.match(issue.message, /[a-zéèàç]/);
    });
  }

  it('accepts a non-certified organisation without expiry date', () => {
    assert.ok(schema.safeParse({ ...valid, qualiopi: false, qualiopiExpiry: null }).success);
  });
});
