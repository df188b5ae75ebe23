/**
 * Training records for the follow-up tests. Rather than taking a quote through its whole path,
 * a test inserts what an approval leaves behind: an approved quote of the candidate,
 * with its training section as quotes/quote-json.ts stores it, and the `planned` training row.
 */
import { randomBytes } from 'node:crypto';
import type { Database } from '../../src/db/database.js';
import type { StoredQuoteData } from '../../src/modules/quotes/record/quote-json.js';
import { minutesToHundredths, plannedMinutes, type Schedule } from '../../src/modules/quotes/rules/schedule.js';

/** Monday to Friday, 09:00–12:30 and 13:30–17:00: 7 h a day, two half-days of 3 h 30. */
export const FULL_TIME: Schedule = [1, 2, 3, 4, 5].flatMap((weekday) => [
  { weekday, from: '09:00', to: '12:30' },
  { weekday, from: '13:30', to: '17:00' },
]);

/** Every day of the week, morning and afternoon (for files with many half-days per trainee). */
export const EVERY_DAY: Schedule = [1, 2, 3, 4, 5, 6, 7].flatMap((weekday) => [
  { weekday, from: '09:00', to: '12:00' },
  { weekday, from: '14:00', to: '17:00' },
]);

export interface TrainingSpec {
  organisation: string;
  candidate: string;
  startDate: string;
  endDate: string;
  session: string;
  title?: string;
  schedule?: Schedule;
  /** Login of the advisor who approved the quote (null: nobody known). */
  approvedBy?: string | null;
  /** When the quote was approved and the training created (the test's clock). */
  at?: Date;
}

async function accountId(db: Database, login: string): Promise<string> {
  return (await db.selectFrom('account').select('id').where('login', '=', login).executeTakeFirstOrThrow()).id;
}

export async function organisationId(db: Database, name: string): Promise<string> {
  return (await db.selectFrom('organisation').select('id').where('name', '=', name).executeTakeFirstOrThrow()).id;
}

/** An approved quote and its planned training; returns the training id. */
export async function createTraining(db: Database, spec: TrainingSpec): Promise<{ id: string; quoteId: string }> {
  const now = spec.at ?? new Date();
  const schedule = spec.schedule ?? FULL_TIME;
  const org = await organisationId(db, spec.organisation);
  const candidate = await db.selectFrom('candidate').select('id').where('identifier', '=', spec.candidate).executeTakeFirstOrThrow();
  const editor = await db.selectFrom('account').select('id').where('organisation_id', '=', org).orderBy('login').executeTakeFirstOrThrow();
  const advisor = spec.approvedBy === null ? null : await accountId(db, spec.approvedBy ?? 'conseiller.demo');
  const hours = minutesToHundredths(plannedMinutes(schedule, spec.startDate, spec.endDate)) / 100;
  const title = spec.title ?? 'Titre professionnel Développeur web';
  const data: StoredQuoteData = {
    training: {
      title,
      carifOrefSession: spec.session,
      formacode: '31054',
      certification: 'RNCP37674',
      startDate: spec.startDate,
      endDate: spec.endDate,
      schedule,
      centreHours: hours,
      companyHours: 0,
      place: '12 rue des Lilas, 75011 Paris',
      distanceLearning: false,
    },
    costs: { hourlyRateCents: 1250, pedagogicalCostCents: Math.round(hours * 1250), otherLines: [] },
    poei: null,
  };
  const quote = await db
    .insertInto('quote')
    .values({
      organisation_id: org,
      candidate_id: candidate.id,
      type: 'AIF',
      status: 'approved',
      data: JSON.stringify(data),
      created_at: now,
      updated_at: now,
      created_by: editor.id,
      submitted_at: now,
      accepted_at: now,
      decided_at: now,
      decided_by: advisor,
      agreement_reference: `APC-TEST-${randomBytes(4).toString('hex').toUpperCase()}`,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  const training = await db
    .insertInto('training')
    .values({
      quote_id: quote.id,
      quote_version: 1,
      organisation_id: org,
      candidate_id: candidate.id,
      title,
      carif_oref_session: spec.session,
      start_date: spec.startDate,
      end_date: spec.endDate,
      created_at: now,
      updated_at: now,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return { id: training.id, quoteId: quote.id };
}

/** A candidate record without an account (many trainees for an import). */
export async function createCandidate(db: Database, identifier: string, lastName: string, firstName = 'Test'): Promise<void> {
  await db
    .insertInto('candidate')
    .values({ identifier, last_name: lastName, first_name: firstName, birth_date: '1990-01-01', email: `${identifier.toLowerCase()}@exemple.fr`, account_id: null, created_at: new Date(), created_by: null })
    .execute();
}

/** Grants a Kairos role to an existing demo account, in the test database only. */
export async function grantKairosRole(db: Database, login: string, role: string): Promise<void> {
  const account = await db.selectFrom('account').select(['id', 'organisation_id']).where('login', '=', login).executeTakeFirstOrThrow();
  await db.insertInto('habilitation').values({ account_id: account.id, organisation_id: account.organisation_id!, application: 'kairos', role, granted_by: null }).execute();
}
