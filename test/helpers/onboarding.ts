import { luhnValid } from '../../src/modules/onboarding/rules.js';

/** A Luhn-valid SIRET from any 13 leading digits (test data, no real company). */
export function makeSiret(first13: string): string {
  for (let d = 0; d <= 9; d++) if (luhnValid(`${first13}${d}`)) return `${first13}${d}`;
  throw new Error('unreachable');
}

let counter = 0;
/** A fresh valid SIRET per call within a test process. */
export function nextSiret(): string {
  counter += 1;
  return makeSiret(`9${String(process.pid % 1000).padStart(3, '0')}${String(counter).padStart(9, '0')}`);
}

/** A complete, valid adhesion request body (fictitious organisation). */
export function membershipRequest(siret = nextSiret()) {
  return {
    legalName: 'Organisme Essai Formation',
    siret,
    nda: '11755555575',
    qualiopi: true,
    qualiopiExpiry: '2099-06-30',
    address: '12 rue des Essais, 75011 Paris',
    accountManager: { lastName: 'Essai', firstName: 'Zoé', email: 'zoe.essai@organisme.example', phone: '01 23 45 67 89' },
  };
}

