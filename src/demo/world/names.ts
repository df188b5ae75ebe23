/**
 * Fictitious people for the demo world: common French first and last names put together, birth
 * dates and job-seeker identifiers invented (the 9 series is not issued). Any resemblance to a
 * real person is chance.
 */
export interface FictitiousPerson {
  lastName: string;
  firstName: string;
  birthDate: string;
  identifier: string;
}

const PEOPLE: Array<[lastName: string, firstName: string, birthDate: string]> = [
  ['Lefèvre', 'Julien', '1988-02-17'],
  ['Moreau', 'Sarah', '1995-07-03'],
  ['Girard', 'Thomas', '1979-11-24'],
  ['N’Diaye', 'Aminata', '1992-05-09'],
  ['Roux', 'Mathis', '2001-01-30'],
  ['Fontaine', 'Élodie', '1984-09-14'],
  ['Benali', 'Karim', '1990-03-21'],
  ['Chevalier', 'Léa', '1998-12-02'],
  ['Perrin', 'Nicolas', '1976-06-18'],
  ['Nguyen', 'Linh', '1993-08-27'],
  ['Gauthier', 'Manon', '1987-04-05'],
  ['Da Silva', 'Rafael', '1999-10-12'],
  ['Lambert', 'Chloé', '1991-01-08'],
  ['Mercier', 'Hugo', '1983-07-22'],
  ['Traoré', 'Moussa', '1996-02-14'],
  ['Dupuis', 'Anaïs', '1989-11-03'],
  ['Bonnet', 'Quentin', '1994-05-29'],
  ['Haddad', 'Yasmine', '1986-09-16'],
  ['Renaud', 'Baptiste', '1978-03-11'],
  ['Marchand', 'Océane', '2000-06-25'],
  ['Barbier', 'Théo', '1997-12-19'],
  ['Le Gall', 'Maëlle', '1985-08-07'],
  ['Rousseau', 'Antoine', '1992-10-01'],
  ['Petitjean', 'Inès', '1990-04-28'],
  ['Colin', 'Samuel', '1982-02-06'],
  ['Lemaire', 'Clara', '1999-03-15'],
];

/** `count` people starting at `offset`, each with an identifier of its own (9xxxxxxZ pattern). */
export function fictitiousPeople(offset: number, count: number): FictitiousPerson[] {
  return PEOPLE.slice(offset, offset + count).map(([lastName, firstName, birthDate], i) => ({
    lastName,
    firstName,
    birthDate,
    identifier: `9${String(100001 + offset + i).padStart(6, '0')}${'ABCDEFGHJKLMNPRSTUVWXYZ'[(offset + i) % 23]}`,
  }));
}

export const PEOPLE_COUNT = PEOPLE.length;

/** Colleagues an account manager of the atelier adds (staff accounts, fictitious). */
export const ATELIER_COLLEAGUES = [
  { lastName: 'Masson', firstName: 'Gaëlle' },
  { lastName: 'Royer', firstName: 'Fabrice' },
  { lastName: 'Caron', firstName: 'Justine' },
  { lastName: 'Blanchard', firstName: 'Romain' },
];
