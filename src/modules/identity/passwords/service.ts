/** Changing one's password (docs/product/security.md#passwords). */
import type { AppContext, RequestMeta } from '../../../context.js';
import { recordAudit } from '../../audit/service.js';
import type { Actor } from '../../habilitations/policy.js';
import { findAccountById, setPasswordHash } from '../accounts/repository.js';
import { endAllSessions } from '../sessions/service.js';
import { passwordChangedMail } from './mail.js';
import { checkPassword, hashPassword, minPasswordLength, verifyPassword } from './password-policy.js';

export type ChangePasswordResult = { ok: true } | { ok: false; field: 'currentPassword' | 'newPassword'; message: string };

/** Changing the password ends every session of the account, the current one included. */
export async function changePassword(
  ctx: AppContext,
  actor: Actor,
  input: { currentPassword: string; newPassword: string },
  meta: RequestMeta,
): Promise<ChangePasswordResult> {
  const account = await findAccountById(ctx.db, actor.accountId);
  if (!account.password_hash || !(await verifyPassword(account.password_hash, input.currentPassword))) {
    return { ok: false, field: 'currentPassword', message: 'Le mot de passe actuel est incorrect.' };
  }
  const roles = actor.habilitations.map((h) => h.role);
  const check = await checkPassword(input.newPassword, {
    minLength: minPasswordLength(roles),
    userInputs: [account.login, account.display_name, account.email ?? ''],
  });
  if (!check.ok) return { ok: false, field: 'newPassword', message: check.message };
  const hash = await hashPassword(input.newPassword);
  const now = ctx.clock.now();
  await ctx.db.transaction().execute(async (trx) => {
    await setPasswordHash(trx, account.id, hash, now);
    const ended = await endAllSessions(trx, account.id, 'password_change', now);
    await recordAudit(trx, {
      at: now,
      action: 'password.changed',
      actor: { id: account.id, login: account.login },
      organisationId: account.organisation_id,
      target: { type: 'account', id: account.id },
      ip: meta.ip,
      requestId: meta.requestId,
      details: { sessionsEnded: ended },
    });
    // ASVS 2.2.3: the owner hears of it, so a password changed by someone else does not go unnoticed.
    if (account.email) await passwordChangedMail(ctx, trx, account.email, now, meta.ip);
  });
  return { ok: true };
}
