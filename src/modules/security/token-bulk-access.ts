/**
 * Bulk-access detection for organisation API tokens: the same thresholds and window as for an
 * account, counted per token. Past a threshold the token is revoked at once (not the account
 * that issued it: that person did nothing), a security alert is raised on that account's name
 * with the token in its details, and the organisation's account managers and the agency's
 * administrators are mailed.
 */
import type { AppContext, RequestMeta } from '../../context.js';
import { HttpProblem } from '../../http/problem.js';
import { queueMail } from '../../mail/mailer.js';
import { revokeTokenAutomatically } from '../api-tokens/index.js';
import { byActor, recordAudit } from '../audit/service.js';
import type { Actor } from '../habilitations/policy.js';
import { WINDOW_MS, type AccessKind } from './bulk-access.js';
import { securityRecipients } from './recipients.js';
import * as repo from './repository.js';

export const TOKEN_REVOKED_FOR_BULK_ACCESS =
  'Ce jeton d’API vient d’être révoqué par mesure de sécurité : il a consulté un nombre inhabituel de dossiers de candidats en peu de temps. ' +
  'Le responsable de gestion des comptes de votre organisme et l’agence ont été prévenus ; il peut créer un nouveau jeton après vérification.';

export async function guardTokenAccess(
  ctx: AppContext,
  actor: Actor,
  token: { id: string; name: string },
  candidateIds: readonly string[],
  meta: RequestMeta,
  kind: AccessKind,
): Promise<void> {
  const now = ctx.clock.now();
  const ids = [...new Set(candidateIds)];
  const kinds: AccessKind[] = kind === 'export' ? ['read', 'export'] : ['read'];
  for (const k of kinds) await repo.recordTokenAccess(ctx.db, token.id, ids, k, now);
  const since = new Date(now.getTime() - WINDOW_MS);
  const { readsPerHour, exportsPerHour } = ctx.config.bulkAccess;
  const reads = await repo.distinctTokenAccessedSince(ctx.db, token.id, 'read', since);
  const exports = kind === 'export' ? await repo.distinctTokenAccessedSince(ctx.db, token.id, 'export', since) : 0;
  if (reads > readsPerHour) await trip(ctx, actor, token, meta, { kind: 'read', count: reads, threshold: readsPerHour });
  if (exports > exportsPerHour) await trip(ctx, actor, token, meta, { kind: 'export', count: exports, threshold: exportsPerHour });
}

async function trip(ctx: AppContext, actor: Actor, token: { id: string; name: string }, meta: RequestMeta, what: { kind: AccessKind; count: number; threshold: number }): Promise<never> {
  const now = ctx.clock.now();
  await ctx.db.transaction().execute(async (trx) => {
    // Only the request that revokes raises the alert: concurrent ones find the token already revoked.
    if (!(await revokeTokenAutomatically(trx, token.id, 'bulk_access', now))) return;
    const organisationId = actor.organisation?.id ?? null;
    const details = { ...what, windowMinutes: WINDOW_MS / 60_000, login: actor.login, apiToken: { id: token.id, name: token.name } };
    const alertId = await repo.insertBulkAccessAlert(trx, { at: now, accountId: actor.accountId, organisationId, details });
    await recordAudit(trx, {
      at: now,
      ...byActor(actor, meta),
      organisationId,
      action: 'security.bulk_access_token_revoked',
      target: { type: 'api_token', id: token.id },
      details: { alert: alertId, ...what },
    });
    for (const to of await securityRecipients(trx, organisationId, '')) {
      await queueMail(trx, now, {
        to,
        subject: `Alerte de sécurité Kairos : jeton d’API « ${token.name} » révoqué`,
        text:
          `Bonjour,\n\nLe jeton d’API « ${token.name} »${actor.organisation ? ` (${actor.organisation.name})` : ''} a consulté ${what.count} dossiers de candidats différents en moins d’une heure ` +
          `(${what.kind === 'export' ? 'exports' : 'consultations'} ; seuil ${what.threshold}). Il a été révoqué automatiquement.\n\n` +
          `Consultez l’alerte : ${ctx.config.publicUrl}/securite/alertes/${alertId}\n` +
          'Vérifiez le logiciel qui utilisait ce jeton et l’endroit où il était conservé avant d’en créer un nouveau : le secret a peut-être fuité.\n\n' +
          `L’équipe Kairos — ${ctx.config.operatorName}`,
      });
    }
  });
  throw new HttpProblem(403, 'Jeton révoqué', TOKEN_REVOKED_FOR_BULK_ACCESS);
}
