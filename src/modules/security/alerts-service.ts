/**
 * Security alerts (bulk access, held accounts): agency administrators see all of them, an account
 * manager those of their organisation; only an agency administrator reinstates an account, after
 * reviewing the access trail (which candidates, which requests) kept with the alert.
 */
import type { AppContext, RequestMeta } from '../../context.js';
import { problems } from '../../http/problem.js';
import { byActor, recordAudit } from '../audit/service.js';
import { anyOf, hasHabilitation, requireHabilitation, type Actor } from '../habilitations/policy.js';
import { confirmHeldAccounts } from '../habilitations/creation-guard.js';
import { reinstateAccount } from '../identity/index.js';
import { WINDOW_MS } from './bulk-access.js';
import * as repo from './repository.js';
import type { ReinstateInput } from './schemas.js';

export const agencyAdmin = requireHabilitation('gid', ['agency_admin']);
export const alertReaders = anyOf(agencyAdmin, requireHabilitation('gid', ['account_manager']));
export const ALERT_NOT_FOUND = 'Cette alerte est introuvable.';

const TRAIL_LIMIT = 500;

const isAgencyAdmin = (actor: Actor) => actor.organisation?.kind === 'agency' && hasHabilitation(actor, 'gid', ['agency_admin']);

/** Agency administrators see every alert, an account manager those of their organisation. */
const scopeOf = (actor: Actor) => (isAgencyAdmin(actor) ? 'all' : (actor.organisation?.id ?? null));

const view = (r: repo.AlertRow) => ({
  id: r.id,
  kind: r.kind,
  at: r.at.toISOString(),
  status: r.status,
  account: { id: r.account_id, login: r.login, status: r.account_status },
  organisation: r.organisation_name,
  details: r.details as Record<string, unknown>,
  resolvedAt: r.resolved_at?.toISOString() ?? null,
  resolution: r.resolution,
});
export type AlertView = ReturnType<typeof view>;

/**
 * The alert, if the actor may see it; another organisation's, or an unknown one, is a 404 alike.
 * Routes run it before judging a body, so not even a 422 tells a stranger the alert exists.
 */
export async function alertInScope(ctx: AppContext, actor: Actor, id: string): Promise<repo.AlertRow> {
  const row = await repo.findAlert(ctx.db, scopeOf(actor), id);
  if (!row) throw problems.notFound(ALERT_NOT_FOUND);
  return row;
}

export async function listAlerts(ctx: AppContext, actor: Actor) {
  const rows = await repo.listAlerts(ctx.db, scopeOf(actor));
  return { alerts: rows.map(view) };
}

/**
 * The alert with its trail: the candidates the account touched in the hour before the alert
 * (identifiers only) and what it did (its audit rows) in that hour.
 */
export async function getAlert(ctx: AppContext, actor: Actor, id: string) {
  const row = await alertInScope(ctx, actor, id);
  const since = new Date(row.at.getTime() - WINDOW_MS);
  const [candidates, unmatchedLookups, actions] = await Promise.all([
    repo.candidatesTouched(ctx.db, row.account_id, since, TRAIL_LIMIT),
    repo.unmatchedLookupsSince(ctx.db, row.account_id, since),
    repo.actionsOf(ctx.db, row.account_id, since, new Date(row.at.getTime() + 60_000), TRAIL_LIMIT),
  ]);
  return {
    ...view(row),
    trail: {
      candidates: candidates.map((c) => ({ identifier: c.identifier, kind: c.kind, at: c.at.toISOString() })),
      unmatchedLookups,
      actions: actions.map((a) => ({ at: a.at.toISOString(), action: a.action, ip: a.ip, requestId: a.request_id, target: a.target_type ? { type: a.target_type, id: a.target_id } : null })),
    },
  };
}

/**
 * Agency administrators only, after review: a bulk-access alert reinstates the suspended account
 * (counts reset); an account-creation alert releases the accounts held for confirmation.
 */
export async function reinstateFromAlert(ctx: AppContext, actor: Actor, id: string, input: ReinstateInput, meta: RequestMeta) {
  if (!isAgencyAdmin(actor)) throw problems.forbidden();
  const row = await alertInScope(ctx, actor, id);
  if (row.status === 'resolved') throw problems.conflict('Cette alerte est déjà traitée : rechargez la page pour voir son état.');
  const now = ctx.clock.now();
  await ctx.db.transaction().execute(async (trx) => {
    if (!(await repo.resolveAlert(trx, id, { at: now, by: actor.accountId, resolution: input.note }))) throw problems.conflict('Cette alerte est déjà traitée : rechargez la page pour voir son état.');
    let details: Record<string, unknown>;
    if (row.kind === 'account_creation') {
      // The account manager was not suspended; the accounts held because of them are released.
      details = { released: await confirmHeldAccounts(ctx, trx, row.details as { accounts?: [] }, row.account_id) };
    } else {
      details = { accountStatus: await reinstateAccount(trx, row.account_id) };
      // Without this, the very next read would count the same hour again and suspend the account anew.
      await repo.forgetAccesses(trx, row.account_id);
    }
    await recordAudit(trx, {
      at: now,
      ...byActor(actor, meta),
      organisationId: null,
      action: 'security.alert_resolved',
      target: { type: 'account', id: row.account_id },
      details: { alert: id, kind: row.kind, ...details },
    });
  });
  return getAlert(ctx, actor, id);
}
