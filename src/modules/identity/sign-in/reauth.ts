/**
 * Confirming one's identity inside a session (step-up), before adding or removing a passkey:
 * the same password and second factor as at sign-in, under the same throttling (a session
 * thief cannot use this form to guess more than they could at sign-in). A passkey confirms
 * identity by signing in with it: a new session is as fresh as it gets.
 */
import type { AppContext, RequestMeta } from '../../../context.js';
import { byActor, recordAudit, recordAuditAlone } from '../../audit/service.js';
import type { Actor } from '../../habilitations/policy.js';
import { findAccountById } from '../accounts/service.js';
import { markSessionReauthenticated } from '../passkeys/service.js';
import { verifyPassword } from '../passwords/password-policy.js';
import { secondFactorOk } from '../second-factor/service.js';
import { clearFailures, recordFailure, throttledUntil, throttleKeys } from '../throttling/service.js';

export type ReauthResult = { ok: true } | { ok: false; retryAfterSeconds?: number };

export async function reauthenticate(ctx: AppContext, actor: Actor, input: { password: string; otp: string }, meta: RequestMeta): Promise<ReauthResult> {
  const now = ctx.clock.now();
  const keys = throttleKeys(ctx, actor.login, meta.ip);
  const blocked = await throttledUntil(ctx.db, keys, now);
  if (blocked) return { ok: false, retryAfterSeconds: Math.max(1, Math.ceil((blocked.getTime() - now.getTime()) / 1000)) };
  const account = await findAccountById(ctx.db, actor.accountId);
  const passwordOk = !!account.password_hash && (await verifyPassword(account.password_hash, input.password));
  const ok = passwordOk && (await secondFactorOk(ctx, account, input.otp.trim()));
  const entry = { at: now, ...byActor(actor, meta), organisationId: actor.organisation?.id ?? null };
  if (!ok) {
    await recordFailure(ctx.db, keys, now);
    await recordAuditAlone(ctx.db, { ...entry, action: 'reauthentication.failed', details: { reason: passwordOk ? 'second_factor' : 'password' } });
    return { ok: false };
  }
  await clearFailures(ctx.db, keys[0]!.key);
  await ctx.db.transaction().execute(async (trx) => {
    await markSessionReauthenticated(trx, actor.sessionId, now);
    await recordAudit(trx, { ...entry, action: 'reauthentication.succeeded' });
  });
  return { ok: true };
}
