import type { AppContext, RequestMeta } from '../../context.js';
import { byActor, recordAudit, recordAuditAlone } from '../audit/service.js';
import type { Actor } from '../habilitations/policy.js';
import { checkPassword, hashPassword, minPasswordLength, verifyAgainstDummy, verifyPassword } from './password-policy.js';
import { hashRecoveryCode, looksLikeRecoveryCode, normaliseRecoveryCode } from './recovery-codes.js';
import {
  advanceTotpStep,
  findAccountByLogin,
  findLiveSession,
  findUnusedRecoveryCode,
  listSessions,
  loadActor,
  normaliseLogin,
  useRecoveryCode,
} from './repository.js';
import { isNewDevice, newDeviceMail, passwordChangedMail } from './new-device.js';
import { createSession, endAllSessions, endSession, expiryReason, needsTouch, sessionIdFromToken, touchSession } from './sessions.js';
import { clearFailures, recordFailure, throttledUntil, type ThrottleKey } from './throttle.js';
import { verifyTotp } from './totp.js';
import type { Account } from '../../db/schema.js';

/** Activation (onboarding) looks an account up by its login, as sign-in does. */
export { findAccountByLogin };

export type SignInResult =
  | { ok: true; token: string; csrfToken: string; accountId: string }
  | { ok: false; reason: 'invalid' }
  | { ok: false; reason: 'throttled'; retryAfterSeconds: number };

/**
 * Throttle keys for an attempt on an identifier (sign-in, activation): one per identifier,
 * whether it exists or not, and one per IP address.
 */
export function throttleKeys(ctx: AppContext, login: string, ip: string | null, scope = 'login'): ThrottleKey[] {
  const t = ctx.config.throttle;
  const hour = 3_600_000;
  const keys: ThrottleKey[] = [
    {
      key: `${scope}:${normaliseLogin(login)}`,
      policy: { freeAttempts: 3, lockoutThreshold: t.lockoutThreshold, lockoutMs: t.lockoutMinutes * 60_000, forgetAfterMs: hour },
    },
  ];
  if (ip) {
    keys.push({
      key: `${scope}-ip:${ip}`,
      policy: { freeAttempts: 20, lockoutThreshold: t.ipLockoutThreshold, lockoutMs: t.lockoutMinutes * 60_000, forgetAfterMs: hour },
    });
  }
  return keys;
}

/**
 * Checks the second factor: a TOTP code, or one of the account's recovery codes. Candidates
 * without an enrolled factor need none; staff always do (see
 * docs/product/security.md#second-factor).
 */
async function secondFactorOk(ctx: AppContext, account: Account, otp: string): Promise<boolean> {
  if (!account.totp_secret_sealed) return account.kind === 'candidate';
  if (looksLikeRecoveryCode(otp)) {
    const code = normaliseRecoveryCode(otp);
    if (!code) return false;
    const row = await findUnusedRecoveryCode(ctx.db, account.id, hashRecoveryCode(code));
    return !!row && (await useRecoveryCode(ctx.db, row.id, ctx.clock.now()));
  }
  const secret = ctx.secretBox.open(account.totp_secret_sealed);
  const verdict = verifyTotp({ secret, code: otp, now: ctx.clock.now(), lastUsedStep: account.totp_last_step });
  return verdict.ok && (await advanceTotpStep(ctx.db, account.id, verdict.step));
}

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
  const created = await ctx.db.transaction().execute(async (trx) => {
    // Rotation: whatever session the browser had before is ended, never upgraded.
    if (input.previousSessionId) await endSession(trx, input.previousSessionId, 'rotated', now);
    const newDevice = await isNewDevice(trx, account.id, meta.ip, meta.userAgent, now);
    const session = await createSession(trx, { accountId: account.id, ip: meta.ip, userAgent: meta.userAgent, now });
    if (newDevice) {
      if (account.email) await newDeviceMail(ctx, trx, account.email, now, meta.ip, meta.userAgent);
      await recordAudit(trx, { ...audit, action: 'sign_in.new_device', actor: { id: account.id, login: account.login }, organisationId: account.organisation_id, details: { mailed: !!account.email } });
    }
    await recordAudit(trx, {
      ...audit,
      action: 'sign_in.succeeded',
      actor: { id: account.id, login: account.login },
      organisationId: account.organisation_id,
      target: { type: 'session', id: session.sessionId.slice(0, 16) },
    });
    return session;
  });
  return { ok: true, token: created.token, csrfToken: created.csrfToken, accountId: account.id };
}

export interface ResolvedSession {
  actor: Actor;
  csrfToken: string;
}

/** The actor behind a session cookie, or null when the session is unknown, ended or expired. */
export async function resolveSession(ctx: AppContext, token: string): Promise<ResolvedSession | null> {
  if (!token || token.length > 100) return null;
  const sessionId = sessionIdFromToken(token);
  const session = await findLiveSession(ctx.db, sessionId);
  if (!session) return null;
  const now = ctx.clock.now();
  const expired = expiryReason(session, now, ctx.config.session);
  if (expired) {
    await endSession(ctx.db, sessionId, expired, now);
    return null;
  }
  if (session.status !== 'active' || session.organisationStatus === 'suspended') {
    await endSession(ctx.db, sessionId, 'suspended', now);
    return null;
  }
  if (needsTouch(session.last_seen_at, now)) await touchSession(ctx.db, sessionId, now);
  return { actor: await loadActor(ctx.db, session), csrfToken: session.csrfToken };
}

export async function signOut(ctx: AppContext, actor: Actor, meta: RequestMeta): Promise<void> {
  const now = ctx.clock.now();
  await ctx.db.transaction().execute(async (trx) => {
    await endSession(trx, actor.sessionId, 'sign_out', now);
    await recordAudit(trx, {
      at: now,
      action: 'sign_out',
      ...byActor(actor, meta),
      organisationId: actor.organisation?.id ?? null,
    });
  });
}

export type ChangePasswordResult = { ok: true } | { ok: false; field: 'currentPassword' | 'newPassword'; message: string };

/** Changing the password ends every session of the account, the current one included. */
export async function changePassword(
  ctx: AppContext,
  actor: Actor,
  input: { currentPassword: string; newPassword: string },
  meta: RequestMeta,
): Promise<ChangePasswordResult> {
  const account = await ctx.db.selectFrom('account').selectAll().where('id', '=', actor.accountId).executeTakeFirstOrThrow();
  if (!account.password_hash || !(await verifyPassword(account.password_hash, input.currentPassword))) {
    return { ok: false, field: 'currentPassword', message: 'Le mot de passe actuel est incorrect.' };
  }
  const roles = actor.habilitations.map((h) => h.role);
  const check = checkPassword(input.newPassword, {
    minLength: minPasswordLength(roles),
    userInputs: [account.login, account.display_name, account.email ?? ''],
  });
  if (!check.ok) return { ok: false, field: 'newPassword', message: check.message };
  const hash = await hashPassword(input.newPassword);
  const now = ctx.clock.now();
  await ctx.db.transaction().execute(async (trx) => {
    await trx.updateTable('account').set({ password_hash: hash, password_changed_at: now }).where('id', '=', account.id).execute();
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

export async function mySessions(ctx: AppContext, actor: Actor) {
  const rows = await listSessions(ctx.db, actor.accountId);
  return {
    active: rows.filter((s) => !s.ended_at),
    // The sign-in before the current one: what the user should recognise as theirs.
    previousSignIn: rows.find((s) => s.id !== actor.sessionId) ?? null,
    currentId: actor.sessionId,
  };
}

/** Ends one of the actor's own sessions; false when it is not theirs or already ended. */
export async function endOwnSession(ctx: AppContext, actor: Actor, sessionId: string, meta: RequestMeta): Promise<boolean> {
  const now = ctx.clock.now();
  return ctx.db.transaction().execute(async (trx) => {
    const r = await trx
      .updateTable('session')
      .set({ ended_at: now, end_reason: 'revoked' })
      .where('id', '=', sessionId)
      .where('account_id', '=', actor.accountId)
      .where('ended_at', 'is', null)
      .executeTakeFirst();
    if (Number(r.numUpdatedRows) !== 1) return false;
    await recordAudit(trx, {
      at: now,
      action: 'session.revoked',
      ...byActor(actor, meta),
      organisationId: actor.organisation?.id ?? null,
      target: { type: 'session', id: sessionId.slice(0, 16) },
    });
    return true;
  });
}
