import type { AppContext, RequestMeta } from '../../context.js';
import { recordAudit, recordAuditAlone } from '../audit/service.js';
import {
  checkPassword,
  clearFailures,
  confirmTotpEnrolment,
  findAccountByLogin,
  hashPassword,
  minPasswordLength,
  recordFailure,
  startTotpEnrolment,
  throttledUntil,
  throttleKeys,
} from '../identity/index.js';
import { findLiveActivationCode } from './activation-codes.js';
import { activateAccount, findLiveCode, rolesOf, setPassword, spendCode } from './activation-repository.js';

export type ActivationOutcome<T> =
  | ({ ok: true } & T)
  | { ok: false; reason: 'invalid' }
  | { ok: false; reason: 'throttled'; retryAfterSeconds: number }
  | { ok: false; reason: 'password'; message: string };

/** One refusal for an unknown login, an active account, or a wrong, used, voided or expired code. */
export const ACTIVATION_REFUSED = 'Identifiant ou code d’activation incorrect, déjà utilisé ou expiré. Vérifiez vos deux courriers ; si le code a expiré, demandez-en un nouveau à l’assistance.';

async function guard(ctx: AppContext, login: string, meta: RequestMeta) {
  const keys = throttleKeys(ctx, login, meta.ip, 'activation');
  const blocked = await throttledUntil(ctx.db, keys, ctx.clock.now());
  const retryAfterSeconds = blocked ? Math.max(1, Math.ceil((blocked.getTime() - ctx.clock.now().getTime()) / 1000)) : 0;
  return { keys, retryAfterSeconds };
}

async function refuse(ctx: AppContext, keys: Awaited<ReturnType<typeof guard>>['keys'], meta: RequestMeta, step: string) {
  await recordFailure(ctx.db, keys, ctx.clock.now());
  await recordAuditAlone(ctx.db, { at: ctx.clock.now(), action: 'activation.failed', ip: meta.ip, requestId: meta.requestId, details: { step } });
  return { ok: false as const, reason: 'invalid' as const };
}

/**
 * Step 1: identifier + activation code + chosen password. The password is kept and a TOTP
 * secret is proposed; the code stays valid until step 2 succeeds, so a lost QR code can be
 * shown again with the same letter.
 */
export async function startActivation(
  ctx: AppContext,
  input: { login: string; activationCode: string; password: string },
  meta: RequestMeta,
): Promise<ActivationOutcome<{ otpauthUrl: string }>> {
  const { keys, retryAfterSeconds } = await guard(ctx, input.login, meta);
  if (retryAfterSeconds) return { ok: false, reason: 'throttled', retryAfterSeconds };
  const account = await findAccountByLogin(ctx.db, input.login);
  const now = ctx.clock.now();
  const code = account?.status === 'pending' ? await findLiveActivationCode(ctx.db, account.id, input.activationCode, now) : undefined;
  if (!account || !code) return refuse(ctx, keys, meta, 'code');
  const roles = await rolesOf(ctx.db, account.id);
  const check = await checkPassword(input.password, {
    minLength: minPasswordLength(roles),
    userInputs: [account.login, account.display_name, account.email ?? '', account.first_name ?? '', account.last_name ?? ''],
  });
  if (!check.ok) return { ok: false, reason: 'password', message: check.message };
  const passwordHash = await hashPassword(input.password);
  const otpauthUrl = await ctx.db.transaction().execute(async (trx) => {
    await setPassword(trx, account.id, passwordHash, now);
    // The account's password is set here: whoever holds both letters did it, and the log says when and from where.
    await recordAudit(trx, {
      at: now,
      action: 'activation.started',
      actor: { id: account.id, login: account.login },
      organisationId: account.organisation_id,
      target: { type: 'account', id: account.id },
      ip: meta.ip,
      requestId: meta.requestId,
    });
    return startTotpEnrolment(ctx, trx, { id: account.id, login: account.login });
  });
  return { ok: true, otpauthUrl };
}

/** Step 2: a code from the new authenticator; the account becomes active, the activation code is spent. */
export async function confirmActivation(
  ctx: AppContext,
  input: { login: string; otp: string },
  meta: RequestMeta,
): Promise<ActivationOutcome<{ recoveryCodes: string[] }>> {
  const { keys, retryAfterSeconds } = await guard(ctx, input.login, meta);
  if (retryAfterSeconds) return { ok: false, reason: 'throttled', retryAfterSeconds };
  const account = await findAccountByLogin(ctx.db, input.login);
  const now = ctx.clock.now();
  const liveCode =
    account?.status === 'pending' && account.password_hash
      ? await findLiveCode(ctx.db, account.id, now)
      : undefined;
  if (!account || !liveCode) return refuse(ctx, keys, meta, 'confirm');
  const result = await confirmTotpEnrolment(
    ctx,
    { id: account.id, login: account.login, organisationId: account.organisation_id },
    input.otp,
    meta,
    {
      action: 'account.activated',
      alsoInTransaction: async (trx) => {
        await activateAccount(trx, account.id);
        await spendCode(trx, liveCode.id, now);
      },
    },
  );
  if (!result.ok) return refuse(ctx, keys, meta, 'otp');
  await clearFailures(ctx.db, keys[0].key);
  return { ok: true, recoveryCodes: result.recoveryCodes };
}
