import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ruleContext, aifQuote, poeiQuote } from './test-fixtures.js';
import {
  QUOTE_RULES,
  codesWellFormed,
  endNotBeforeStart,
  hasBlockingErrors,
  hourlyRateReasonable,
  noOverlapWithOpenPeriods,
  pedagogicalCostMatches,
  placeUnlessDistance,
  plannedHoursMatchDeclared,
  poeiEmployerComplete,
  poeiHoursWithinLimit,
  poeiSectionMatchesType,
  qualiopiValidOnStart,
  quoteTotals,
  startAfterLeadTime,
  validateQuote,
  type QuoteInput,
  type QuoteRule,
  type QuoteRuleContext,
} from './quote-rules.js';

type Case = {
  why: string;
  quote?: (q: QuoteInput) => void;
  ctx?: Partial<QuoteRuleContext>;
  base?: () => QuoteInput;
  /** 'field code' for errors, 'field code warning' for warnings. */
  expect: string[];
};

function runCases(rule: QuoteRule, cases: Case[]): void {
  for (const c of cases) {
    it(`${c.why} → ${c.expect.join('; ') || 'nothing'}`, () => {
      const q = (c.base ?? aifQuote)();
      c.quote?.(q);
      const findings = rule(q, { ...ruleContext(), ...c.ctx });
      assert.deepEqual(findings.map((f) => `${f.field} ${f.code}${f.severity === 'warning' ? ' warning' : ''}`), c.expect);
      for (const f of findings) assert.match(f.message, /^[A-ZÉ][^:]+ : .*[a-zé].*\.$/, f.message);
    });
  }
}

const setTraining = (patch: Partial<QuoteInput['training']>) => (q: QuoteInput) => Object.assign(q.training, patch);
const setCosts = (patch: Partial<QuoteInput['costs']>) => (q: QuoteInput) => Object.assign(q.costs, patch);
const setPoei = (patch: Partial<NonNullable<QuoteInput['poei']>>) => (q: QuoteInput) => Object.assign(q.poei!, patch);

describe('the reference quotes are valid', () => {
  it('AIF', () => assert.deepEqual(validateQuote(aifQuote(), ruleContext()), []));
  it('POEI', () => assert.deepEqual(validateQuote(poeiQuote(), ruleContext()), []));
});

describe('end ≥ start', () => runCases(endNotBeforeStart, [
  { why: 'end after start', expect: [] },
  { why: 'a one-day training', quote: setTraining({ endDate: '2026-06-01' }), expect: [] },
  { why: 'end the day before start', quote: setTraining({ endDate: '2026-05-31' }), expect: ['training.endDate end_before_start'] },
]));

describe('start ≥ today + lead time', () => runCases(startAfterLeadTime, [
  { why: 'exactly 14 days ahead', quote: setTraining({ startDate: '2026-05-18' }), expect: [] },
  { why: '13 days ahead', quote: setTraining({ startDate: '2026-05-17' }), expect: ['training.startDate start_too_soon'] },
  { why: 'in the past', quote: setTraining({ startDate: '2026-01-05' }), expect: ['training.startDate start_too_soon'] },
  { why: 'lead time configured to 30 days', ctx: { leadTimeDays: 30 }, quote: setTraining({ startDate: '2026-06-02' }), expect: ['training.startDate start_too_soon'] },
  { why: 'lead time configured to 0: today is fine', ctx: { leadTimeDays: 0 }, quote: setTraining({ startDate: '2026-05-04' }), expect: [] },
]));

describe('planned hours = centre + company hours', () => {
  runCases(plannedHoursMatchDeclared, [
    { why: '140 h planned, 105 + 35 declared', expect: [] },
    { why: '135 h declared', quote: setTraining({ centreHours: 100 }), expect: ['training.schedule planned_hours_mismatch'] },
    { why: 'empty schedule', quote: setTraining({ schedule: [] }), expect: ['training.schedule schedule_empty'] },
    { why: 'a period with 14 July: 9 days × 7 h', quote: setTraining({ startDate: '2026-07-06', endDate: '2026-07-17', centreHours: 63, companyHours: 0 }), expect: [] },
    { why: 'a period with 14 July counted as worked', quote: setTraining({ startDate: '2026-07-06', endDate: '2026-07-17', centreHours: 70, companyHours: 0 }), expect: ['training.schedule planned_hours_mismatch'] },
    { why: 'May 2026: 1 May, 8 May, Ascension, Whit Monday off (21 − 4 days)', quote: setTraining({ startDate: '2026-05-01', endDate: '2026-05-31', centreHours: 119, companyHours: 0 }), expect: [] },
    { why: '3 h 20 once is 3,33 h', quote: setTraining({ schedule: [{ weekday: 1, from: '09:00', to: '12:20' }], endDate: '2026-06-01', centreHours: 3.33, companyHours: 0 }), expect: [] },
    { why: 'end before start: left to the end-date rule', quote: setTraining({ endDate: '2026-05-01' }), expect: [] },
    { why: 'a 200-year training', quote: setTraining({ endDate: '2226-06-26' }), expect: ['training.endDate training_too_long'] },
  ]);

  it('says both numbers in French', () => {
    const q = aifQuote();
    q.training.centreHours = 100.5;
    const [f] = plannedHoursMatchDeclared(q, ruleContext());
    assert.equal(
      f.message,
      'Heures prévues : l’emploi du temps donne 140\u00a0h du 01/06/2026 au 26/06/2026 (jours fériés déduits), mais le devis déclare 135,5\u00a0h (100,5\u00a0h en centre + 35\u00a0h en entreprise). Corrigez l’emploi du temps, les dates ou les heures pour qu’ils concordent.',
    );
  });
});

describe('POEI hours ≤ 400', () => runCases(poeiHoursWithinLimit, [
  { why: 'POEI 140 h', base: poeiQuote, expect: [] },
  { why: 'POEI exactly 400 h', base: poeiQuote, quote: setTraining({ centreHours: 300, companyHours: 100 }), expect: [] },
  { why: 'POEI 400,01 h', base: poeiQuote, quote: setTraining({ centreHours: 300.01, companyHours: 100 }), expect: ['training.centreHours poei_hours_over_limit'] },
  { why: 'POEI limit configured to 300 h', base: poeiQuote, ctx: { poeiMaxHours: 300 }, quote: setTraining({ centreHours: 300, companyHours: 1 }), expect: ['training.centreHours poei_hours_over_limit'] },
  { why: 'AIF 1 200 h has no such limit', quote: setTraining({ centreHours: 1200 }), expect: [] },
]));

describe('hourly rate > 0, warning above 30 €/h', () => runCases(hourlyRateReasonable, [
  { why: '12,50 €', expect: [] },
  { why: '0 €', quote: setCosts({ hourlyRate: 0 }), expect: ['costs.hourlyRate hourly_rate_not_positive'] },
  { why: '0,01 €', quote: setCosts({ hourlyRate: 0.01 }), expect: [] },
  { why: 'exactly 30 €', quote: setCosts({ hourlyRate: 30 }), expect: [] },
  { why: '30,01 €', quote: setCosts({ hourlyRate: 30.01 }), expect: ['costs.hourlyRate hourly_rate_high warning'] },
  { why: 'threshold configured to 20 €', ctx: { hourlyRateWarningCents: 2000 }, quote: setCosts({ hourlyRate: 25 }), expect: ['costs.hourlyRate hourly_rate_high warning'] },
]));

describe('pedagogical cost = hours × rate to the cent', () => {
  runCases(pedagogicalCostMatches, [
    { why: '140 h × 12,50 € = 1 750 €', expect: [] },
    { why: 'one cent short', quote: setCosts({ pedagogicalCost: 1749.99 }), expect: ['costs.pedagogicalCost pedagogical_cost_mismatch'] },
    { why: '35,5 h × 12,33 € = 437,715 € rounds half up to 437,72 €', quote: (q) => Object.assign(q.training, { centreHours: 35.5, companyHours: 0 }) && setCosts({ hourlyRate: 12.33, pedagogicalCost: 437.72 })(q), expect: [] },
    { why: '… and 437,71 € is refused', quote: (q) => Object.assign(q.training, { centreHours: 35.5, companyHours: 0 }) && setCosts({ hourlyRate: 12.33, pedagogicalCost: 437.71 })(q), expect: ['costs.pedagogicalCost pedagogical_cost_mismatch'] },
    { why: 'centre and company hours both count', quote: setTraining({ centreHours: 70, companyHours: 70 }), expect: [] },
  ]);

  it('names the expected amount in French format', () => {
    const q = aifQuote();
    q.costs.pedagogicalCost = 1800;
    assert.equal(
      pedagogicalCostMatches(q, ruleContext())[0].message,
      'Coût pédagogique : 140\u00a0h × 12,50\u00a0€ = 1\u202f750,00\u00a0€, or vous avez saisi 1\u202f800,00\u00a0€. Saisissez 1\u202f750,00\u00a0€ ou corrigez les heures ou le taux horaire.',
    );
  });
});

describe('codes are well-formed', () => runCases(codesWellFormed, [
  { why: 'reference codes', expect: [] },
  { why: 'no certification', quote: setTraining({ certification: null }), expect: [] },
  { why: 'RS with 3 digits', quote: setTraining({ certification: 'RS123' }), expect: [] },
  { why: 'RNCP with 6 digits', quote: setTraining({ certification: 'RNCP123456' }), expect: [] },
  { why: 'RNCP with 7 digits', quote: setTraining({ certification: 'RNCP1234567' }), expect: ['training.certification certification_invalid'] },
  { why: 'RS with 2 digits', quote: setTraining({ certification: 'RS12' }), expect: ['training.certification certification_invalid'] },
  { why: 'RSCH prefix', quote: setTraining({ certification: 'RSCH123' }), expect: ['training.certification certification_invalid'] },
  { why: 'empty formacode', quote: setTraining({ formacode: '' }), expect: ['training.formacode formacode_required'] },
  { why: '4-digit formacode', quote: setTraining({ formacode: '3105' }), expect: ['training.formacode formacode_invalid'] },
  { why: '6-digit formacode', quote: setTraining({ formacode: '310540' }), expect: ['training.formacode formacode_invalid'] },
  { why: 'letters in formacode', quote: setTraining({ formacode: '31O54' }), expect: ['training.formacode formacode_invalid'] },
  { why: 'empty Carif-Oref session', quote: setTraining({ carifOrefSession: '' }), expect: ['training.carifOrefSession carif_oref_session_required'] },
  { why: 'Carif-Oref session with a space', quote: setTraining({ carifOrefSession: 'SE 0001' }), expect: ['training.carifOrefSession carif_oref_session_invalid'] },
  { why: 'Carif-Oref session of 30 characters', quote: setTraining({ carifOrefSession: 'A'.repeat(30) }), expect: [] },
  { why: 'Carif-Oref session of 31 characters', quote: setTraining({ carifOrefSession: 'A'.repeat(31) }), expect: ['training.carifOrefSession carif_oref_session_invalid'] },
  { why: 'Carif-Oref session with dash and underscore', quote: setTraining({ carifOrefSession: '24_AF-0042' }), expect: [] },
  {
    why: 'all three wrong at once',
    quote: setTraining({ formacode: 'x', certification: 'RNCP', carifOrefSession: 'é' }),
    expect: ['training.formacode formacode_invalid', 'training.certification certification_invalid', 'training.carifOrefSession carif_oref_session_invalid'],
  },
]));

describe('place required unless distance learning', () => runCases(placeUnlessDistance, [
  { why: 'a place', expect: [] },
  { why: 'no place', quote: setTraining({ place: null }), expect: ['training.place place_required'] },
  { why: 'a blank place', quote: setTraining({ place: '   ' }), expect: ['training.place place_required'] },
  { why: 'distance learning without place', quote: setTraining({ place: null, distanceLearning: true }), expect: [] },
  { why: 'blended: distance learning and a place', quote: setTraining({ distanceLearning: true }), expect: [] },
]));

describe('no overlap with the candidate’s other open periods', () => {
  const periods = (...p: Array<[string, string, ('quote' | 'training')?]>) => ({ otherOpenPeriods: p.map(([startDate, endDate, kind]) => ({ startDate, endDate, kind })) });
  runCases(noOverlapWithOpenPeriods, [
    { why: 'none', expect: [] },
    { why: 'before and after', ctx: periods(['2026-05-01', '2026-05-31'], ['2026-06-27', '2026-07-31']), expect: [] },
    { why: 'ending on our start day', ctx: periods(['2026-05-01', '2026-06-01']), expect: ['training.startDate period_overlap'] },
    { why: 'starting on our end day', ctx: periods(['2026-06-26', '2026-07-31', 'training']), expect: ['training.startDate period_overlap'] },
    { why: 'inside ours', ctx: periods(['2026-06-10', '2026-06-12']), expect: ['training.startDate period_overlap'] },
    { why: 'containing ours', ctx: periods(['2026-01-01', '2026-12-31']), expect: ['training.startDate period_overlap'] },
    { why: 'two overlaps, two findings', ctx: periods(['2026-05-01', '2026-06-01'], ['2026-06-20', '2026-06-30']), expect: ['training.startDate period_overlap', 'training.startDate period_overlap'] },
    { why: 'our dates inverted: left to the end-date rule', ctx: periods(['2026-06-10', '2026-06-12']), quote: setTraining({ endDate: '2026-05-01' }), expect: [] },
  ]);

  it('says which kind of period and its dates', () => {
    const [f] = noOverlapWithOpenPeriods(aifQuote(), { ...ruleContext(), ...periods(['2026-06-20', '2026-07-10', 'training']) });
    assert.match(f.message, /déjà une formation du 20\/06\/2026 au 10\/07\/2026/);
  });
});

describe('Qualiopi valid on the start date', () => runCases(qualiopiValidOnStart, [
  { why: 'valid until 2027', expect: [] },
  { why: 'expires on the start date (last valid day)', ctx: { organisationQualiopiExpiry: '2026-06-01' }, expect: [] },
  { why: 'expires the day before the start', ctx: { organisationQualiopiExpiry: '2026-05-31' }, expect: ['training.startDate qualiopi_expired'] },
  { why: 'no certificate on file', ctx: { organisationQualiopiExpiry: null }, expect: ['training.startDate qualiopi_missing'] },
]));

describe('POEI section matches the type', () => runCases(poeiSectionMatchesType, [
  { why: 'AIF without', expect: [] },
  { why: 'POEI with', base: poeiQuote, expect: [] },
  { why: 'POEI without', base: poeiQuote, quote: (q) => (q.poei = null), expect: ['poei poei_required'] },
  { why: 'AIF with', base: poeiQuote, quote: (q) => (q.type = 'AIF'), expect: ['poei poei_not_allowed'] },
]));

describe('POEI employer part', () => {
  runCases(poeiEmployerComplete, [
    { why: 'complete', base: poeiQuote, expect: [] },
    { why: 'AIF: not checked', expect: [] },
    { why: 'no SIRET', base: poeiQuote, quote: setPoei({ employerSiret: '' }), expect: ['poei.employerSiret employer_siret_required'] },
    { why: 'SIRET with a wrong key', base: poeiQuote, quote: setPoei({ employerSiret: '73282932000075' }), expect: ['poei.employerSiret employer_siret_invalid'] },
    { why: 'SIRET of La Poste (sum rule)', base: poeiQuote, quote: setPoei({ employerSiret: '35600000049837' }), expect: [] },
    { why: 'no job offer reference', base: poeiQuote, quote: setPoei({ jobOfferReference: '' }), expect: ['poei.jobOfferReference job_offer_reference_required'] },
    { why: 'job offer reference with a space', base: poeiQuote, quote: setPoei({ jobOfferReference: '123 ABCD' }), expect: ['poei.jobOfferReference job_offer_reference_invalid'] },
    {
      why: 'no tutor',
      base: poeiQuote,
      quote: setPoei({ tutor: { lastName: '', firstName: '', jobTitle: '' } }),
      expect: ['poei.tutor.lastName tutor_last_name_required', 'poei.tutor.firstName tutor_first_name_required', 'poei.tutor.jobTitle tutor_job_title_required'],
    },
  ]);

  const contracts: Array<[NonNullable<QuoteInput['poei']>['contractType'], number | null, string | null]> = [
    ['cdi', null, null],
    ['cdi', 2, null], // ignored for a CDI
    ['cdd', null, 'contract_months_required'],
    ['cdd', 5, 'contract_too_short'],
    ['cdd', 6, null],
    ['cdd', 24, null],
    ['professionalisation', 5, 'contract_too_short'],
    ['professionalisation', 6, null],
    ['apprenticeship', 5, 'contract_too_short'],
    ['apprenticeship', 36, null],
    ['seasonal', 3, 'contract_too_short'],
    ['seasonal', 4, null],
    ['seasonal', null, 'contract_months_required'],
    ['temporary', 5, 'contract_too_short'],
    ['temporary', 6, null],
    ['temporary', 9, null],
    ['temporary', 10, 'temporary_window_exceeded'],
  ];
  runCases(
    poeiEmployerComplete,
    contracts.map(([contractType, contractMonths, code]) => ({
      why: `${contractType}, ${contractMonths ?? 'no'} months`,
      base: poeiQuote,
      quote: setPoei({ contractType, contractMonths }),
      expect: code ? [`poei.contractMonths ${code}`] : [],
    })),
  );
});

describe('validateQuote', () => {
  it('runs every rule, in the order of the form, each finding on a field of the quote', () => {
    const q = poeiQuote();
    Object.assign(q.training, { formacode: '', startDate: '2026-05-10', endDate: '2026-05-09', place: null, centreHours: 500 });
    Object.assign(q.costs, { hourlyRate: 45 });
    Object.assign(q.poei!, { employerSiret: '1', contractMonths: 1 });
    const findings = validateQuote(q, { ...ruleContext(), organisationQualiopiExpiry: null });
    assert.deepEqual(findings.map((f) => f.code), [
      'formacode_required',
      'end_before_start',
      'start_too_soon',
      'qualiopi_missing',
      'poei_hours_over_limit',
      'place_required',
      'hourly_rate_high',
      'pedagogical_cost_mismatch',
      'employer_siret_invalid',
      'contract_too_short',
    ]);
    for (const f of findings) {
      const value = f.field.split('.').reduce<unknown>((o, k) => (o as Record<string, unknown>)[k], q);
      assert.notEqual(value, undefined, f.field);
    }
    assert.equal(hasBlockingErrors(findings), true);
  });

  it('a warning alone does not block submission', () => {
    const q = aifQuote();
    Object.assign(q.costs, { hourlyRate: 35, pedagogicalCost: 4900 });
    const findings = validateQuote(q, ruleContext());
    assert.deepEqual(findings.map((f) => f.severity), ['warning']);
    assert.equal(hasBlockingErrors(findings), false);
  });

  it('lists every rule once', () => assert.equal(new Set(QUOTE_RULES.map(([, r]) => r)).size, 12));
});

describe('quoteTotals: other lines are shown, not funded', () => {
  it('splits funded and not funded in cents', () => {
    assert.deepEqual(quoteTotals(aifQuote()), { pedagogicalCents: 175000, otherCents: 17050, totalCents: 192050, fundedCents: 175000, notFundedCents: 17050 });
  });
  it('without other lines everything is funded', () => {
    const q = aifQuote();
    q.costs.otherLines = [];
    assert.deepEqual(quoteTotals(q), { pedagogicalCents: 175000, otherCents: 0, totalCents: 175000, fundedCents: 175000, notFundedCents: 0 });
  });
  it('sums cents exactly (0,10 + 0,20)', () => {
    const q = aifQuote();
    q.costs.otherLines = [{ label: 'a', amount: 0.1 }, { label: 'b', amount: 0.2 }];
    assert.equal(quoteTotals(q).notFundedCents, 30);
  });
});
