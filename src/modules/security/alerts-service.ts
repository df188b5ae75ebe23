/**
 * Security alerts (bulk access, held accounts): agency administrators see all of them, an account
 * manager those of their organisation; only an agency administrator reinstates an account, after
 * reviewing the access trail (which candidates, which requests) kept with the alert.
 */
import { z } from 'zod';
import type { AppContext, RequestMeta } from '../../context.js';
import { fieldErrorsFrom, problems } from '../../http/problem.js';
import { byActor, recordAudit } from '../audit/service.js';
import { anyOf, hasHabilitation, requireHabilitation, type Actor } from '../habilitations/policy.js';
import { confirmHeldAccounts } from '../habilitations/creation-guard.js';
import { reinstateAccount } from '../identity/index.js';
import { WINDOW_MS } from './bulk-access.js';

export const agencyAdmin = requireHabilitation('gid', ['agency_admin']);
export const alertReaders = anyOf(agencyAdmin, requireHabilitation('gid', ['account_manager']));
export const ALERT_NOT_FOUND = 'Cette alerte est introuvable.';

const TRAIL_LIMIT = 500;

const isAgencyAdmin = (actor: Actor) => actor.organisation?.kind === 'agency' && hasHabilitation(actor, 'gid', ['agency_admin']);

function scoped(ctx: AppContext, actor: Actor) {
  let q = ctx.db.selectFrom('security_alert').innerJoin('account', 'account.id', 'security_alert.account_id').leftJoin('organisation', 'organisation.id', 'security_alert.organisation_id');
  if (!isAgencyAdmin(actor)) q = q.where('security_alert.organisation_id', '=', actor.organisation?.id ?? '00000000-0000-0000-0000-000000000000');
  return q.select([
    'security_alert.id',
    'security_alert.kind',
    'security_alert.at',
    'security_alert.status',
    'security_alert.details',
    'security_alert.resolved_at',
    'security_alert.resolution',
    'security_alert.account_id',
    'account.login',
    'account.status as account_status',
    'organisation.name as organisation_name',
  ]);
}

type AlertRow = Awaited<ReturnType<ReturnType<typeof scoped>['executeTakeFirstOrThrow']>>;

const view = (r: AlertRow) => ({
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

export async function listAlerts(ctx: AppContext, actor: Actor) {
  const rows = await scoped(ctx, actor).orderBy('security_alert.at', 'desc').limit(200).execute();
  return { alerts: rows.map(view) };
}

/**
 * The alert with its trail: the candidates the account touched in the hour before the alert
 * (identifiers only) and what it did (its audit rows) in that hour.
 */
export async function getAlert(ctx: AppContext, actor: Actor, id: string) {
  const row = await scoped(ctx, actor).where('security_alert.id', '=', id).executeTakeFirst();
  if (!row) throw problems.notFound(ALERT_NOT_FOUND);
  const since = new Date(row.at.getTime() - WINDOW_MS);
  const [candidates, actions] = await Promise.all([
    ctx.db
      .selectFrom('candidate_access')
      .innerJoin('candidate', 'candidate.id', 'candidate_access.candidate_id')
      .select(['candidate.identifier', 'candidate_access.kind', 'candidate_access.at'])
      .where('candidate_access.account_id', '=', row.account_id)
      .where('candidate_access.at', '>=', since)
      .orderBy('candidate_access.at', 'desc')
      .limit(TRAIL_LIMIT)
      .execute(),
    ctx.db
      .selectFrom('audit_log')
      .select(['at', 'action', 'ip', 'request_id', 'target_type', 'target_id'])
      .where('actor_id', '=', row.account_id)
      .where('at', '>=', since)
      .where('at', '<=', new Date(row.at.getTime() + 60_000))
      .orderBy('id', 'desc')
      .limit(TRAIL_LIMIT)
      .execute(),
  ]);
  return {
    ...view(row),
    trail: {
      candidates: candidates.map((c) => ({ identifier: c.identifier, kind: c.kind, at: c.at.toISOString() })),
      actions: actions.map((a) => ({ at: a.at.toISOString(), action: a.action, ip: a.ip, requestId: a.request_id, target: a.target_type ? { type: a.target_type, id: a.target_id } : null })),
    },
  };
}

export const reinstateSchema = z.strictObject({
  note: z
    .string({ error: (iss) => (iss.input === undefined ? 'Constat (note) : champ obligatoire.' : 'Constat (note) : texte attendu.') })
    .trim()
    .min(10, 'Constat (note) : décrivez en au moins 10 caractères ce que vous avez vérifié (poste analysé, titulaire joint…).')
    .max(2000, 'Constat (note) : 2 000 caractères au maximum.'),
});

/**
 * Agency administrators only, after review: a bulk-access alert reinstates the suspended account
 * (counts reset); an account-creation alert releases the accounts held for confirmation.
 */
export async function reinstateFromAlert(ctx: AppContext, actor: Actor, id: string, body: unknown, meta: RequestMeta) {
  if (!isAgencyAdmin(actor)) throw problems.forbidden();
  const row = await scoped(ctx, actor).where('security_alert.id', '=', id).executeTakeFirst();
  if (!row) throw problems.notFound(ALERT_NOT_FOUND);
  const parsed = reinstateSchema.safeParse(body ?? {});
  if (!parsed.success) throw problems.invalid(fieldErrorsFrom(parsed.error.issues));
  if (row.status === 'resolved') throw problems.conflict('Cette alerte est déjà traitée : rechargez la page pour voir son état.');
  const now = ctx.clock.now();
  await ctx.db.transaction().execute(async (trx) => {
    const updated = await trx
      .updateTable('security_alert')
      .set({ status: 'resolved', resolved_at: now, resolved_by: actor.accountId, resolution: parsed.data.note })
      .where('id', '=', id)
      .where('status', '=', 'open')
      .executeTakeFirst();
    if (Number(updated.numUpdatedRows) !== 1) throw problems.conflict('Cette alerte est déjà traitée : rechargez la page pour voir son état.');
    let details: Record<string, unknown>;
    if (row.kind === 'account_creation') {
      // The account manager was not suspended; the accounts held because of them are released.
      details = { released: await confirmHeldAccounts(ctx, trx, row.details as { accounts?: [] }, row.account_id) };
    } else {
      details = { accountStatus: await reinstateAccount(trx, row.account_id) };
      // Without this, the very next read would count the same hour again and suspend the account anew.
      await trx.deleteFrom('candidate_access').where('account_id', '=', row.account_id).execute();
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
