/**
 * Account-creation guard (docs/product/security.md#account-creation-guard). The second real breach
 * was a hijacked account manager creating accounts. Beyond `accountsPerDay` accounts (or
 * `grantsPerDay` habilitation grants) by one account manager in 24 hours, each further account is
 * held: created but suspended, its activation mails not sent, until an agency administrator
 * confirms it from the security alert raised (one open alert per account manager, listing every
 * held account).
 */
import type { Transaction } from 'kysely';
import type { AppContext, RequestMeta } from '../../context.js';
import type { DB } from '../../db/schema.js';
import { queueMail } from '../../mail/mailer.js';
import { byActor, recordAudit } from '../audit/service.js';
import { reinstateAccount, suspendAccount } from '../identity/index.js';
import { issueActivationCode } from '../onboarding/activation-codes.js';
import { securityRecipients } from '../security/recipients.js';
import * as repo from './creation-guard-repository.js';
import { activationCodeMail, identifierMail } from './mails.js';
import type { Actor } from './policy.js';

export const HELD_REASON = 'En attente de confirmation par l’agence : volume inhabituel de créations de comptes ou d’habilitations.';
const DAY_MS = 86_400_000;

export type GuardedAction = 'gid.user_created' | 'gid.habilitation_granted';

/** How many times `actor` did `action` in the last 24 hours (from the audit log, which every instance shares). */
export async function doneInLastDay(trx: Transaction<DB>, actor: Actor, action: GuardedAction, now: Date): Promise<number> {
  return repo.countActionsSince(trx, actor.accountId, action, new Date(now.getTime() - DAY_MS));
}

export function limitFor(ctx: AppContext, action: GuardedAction): number {
  return action === 'gid.user_created' ? ctx.config.creationGuard.accountsPerDay : ctx.config.creationGuard.grantsPerDay;
}

interface HeldAccount {
  id: string;
  login: string;
  /** True when the activation mails were held and must be sent on confirmation. */
  activationHeld: boolean;
}

/**
 * Suspends `account` pending the agency's confirmation and records it on the account manager's
 * open alert (created, and mailed to the agency administrators, the first time).
 */
export async function holdAccount(ctx: AppContext, trx: Transaction<DB>, actor: Actor, organisationId: string, account: HeldAccount, action: GuardedAction, meta: RequestMeta): Promise<void> {
  const now = ctx.clock.now();
  await suspendAccount(trx, account.id, HELD_REASON, now, 'creation_guard');
  const open = await repo.lockOpenCreationAlert(trx, actor.accountId);
  const summary = `${actor.login} a dépassé le volume habituel de ${action === 'gid.user_created' ? 'créations de comptes' : 'attributions d’habilitations'} en 24 heures ; les comptes concernés attendent votre confirmation.`;
  if (open) {
    const details = open.details as { accounts: HeldAccount[] };
    const accounts = [...details.accounts.filter((a) => a.id !== account.id), account];
    await repo.updateAlertDetails(trx, open.id, { ...details, summary, accounts });
  } else {
    const alertId = await repo.insertCreationAlert(trx, { at: now, managerId: actor.accountId, organisationId, details: { summary, accounts: [account] } });
    for (const to of await securityRecipients(trx, null, actor.accountId)) {
      await queueMail(trx, now, {
        to,
        subject: `Alerte de sécurité Kairos : comptes à confirmer (${actor.login})`,
        text: `Bonjour,\n\n${summary}\nVérifiez auprès de l’organisme que ces créations sont légitimes avant de les confirmer : ${ctx.config.publicUrl}/securite/alertes/${alertId}\n\nL’équipe Kairos — ${ctx.config.operatorName}`,
      });
    }
  }
  await recordAudit(trx, { at: now, ...byActor(actor, meta), organisationId, action: 'gid.account_held', target: { type: 'account', id: account.id }, details: { because: action } });
}

/** The two activation mails (identifier, then code apart), as when an account is created normally. */
export async function sendActivation(
  ctx: AppContext,
  trx: Transaction<DB>,
  account: { id: string; login: string; email: string; firstName: string; lastName: string },
  organisationName: string,
  managerName: string,
): Promise<void> {
  const now = ctx.clock.now();
  const code = await issueActivationCode(trx, account.id, now);
  const { config } = ctx;
  await queueMail(trx, now, identifierMail({
    to: account.email,
    firstName: account.firstName,
    lastName: account.lastName,
    login: account.login,
    organisationName,
    managerName,
    activationUrl: `${config.publicUrl}/activation`,
    officialAddress: config.officialAddress,
    operatorName: config.operatorName,
  }));
  // A separate job, so the code travels apart from the identifier: neither mail alone opens the
  // account.
  await queueMail(trx, now, activationCodeMail({ to: account.email, code, operatorName: config.operatorName }));
}

/** The agency confirms: held accounts are released (pending activation or active again), held mails sent. */
export async function confirmHeldAccounts(ctx: AppContext, trx: Transaction<DB>, details: { accounts?: HeldAccount[] }, managerId: string): Promise<Array<{ login: string; status: string }>> {
  const managerName = await repo.displayNameOf(trx, managerId);
  const released: Array<{ login: string; status: string }> = [];
  for (const held of details.accounts ?? []) {
    const account = await repo.heldAccount(trx, held.id);
    // Suspended since for another reason (or deleted): not ours to release.
    if (!account || account.status !== 'suspended' || account.suspension_origin !== 'creation_guard') continue;
    const status = await reinstateAccount(trx, account.id);
    if (held.activationHeld && account.email) {
      await sendActivation(ctx, trx, { id: account.id, login: account.login, email: account.email, firstName: account.first_name ?? '', lastName: account.last_name ?? '' }, account.organisation_name, managerName);
    }
    released.push({ login: account.login, status: status ?? account.status });
  }
  return released;
}
