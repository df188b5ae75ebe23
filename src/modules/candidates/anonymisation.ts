/**
 * Anonymisation of closed dossiers (docs/product/security.md#anonymisation). A dossier is closed
 * when every training of the candidate has its report and no quote of theirs is still open; once
 * the last report is older than DOSSIER_RETENTION_YEARS (default 3), what identifies the person
 * goes: identifier, names, birth date (the year stays, for statistics by age), email, their
 * account's personal fields, free texts written about them (report texts, comments, the POEI
 * tutor), alert details. What the statistics need stays: quotes' training, dates, hours and
 * amounts; attendance; report outcome and certification. Each anonymisation is audited with the
 * candidate's row id only.
 */
import type { Transaction } from 'kysely';
import type { AppContext } from '../../context.js';
import type { DB } from '../../db/schema.js';
import { DAY_MS, type RecurringJob, type SchedulingWorker } from '../../jobs/recurring.js';
import { recordAudit } from '../audit/service.js';
import {
  blankAccount,
  blankCandidate,
  blankQuotesOf,
  blankTrainingsOf,
  closedDossiersBefore,
  deleteAccessCounts,
  lockCandidate,
} from './anonymisation-repository.js';

/** Daily at 04:00 UTC. */
export const DOSSIER_ANONYMISATION: RecurringJob = { kind: 'dossiers.anonymise', everyMs: DAY_MS, offsetMs: 4 * 3_600_000 };

async function anonymiseOne(trx: Transaction<DB>, candidateId: string, now: Date): Promise<void> {
  const candidate = await lockCandidate(trx, candidateId);
  if (!candidate || candidate.anonymised_at) return;
  await blankCandidate(trx, candidateId, {
    identifier: `ANON-${candidate.id.replace(/-/g, '').slice(0, 12)}`,
    last_name: 'Anonymisé',
    first_name: '',
    birth_date: `${candidate.birth_date.slice(0, 4)}-01-01`,
    email: `anonyme-${candidate.id}@invalid`,
    anonymised_at: now,
  });
  if (candidate.account_id) await blankAccount(trx, candidate.account_id, now);
  const quoteIds = await blankQuotesOf(trx, candidateId);
  const trainingIds = await blankTrainingsOf(trx, candidateId);
  await deleteAccessCounts(trx, candidateId);
  await recordAudit(trx, { at: now, action: 'candidate.anonymised', target: { type: 'candidate', id: candidateId }, details: { quotes: quoteIds.length, trainings: trainingIds.length } });
}

export async function anonymiseClosedDossiers(ctx: AppContext): Promise<number> {
  const now = ctx.clock.now();
  const before = new Date(now.getTime() - ctx.config.retention.dossierYears * 365.25 * DAY_MS);
  const ids = await closedDossiersBefore(ctx.db, before);
  for (const id of ids) await ctx.db.transaction().execute((trx) => anonymiseOne(trx, id, now));
  return ids.length;
}

export function registerDossierAnonymisation(worker: SchedulingWorker, ctx: AppContext): void {
  worker.registerRecurring(DOSSIER_ANONYMISATION, async () => {
    await anonymiseClosedDossiers(ctx);
  });
}
