/**
 * The second factor (docs/product/security.md#second-factor): checking it at sign-in, and TOTP
 * enrolment in two steps. A pending secret is stored (sealed) and shown once as an otpauth URL;
 * it becomes the account's factor only when a code from it is confirmed, which also issues 10
 * fresh recovery codes (shown once, stored hashed). Activation (onboarding) and candidates
 * enrolling a factor both go through here.
 */
import type { Kysely } from 'kysely';
import type { AppContext, RequestMeta } from '../../../context.js';
import type { Account, DB } from '../../../db/schema.js';
import { problems } from '../../../http/problem.js';
import { recordAudit } from '../../audit/service.js';
import { generateRecoveryCodes, hashRecoveryCode, looksLikeRecoveryCode, normaliseRecoveryCode } from './recovery-codes.js';
import {
  adoptSecret,
  advanceTotpStep,
  findPendingSecret,
  findSecret,
  findUnusedRecoveryCode,
  replaceRecoveryCodes,
  setPendingSecret,
  useRecoveryCode,
} from './repository.js';
import { generateTotpSecret, totpUri, verifyTotp } from './totp.js';

/**
 * Checks the second factor: a TOTP code, used once, or one of the account's recovery codes,
 * used once. Candidates without an enrolled factor need none; staff always do.
 */
export async function secondFactorOk(ctx: AppContext, account: Account, otp: string): Promise<boolean> {
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

export async function startTotpEnrolment(ctx: AppContext, db: Kysely<DB>, account: { id: string; login: string }): Promise<string> {
  const secret = generateTotpSecret();
  await setPendingSecret(db, account.id, ctx.secretBox.seal(secret));
  return totpUri({ secret, label: account.login, issuer: `Kairos ${ctx.config.operatorName}` });
}

export type ConfirmResult = { ok: true; recoveryCodes: string[] } | { ok: false };

export async function confirmTotpEnrolment(
  ctx: AppContext,
  account: { id: string; login: string; organisationId: string | null },
  code: string,
  meta: RequestMeta,
  /** Activation finishes in the same transaction (account active, code used). */
  options: { action?: string; alsoInTransaction?: (trx: Kysely<DB>) => Promise<void> } = {},
): Promise<ConfirmResult> {
  const pending = await findPendingSecret(ctx.db, account.id);
  if (!pending) return { ok: false };
  const now = ctx.clock.now();
  const verdict = verifyTotp({ secret: ctx.secretBox.open(pending), code, now, lastUsedStep: null });
  if (!verdict.ok) return { ok: false };
  const recoveryCodes = generateRecoveryCodes();
  await ctx.db.transaction().execute(async (trx) => {
    await adoptSecret(trx, account.id, pending, verdict.step);
    await replaceRecoveryCodes(trx, account.id, recoveryCodes.map(hashRecoveryCode));
    await options.alsoInTransaction?.(trx);
    await recordAudit(trx, {
      at: now,
      action: options.action ?? 'second_factor.enrolled',
      actor: { id: account.id, login: account.login },
      organisationId: account.organisationId,
      target: { type: 'account', id: account.id },
      ip: meta.ip,
      requestId: meta.requestId,
    });
  });
  return { ok: true, recoveryCodes };
}

export async function hasSecondFactor(ctx: AppContext, accountId: string): Promise<boolean> {
  return !!(await findSecret(ctx.db, accountId));
}

/** An enrolled factor is never replaced this way: starting or confirming again is a conflict (409). */
export async function ensureNotEnrolled(ctx: AppContext, accountId: string): Promise<void> {
  if (await hasSecondFactor(ctx, accountId)) throw problems.conflict('La double authentification est déjà activée sur votre compte.');
}
