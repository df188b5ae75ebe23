/**
 * Signing in with a passkey alone: a user-verifying passkey proves both factors at once, so no
 * password or code is asked. Everything else is as for the password (service.ts): the same
 * throttling per IP and per login, the same account-status check, one answer for every failure,
 * the same session opening, new-device alert and audit.
 */
import type { AuthenticationResponseJSON } from '@simplewebauthn/server';
import type { AppContext, RequestMeta } from '../../../context.js';
import { recordAuditAlone } from '../../audit/service.js';
import { findAccountById } from '../accounts/service.js';
import { checkPasskeyAssertion, startPasskeySignIn } from '../passkeys/service.js';
import { clearFailures, recordFailure, throttledUntil, throttleKeys, type ThrottleKey } from '../throttling/service.js';
import { openSignedInSession, type SignInResult } from './service.js';

export { startPasskeySignIn };

export async function signInWithPasskey(
  ctx: AppContext,
  input: { flowToken: string | null; response: AuthenticationResponseJSON; previousSessionId: string | null },
  meta: RequestMeta,
): Promise<SignInResult> {
  const now = ctx.clock.now();
  const audit = { at: now, ip: meta.ip, requestId: meta.requestId };
  // The IP's counter first: who the passkey names is known only once it is looked up.
  const ipKeys = throttleKeys(ctx, '', meta.ip).slice(1);
  const throttled = async (keys: ThrottleKey[]) => {
    const blocked = await throttledUntil(ctx.db, keys, now);
    if (!blocked) return null;
    ctx.metrics.signInFailures.inc({ reason: 'throttled' });
    await recordAuditAlone(ctx.db, { ...audit, action: 'sign_in.throttled', details: { method: 'passkey' } });
    return { ok: false as const, reason: 'throttled' as const, retryAfterSeconds: Math.max(1, Math.ceil((blocked.getTime() - now.getTime()) / 1000)) };
  };
  const ipBlocked = await throttled(ipKeys);
  if (ipBlocked) return ipBlocked;

  const verdict = await checkPasskeyAssertion(ctx, input.flowToken, input.response);
  const account = verdict.accountId ? await findAccountById(ctx.db, verdict.accountId) : null;
  const keys = account ? throttleKeys(ctx, account.login, meta.ip) : ipKeys;
  // A login locked by failed passwords stays locked for its passkeys too: one rule for the account.
  const accountBlocked = account ? await throttled(keys) : null;
  if (accountBlocked) return accountBlocked;
  const active = account?.status === 'active';

  if (!verdict.ok || !account || !active) {
    await recordFailure(ctx.db, keys, now);
    const reason = !verdict.ok ? `passkey_${verdict.reason}` : !account ? 'unknown_login' : `status_${account.status}`;
    ctx.metrics.signInFailures.inc({ reason });
    await recordAuditAlone(ctx.db, {
      ...audit,
      action: 'sign_in.failed',
      actor: account ? { id: account.id, login: account.login } : null,
      organisationId: account?.organisation_id ?? null,
      details: { reason, method: 'passkey' },
    });
    return { ok: false, reason: 'invalid' };
  }

  await clearFailures(ctx.db, keys[0]!.key);
  const created = await openSignedInSession(ctx, account, { previousSessionId: input.previousSessionId, method: 'passkey', passkeyId: verdict.passkeyId }, meta, now);
  return { ok: true, token: created.token, csrfToken: created.csrfToken, accountId: account.id };
}
