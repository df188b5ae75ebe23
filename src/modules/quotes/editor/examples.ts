/**
 * Examples of the quote API's bodies for docs/api.md and the OpenAPI document (the cancel body's
 * is declared on its schema; a refined schema such as the quote's drops its metadata when turned
 * into JSON Schema, so the quote's is checked by the OpenAPI test only): a whole AIF
 * quote for the demo candidate, four full-time weeks without a public holiday (140 hours at
 * 12.50 € an hour). The OpenAPI test checks that it still passes the route's schema.
 */
const FULL_TIME = [1, 2, 3, 4, 5].flatMap((weekday) => [
  { weekday, from: '09:00', to: '12:30' },
  { weekday, from: '13:30', to: '17:00' },
]);

export const QUOTE_CREATE_EXAMPLE = {
  type: 'AIF',
  candidate: { identifier: '1234567A', lastName: 'Martin', birthDate: '1990-04-12' },
  training: {
    title: 'Titre professionnel Développeur web',
    carifOrefSession: 'SE_0000123456',
    formacode: '31054',
    certification: 'RNCP37674',
    startDate: '2027-02-08',
    endDate: '2027-03-05',
    schedule: FULL_TIME,
    centreHours: 140,
    companyHours: 0,
    place: '12 rue des Lilas, 75011 Paris',
    distanceLearning: false,
  },
  costs: { hourlyRate: 12.5, pedagogicalCost: 1750, otherLines: [{ label: 'Frais d’inscription', amount: 50.5 }] },
  poei: null,
};

/** PATCH replaces whole sections: here the costs. */
export const QUOTE_PATCH_EXAMPLE = {
  costs: { hourlyRate: 13, pedagogicalCost: 1820, otherLines: [] },
};

export const QUOTE_CANCEL_EXAMPLE = { reason: 'Le candidat a trouvé un emploi avant le début de la formation.', version: 1 };
