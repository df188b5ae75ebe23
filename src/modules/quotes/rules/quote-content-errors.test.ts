import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { QUOTE_RULES, CONTENT_RULES, quoteContentErrorCount, validateQuote, type QuoteInput, type QuoteRuleContext } from './quote-rules.js';
import { aifQuote, poeiQuote, ruleContext } from './test-fixtures.js';

/** A context where the three context rules (lead time, Qualiopi, overlap) have nothing to say. */
function quietContext(): QuoteRuleContext {
  return { ...ruleContext(), today: '2026-01-01', organisationQualiopiExpiry: '2030-12-31', otherOpenPeriods: [] };
}

function quotes(): QuoteInput[] {
  const high = aifQuote();
  high.costs.hourlyRate = 45;
  high.costs.pedagogicalCost = 6300;
  const broken = poeiQuote();
  broken.training.endDate = '2026-05-01';
  broken.training.schedule = [];
  broken.training.formacode = '';
  const cost = aifQuote();
  cost.costs.pedagogicalCost = 1;
  return [aifQuote(), poeiQuote(), high, broken, cost];
}

describe('stored content error count', () => {
  it('is the number of errors validateQuote reports where the context rules are silent', () => {
    for (const quote of quotes()) {
      const expected = validateQuote(quote, quietContext()).filter((f) => f.severity === 'error').length;
      assert.equal(quoteContentErrorCount(quote), expected);
    }
  });

  it('sees errors and ignores warnings (the check can fail)', () => {
    const [valid, , high, broken, cost] = quotes();
    assert.equal(quoteContentErrorCount(valid!), 0);
    assert.equal(quoteContentErrorCount(high!), 0, 'a warning alone does not block');
    assert.ok(quoteContentErrorCount(broken!) >= 3);
    assert.equal(quoteContentErrorCount(cost!), 1);
  });

  it('leaves out exactly the rules reading the date, the organisation or other quotes', () => {
    const names = QUOTE_RULES.filter(([, rule]) => !CONTENT_RULES.includes(rule)).map(([name]) => name);
    assert.deepEqual(names, ['startAfterLeadTime', 'qualiopiValidOnStart', 'noOverlapWithOpenPeriods']);
  });
});
