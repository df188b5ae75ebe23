import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { MAX_AMOUNT_CENTS, centsToEuros, eurosToCents, formatEuros, hoursToHundredths, parseEuros, pedagogicalCostCents } from './money.js';

describe('euros → cents', () => {
  const accepted: Array<[string | number, number]> = [
    ['1234.5', 123450],
    [1234.5, 123450],
    ['1234,50', 123450],
    ['1 234,50', 123450],
    ['1\u202f234,50', 123450], // as Intl prints it
    ['1\u00a0234.5', 123450],
    [' 12 ', 1200],
    ['12.', 1200],
    ['0', 0],
    [0, 0],
    [-0, 0],
    [0.1, 10],
    [0.29, 29], // 0.29 * 100 is 28.999999999999996 in floating point
    [19.99, 1999],
    ['12.340', 1234], // trailing zeros are not decimals
    ['000012.5', 1250],
    [10_000_000, MAX_AMOUNT_CENTS],
    ['10000000.00', MAX_AMOUNT_CENTS],
  ];
  for (const [v, cents] of accepted) it(`${JSON.stringify(v)} → ${cents}`, () => assert.equal(eurosToCents(v), cents));

  const refused: Array<[unknown, string]> = [
    ['12.345', 'too_many_decimals'],
    [12.345, 'too_many_decimals'],
    [1.005, 'too_many_decimals'],
    [0.1 + 0.2, 'too_many_decimals'],
    [1e-7, 'too_many_decimals'],
    ['-5', 'negative'],
    [-0.01, 'negative'],
    ['-0', 'negative'],
    [Number.NaN, 'not_a_number'],
    [Number.POSITIVE_INFINITY, 'not_a_number'],
    ['abc', 'not_a_number'],
    ['', 'not_a_number'],
    ['1e3', 'not_a_number'],
    ['12,5,0', 'not_a_number'],
    ['.5', 'not_a_number'],
    [null, 'not_a_number'],
    [true, 'not_a_number'],
    [10_000_000.01, 'too_large'],
    ['10000000,01', 'too_large'],
    ['9'.repeat(400), 'too_large'],
    [1e300, 'too_large'],
  ];
  for (const [v, code] of refused) {
    it(`${typeof v === 'string' && v.length > 20 ? `${v.slice(0, 10)}… (${v.length} chars)` : String(v)} → ${code}`, () => assert.deepEqual(parseEuros(v), { ok: false, code }));
  }

  it('eurosToCents throws RangeError where parseEuros refuses', () => assert.throws(() => eurosToCents('12.345'), RangeError));

  it('cents → euros for the JSON contract', () => {
    assert.equal(centsToEuros(123450), 1234.5);
    assert.equal(centsToEuros(1), 0.01);
    assert.throws(() => centsToEuros(1.5), RangeError);
  });

  it('round-trips every cent value of a range', () => {
    for (let c = 0; c <= 100_000; c++) assert.equal(eurosToCents(centsToEuros(c)), c);
  });
});

describe('hours → hundredths', () => {
  const cases: Array<[number, number | null]> = [[35.5, 3550], [0, 0], [2000, 200000], [2000.01, null], [1.234, null], [-1, null], [Number.NaN, null]];
  for (const [h, expected] of cases) it(`${h} → ${expected}`, () => assert.equal(hoursToHundredths(h), expected));
});

describe('formatEuros (French, as Intl fr-FR prints it)', () => {
  const cases: Array<[number, string]> = [
    [123450, '1\u202f234,50\u00a0€'],
    [0, '0,00\u00a0€'],
    [5, '0,05\u00a0€'],
    [99999, '999,99\u00a0€'],
    [100000, '1\u202f000,00\u00a0€'],
    [123456789, '1\u202f234\u202f567,89\u00a0€'],
    [MAX_AMOUNT_CENTS, '10\u202f000\u202f000,00\u00a0€'],
    [-123450, '-1\u202f234,50\u00a0€'],
  ];
  for (const [cents, text] of cases) it(`${cents} → ${JSON.stringify(text)}`, () => assert.equal(formatEuros(cents), text));

  it('matches Intl.NumberFormat fr-FR on a sample of amounts', () => {
    const intl = new Intl.NumberFormat('fr-FR', { style: 'currency', currency: 'EUR' });
    for (const cents of [0, 1, 10, 99, 100, 1001, 99999, 100000, 123456, 1000000, 9999999, 123456789, MAX_AMOUNT_CENTS]) {
      assert.equal(formatEuros(cents), intl.format(cents / 100), `${cents}`);
    }
  });

  it('refuses a non-integer number of cents', () => assert.throws(() => formatEuros(12.5), RangeError));
});

describe('pedagogical cost = hours × rate, half up to the cent', () => {
  const cases: Array<[string, number, number, number]> = [
    ['150 h × 12,50 €', 15000, 1250, 187500],
    ['35,5 h × 12,33 € = 437,715 € → 437,72 € (half up)', 3550, 1233, 43772],
    ['0,01 h × 0,49 € = 0,0049 € → 0,00 €', 1, 49, 0],
    ['0,01 h × 0,50 € = 0,005 € → 0,01 € (half up)', 1, 50, 1],
    ['0,01 h × 0,51 € → 0,01 €', 1, 51, 1],
    ['399,99 h × 29,99 € = 11 995,7001 € → 11 995,70 €', 39999, 2999, 1199570],
    ['0 h', 0, 1250, 0],
    ['0 € / h', 15000, 0, 0],
    ['4 000 h × 10 000 000 € stays exact', 400000, MAX_AMOUNT_CENTS, 4_000_000_000_000],
  ];
  for (const [why, hours, rate, cents] of cases) it(why, () => assert.equal(pedagogicalCostCents(hours, rate), cents));

  it('refuses negative or fractional inputs', () => {
    assert.throws(() => pedagogicalCostCents(-1, 100), RangeError);
    assert.throws(() => pedagogicalCostCents(100, -1), RangeError);
    assert.throws(() => pedagogicalCostCents(35.5, 1233), RangeError);
  });
});
