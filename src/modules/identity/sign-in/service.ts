/**
 * Signing in: throttled per login and per IP (docs/product/security.md#throttling), the password,
 * then the second factor, then a new session that replaces the browser's previous one, with a
 * mail when the device is new (#new-device-alert). Every failure gives one answer and costs the same work.
 */
import type { AppContext, RequestMeta } from '../../../context.js';
import type { Account } from '../../../db/schema.js';
import { recordAudit, recordAuditAlone } from '../../audit/service.js';
import { findAccountByLogin } from '../accounts/service.js';
import { verifyAgainstDummy, verifyPassword } from '../passwords/password-policy.js';
import { startGraceIfDue } from '../passkeys/service.js';
import { secondFactorOk } from '../second-factor/service.js';
import { createSession, endSession } from '../sessions/service.js';
import { clearFailures, recordFailure, throttledUntil, throttleKeys } from '../throttling/service.js';
import { isNewDevice, newDeviceMail } from './new-device.js';

export type SignInResult =
  | { ok: true; token: string; csrfToken: string; accountId: string }
  | { ok: false; reason: 'invalid' }
  | { ok: false; reason: 'throttled'; retryAfterSeconds: number };

/**
 * One answer for every failure (unknown login, wrong password, wrong code, inactive account),
 * and the same work for each, so neither the message nor the timing tells which one failed.
 */
export async function signIn(
  ctx: AppContext,
  input: { login: string; password: string; otp: string; previousSessionId?: string | null },
  meta: RequestMeta,
): Promise<SignInResult> {
  const now = ctx.clock.now();
  const keys = throttleKeys(ctx, input.login, meta.ip);
  const blocked = await throttledUntil(ctx.db, keys, now);
  const audit = { at: now, ip: meta.ip, requestId: meta.requestId };
  if (blocked) {
    ctx.metrics.signInFailures.inc({ reason: 'throttled' });
    await recordAuditAlone(ctx.db, { ...audit, action: 'sign_in.throttled' });
    return { ok: false, reason: 'throttled', retryAfterSeconds: Math.max(1, Math.ceil((blocked.getTime() - now.getTime()) / 1000)) };
  }
  const account = await findAccountByLogin(ctx.db, input.login);
  const passwordOk = account?.password_hash
    ? await verifyPassword(account.password_hash, input.password)
    : await verifyAgainstDummy(input.password);
  const active = account?.status === 'active';
  // The second factor is consulted only after the password, so guessing cannot burn recovery codes.
  const factorOk = !!account && passwordOk && active && (await secondFactorOk(ctx, account, input.otp.trim()));

  if (!account || !factorOk) {
    await recordFailure(ctx.db, keys, now);
    const reason = !account ? 'unknown_login' : !passwordOk ? 'password' : !active ? `status_${account.status}` : 'second_factor';
    ctx.metrics.signInFailures.inc({ reason });
    await recordAuditAlone(ctx.db, {
      ...audit,
      action: 'sign_in.failed',
      actor: account ? { id: account.id, login: account.login } : null,
      organisationId: account?.organisation_id ?? null,
      details: { reason },
    });
    return { ok: false, reason: 'invalid' };
  }

  await clearFailures(ctx.db, keys[0].key);
  const created = await openSignedInSession(ctx, account, { previousSessionId: input.previousSessionId ?? null, method: 'password' }, meta, now);
  return { ok: true, token: created.token, csrfToken: created.csrfToken, accountId: account.id };
}

/**
 * What every successful sign-in does, whatever proved the identity (password and code, or a
 * passkey): the browser's previous session ends (rotation), the new-device alert, the passkey
 * grace period when it becomes due, the new session and its audit row, in one transaction.
 */
export async function openSignedInSession(
  ctx: AppContext,
  account: Account,
  input: { previousSessionId: string | null; method: 'password' | 'passkey'; passkeyId?: string },
  meta: RequestMeta,
  now: Date,
): Promise<{ token: string; csrfToken: string; sessionId: string }> {
  const audit = { at: now, ip: meta.ip, requestId: meta.requestId };
  return ctx.db.transaction().execute(async (trx) => {
    // Rotation: whatever session the browser had before is ended, never upgraded.
    if (input.previousSessionId) await endSession(trx, input.previousSessionId, 'rotated', now);
    const newDevice = await isNewDevice(trx, account.id, meta.ip, meta.userAgent, now);
    const session = await createSession(trx, { accountId: account.id, ip: meta.ip, userAgent: meta.userAgent, now });
    if (newDevice) {
      if (account.email) await newDeviceMail(ctx, trx, account.email, now, meta.ip, meta.userAgent);
      await recordAudit(trx, { ...audit, action: 'sign_in.new_device', actor: { id: account.id, login: account.login }, organisationId: account.organisation_id, details: { mailed: !!account.email } });
    }
    await startGraceIfDue(ctx, trx, { id: account.id, login: account.login, email: account.email, organisationId: account.organisation_id }, now);
    await recordAudit(trx, {
      ...audit,
      action: 'sign_in.succeeded',
      actor: { id: account.id, login: account.login },
      organisationId: account.organisation_id,
      target: { type: 'session', id: session.sessionId.slice(0, 16) },
      // A passkey sign-in names its passkey; the password sign-in's row stays as it always was.
      ...(input.method === 'passkey' ? { details: { method: 'passkey', passkeyId: input.passkeyId } } : {}),
    });
    return session;
  });
}
