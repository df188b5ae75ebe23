/** The demo organisations' offer: trainings, schedules and places their quotes are built from. */
import type { Schedule } from '../../modules/quotes/rules/schedule.js';

/** Monday to Friday, 09:00–12:30 and 13:30–17:00: 35 h a week. */
export const FULL_TIME: Schedule = [1, 2, 3, 4, 5].flatMap((weekday) => [
  { weekday, from: '09:00', to: '12:30' },
  { weekday, from: '13:30', to: '17:00' },
]);

/** Monday to Thursday, 08:30–12:00 and 13:00–16:30: 28 h a week, Friday for the job search. */
export const FOUR_DAYS: Schedule = [1, 2, 3, 4].flatMap((weekday) => [
  { weekday, from: '08:30', to: '12:00' },
  { weekday, from: '13:00', to: '16:30' },
]);

export interface Course {
  title: string;
  formacode: string;
  certification: string | null;
  schedule: Schedule;
  /** Euros per hour in the centre. */
  hourlyRate: number;
}

export const COURSES = {
  web: { title: 'Titre professionnel Développeur web et web mobile', formacode: '31054', certification: 'RNCP37674', schedule: FULL_TIME, hourlyRate: 13.5 },
  secretary: { title: 'Titre professionnel Secrétaire assistant', formacode: '35054', certification: 'RNCP36805', schedule: FULL_TIME, hourlyRate: 11 },
  accounting: { title: 'Titre professionnel Comptable assistant', formacode: '32663', certification: 'RNCP37698', schedule: FOUR_DAYS, hourlyRate: 12 },
  forklift: { title: 'Conduite de chariots élévateurs (CACES R489)', formacode: '31812', certification: 'RS5161', schedule: FULL_TIME, hourlyRate: 16 },
  care: { title: 'Titre professionnel Assistant de vie aux familles', formacode: '44028', certification: 'RNCP37805', schedule: FOUR_DAYS, hourlyRate: 10.5 },
  sales: { title: 'Vendeur conseil en magasin', formacode: '34566', certification: null, schedule: FULL_TIME, hourlyRate: 11.5 },
} satisfies Record<string, Course>;

export const PLACES = {
  formapro: '14 rue de la Formation, 69003 Lyon',
  atelier: '3 quai des Ateliers, 33000 Bordeaux',
} as const;
