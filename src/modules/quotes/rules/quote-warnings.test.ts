import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { QUOTE_RULES, WARNING_RULES, quoteWarnings, validateQuote, type QuoteInput, type QuoteRuleContext } from './quote-rules.js';
import { aifQuote, poeiQuote, ruleContext } from './test-fixtures.js';

/** Quotes that warn and quotes that do not, valid or not. */
function quotes(): QuoteInput[] {
  const high = aifQuote();
  high.costs.hourlyRate = 45;
  const broken = poeiQuote();
  broken.training.endDate = '2026-05-01';
  broken.costs.hourlyRate = 31;
  broken.training.schedule = [];
  return [aifQuote(), poeiQuote(), high, broken];
}

/** Contexts that change every error rule's answer: dates, Qualiopi, the candidate's other quotes. */
function contexts(): QuoteRuleContext[] {
  const base = ruleContext();
  return [
    base,
    { ...base, today: '2026-06-20', organisationQualiopiExpiry: null },
    { ...base, organisationQualiopiExpiry: '2026-01-01', otherOpenPeriods: [{ startDate: '2026-06-10', endDate: '2026-07-10', kind: 'quote' }] },
  ];
}

describe('stored warnings', () => {
  it('are what validateQuote reports as warnings, whatever the context', () => {
    for (const quote of quotes()) {
      for (const ctx of contexts()) {
        const expected = validateQuote(quote, ctx).filter((f) => f.severity === 'warning');
        assert.deepEqual(quoteWarnings(quote, ctx), expected);
      }
    }
  });

  it('see the high hourly rate (the check can fail)', () => {
    const [, , high] = quotes();
    assert.deepEqual(quoteWarnings(high).map((f) => f.code), ['hourly_rate_high']);
    assert.deepEqual(quoteWarnings(aifQuote()), []);
  });

  it('come from rules listed among the quote rules', () => {
    const all = QUOTE_RULES.map(([, rule]) => rule);
    for (const rule of WARNING_RULES) assert.ok(all.includes(rule));
  });
});
