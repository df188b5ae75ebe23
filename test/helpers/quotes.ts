// Quotes for tests: one that passes every rule on a given day.
import { addDays, isoWeekday } from '../../src/modules/quotes/rules/holidays.js';
import { pedagogicalCostCents } from '../../src/modules/quotes/rules/money.js';
import { minutesToHundredths, plannedMinutes } from '../../src/modules/quotes/rules/schedule.js';
import { FULL_TIME } from '../../src/modules/quotes/rules/test-fixtures.js';

/**
 * A quote that passes every rule on `today`: four weeks starting on the first Monday a month
 * away, hours and cost computed from the schedule so public holidays never break it.
 */
export function validQuote(today: string, weeksLater = 0) {
  let start = addDays(today, 30 + 7 * weeksLater);
  while (isoWeekday(start) !== 1) start = addDays(start, 1);
  const end = addDays(start, 25);
  const hundredths = minutesToHundredths(plannedMinutes(FULL_TIME, start, end));
  return {
    type: 'AIF',
    candidate: { identifier: '1234567A', lastName: 'Martin', birthDate: '1990-04-12' },
    training: {
      title: 'Titre professionnel Développeur web',
      carifOrefSession: 'SE_0000123456',
      formacode: '31054',
      certification: 'RNCP37674',
      startDate: start,
      endDate: end,
      schedule: FULL_TIME,
      centreHours: hundredths / 100,
      companyHours: 0,
      place: '12 rue des Lilas, 75011 Paris',
      distanceLearning: false,
    },
    costs: { hourlyRate: 12.5, pedagogicalCost: pedagogicalCostCents(hundredths, 1250) / 100, otherLines: [{ label: 'Frais d’inscription', amount: 50.5 }] },
    poei: null,
  };
}
