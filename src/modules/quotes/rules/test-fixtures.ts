/** Shared test data for the quote rule and schema tests (not a test file itself). */
import type { QuoteInput, QuoteRuleContext } from './quote-rules.js';

/** Monday to Friday, 09:00–12:30 and 13:30–17:00: 7 h a day. */
export const FULL_TIME = [1, 2, 3, 4, 5].flatMap((weekday) => [
  { weekday, from: '09:00', to: '12:30' },
  { weekday, from: '13:30', to: '17:00' },
]);

/** 1–26 June 2026: 20 weekdays, no public holiday, 140 h; 140 h × 12,50 € = 1 750 €. */
export function aifQuote(): QuoteInput {
  return {
    type: 'AIF',
    candidate: { identifier: '1234567A', lastName: 'Martin', birthDate: '1990-04-12' },
    training: {
      title: 'Titre professionnel Développeur web et web mobile',
      carifOrefSession: 'SE_0000123456',
      formacode: '31054',
      certification: 'RNCP37674',
      startDate: '2026-06-01',
      endDate: '2026-06-26',
      schedule: structuredClone(FULL_TIME),
      centreHours: 105,
      companyHours: 35,
      place: '12 rue des Lilas, 75011 Paris',
      distanceLearning: false,
    },
    costs: {
      hourlyRate: 12.5,
      pedagogicalCost: 1750,
      otherLines: [
        { label: 'Frais d’inscription', amount: 50 },
        { label: 'Passage de la certification', amount: 120.5 },
      ],
    },
    poei: null,
  };
}

export function poeiQuote(): QuoteInput {
  return {
    ...aifQuote(),
    type: 'POEI',
    poei: {
      employerSiret: '73282932000074',
      jobOfferReference: '123ABCD',
      contractType: 'cdd',
      contractMonths: 6,
      tutor: { lastName: 'Durand', firstName: 'Zoé', jobTitle: 'Cheffe de projet' },
    },
  };
}

export function ruleContext(): QuoteRuleContext {
  return {
    today: '2026-05-04',
    leadTimeDays: 14,
    poeiMaxHours: 400,
    hourlyRateWarningCents: 3000,
    organisationQualiopiExpiry: '2027-06-30',
    otherOpenPeriods: [],
  };
}
