/**
 * Bulk-access detection (docs/product/security.md#bulk-access-detection). Both breaches of the real
 * system were legitimate partner credentials used to pull personal data at scale. Every read of a
 * candidate's personal data by staff, and every look-up of the register by identifier (matched or
 * not), is counted per account over a sliding hour (distinct candidates and identifiers, in the
 * database, so every instance sees the same count); past the threshold the
 * account is suspended at once, its sessions end, the request is refused, and the organisation's
 * account managers and the agency's administrators are alerted. Exports have a lower threshold of
 * their own. Candidates reading their own dossier are not counted: they only ever see themselves.
 */
import { createHash } from 'node:crypto';
import type { AppContext, RequestMeta } from '../../context.js';
import { HttpProblem } from '../../http/problem.js';
import { queueMail } from '../../mail/mailer.js';
import { auditPayloadOf, byActor, recordAudit, recordAuditAlone, type AuditEntry } from '../audit/service.js';
import type { Actor } from '../habilitations/policy.js';
import { suspendAccount } from '../identity/index.js';
import { securityRecipients } from './recipients.js';
import { recordAccessCountAndAudit } from './read-guard-batch.js';
import * as repo from './repository.js';
import { guardTokenAccess } from './token-bulk-access.js';

export const WINDOW_MS = 3_600_000;
export type AccessKind = 'read' | 'export';

export const SUSPENDED_FOR_BULK_ACCESS =
  'Votre compte vient d’être suspendu par mesure de sécurité : il a consulté ou recherché un nombre inhabituel de dossiers de candidats en peu de temps. ' +
  'Le responsable de gestion des comptes de votre organisme et l’agence ont été prévenus. Si ce n’était pas vous, votre poste est peut-être compromis : ' +
  'prévenez votre responsable informatique. Un administrateur de l’agence rétablira votre accès après vérification.';

/**
 * Counts `candidateIds` as read (and exported) by `actor` now, and trips the guard when a count
 * passes its threshold. Call it BEFORE returning the data: on trip it throws a 403.
 */
export async function guardCandidateAccess(ctx: AppContext, actor: Actor, candidateIds: readonly string[], meta: RequestMeta, kind: AccessKind = 'read'): Promise<void> {
  return guard(ctx, actor, candidateIds, [], meta, kind);
}

/**
 * guardCandidateAccess for a read that is also audited (a view of candidates' personal data, each
 * row of `audit`): for an account, the count and the audit rows go in one statement, the rows
 * appended only when no threshold trips, exactly as when the count ran first and threw; for a
 * candidate or an API token, the count (if any) then the rows, as before.
 */
export async function guardCandidateViews(ctx: AppContext, actor: Actor, candidateIds: readonly string[], meta: RequestMeta, audit: readonly AuditEntry[]): Promise<void> {
  if (actor.kind === 'candidate' || actor.apiToken || candidateIds.length === 0 || audit.length === 0) {
    await guard(ctx, actor, candidateIds, [], meta, 'read');
    if (audit.length > 0) await recordAuditAlone(ctx.db, audit);
    return;
  }
  return guard(ctx, actor, candidateIds, [], meta, 'read', audit);
}

/** What a look-up of the register by candidate identifier found: the candidate, or nobody. */
export interface RegisterLookup {
  identifier: string;
  candidateId: string | null;
}

/**
 * Counts look-ups of the register by identifier (quote drafts naming a candidate, an advisor
 * registering or opening one, a search) as reads, matched or not: each answer tells whether a
 * person is registered, so a run of them probes the register as surely as a run of reads. A
 * match counts as a read of that candidate; a miss counts once per identifier, kept hashed.
 * Call it outside the transaction of the change, so a refused change still counts; on trip it
 * throws a 403 like a read.
 */
export async function guardRegisterLookup(ctx: AppContext, actor: Actor, lookups: readonly RegisterLookup[], meta: RequestMeta): Promise<void> {
  const matched = lookups.flatMap((l) => (l.candidateId ? [l.candidateId] : []));
  const missed = lookups.flatMap((l) => (l.candidateId ? [] : [lookupKey(l.identifier)]));
  return guard(ctx, actor, matched, missed, meta, 'read');
}

/** The identifier as counted: normalised, then hashed (the table never holds who was looked for). */
function lookupKey(identifier: string): string {
  return createHash('sha256').update(identifier.normalize('NFKC').trim().toUpperCase()).digest('hex');
}

async function guard(
  ctx: AppContext,
  actor: Actor,
  candidateIds: readonly string[],
  lookups: readonly string[],
  meta: RequestMeta,
  kind: AccessKind,
  audit: readonly AuditEntry[] = [],
): Promise<void> {
  if (actor.kind === 'candidate' || (candidateIds.length === 0 && lookups.length === 0)) return;
  // A token's misses are not counted: its window is per token and per candidate (see docs/security.md).
  if (actor.apiToken) return candidateIds.length > 0 ? guardTokenAccess(ctx, actor, actor.apiToken, candidateIds, meta, kind) : undefined;
  const now = ctx.clock.now();
  const ids = [...new Set(candidateIds)];
  const kinds: AccessKind[] = kind === 'export' ? ['read', 'export'] : ['read'];
  const { readsPerHour, exportsPerHour } = ctx.config.bulkAccess;
  // One statement: the access written and the counts of the window, whatever the number of
  // candidates, and the read's audit rows if it has any (appended only within the threshold),
  // batched with concurrent audited reads (read-guard-batch.ts).
  const access = { accountId: actor.accountId, candidateIds: ids, kinds, at: now, since: new Date(now.getTime() - WINDOW_MS), lookups: [...new Set(lookups)] };
  const counts =
    audit.length > 0
      ? await recordAccessCountAndAudit(ctx.db, { ...access, readsAtMost: readsPerHour, audit: auditPayloadOf(audit) })
      : await repo.recordAccessAndCount(ctx.db, access);
  const reads = counts.read;
  const exports = kind === 'export' ? counts.export : 0;
  if (reads > readsPerHour) await trip(ctx, actor, meta, { kind: 'read', count: reads, threshold: readsPerHour });
  if (exports > exportsPerHour) await trip(ctx, actor, meta, { kind: 'export', count: exports, threshold: exportsPerHour });
}

async function trip(ctx: AppContext, actor: Actor, meta: RequestMeta, what: { kind: AccessKind; count: number; threshold: number }): Promise<never> {
  const now = ctx.clock.now();
  await ctx.db.transaction().execute(async (trx) => {
    // Only the request that suspends raises the alert: concurrent ones find the account already suspended.
    if (!(await suspendAccount(trx, actor.accountId, 'Accès en masse à des dossiers de candidats (détection automatique)', now, 'bulk_access'))) return;
    const organisationId = actor.organisation?.id ?? null;
    const alertId = await repo.insertBulkAccessAlert(trx, { at: now, accountId: actor.accountId, organisationId, details: { ...what, windowMinutes: WINDOW_MS / 60_000, login: actor.login } });
    await recordAudit(trx, {
      at: now,
      ...byActor(actor, meta),
      organisationId,
      action: 'security.bulk_access_suspended',
      target: { type: 'account', id: actor.accountId },
      details: { alert: alertId, ...what },
    });
    for (const to of await securityRecipients(trx, organisationId, actor.accountId)) {
      await queueMail(trx, now, {
        to,
        subject: `Alerte de sécurité Kairos : compte ${actor.login} suspendu`,
        text:
          `Bonjour,\n\nLe compte ${actor.login}${actor.organisation ? ` (${actor.organisation.name})` : ''} a consulté ou recherché ${what.count} dossiers de candidats différents en moins d’une heure ` +
          `(${what.kind === 'export' ? 'exports' : 'consultations'} ; seuil ${what.threshold}). Il a été suspendu automatiquement et ses sessions ont été fermées.\n\n` +
          `Consultez l’alerte et la trace des accès : ${ctx.config.publicUrl}/securite/alertes/${alertId}\n` +
          'Si le titulaire du compte n’est pas à l’origine de ces accès, son poste est peut-être compromis (logiciel espion) : faites-le vérifier avant toute réactivation.\n\n' +
          `L’équipe Kairos — ${ctx.config.operatorName}`,
      });
    }
  });
  throw new HttpProblem(403, 'Compte suspendu', SUSPENDED_FOR_BULK_ACCESS);
}

/** Counts older than the window serve nothing; kept a day for the alert's trail, then purged. */
export async function purgeCandidateAccess(ctx: AppContext): Promise<number> {
  return repo.purgeAccessesBefore(ctx.db, new Date(ctx.clock.now().getTime() - 24 * WINDOW_MS));
}
