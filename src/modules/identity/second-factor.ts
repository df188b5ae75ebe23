import type { Kysely } from 'kysely';
import type { AppContext, RequestMeta } from '../../context.js';
import type { DB } from '../../db/schema.js';
import { recordAudit } from '../audit/service.js';
import { generateRecoveryCodes, hashRecoveryCode } from './recovery-codes.js';
import { generateTotpSecret, totpUri, verifyTotp } from './totp.js';

/**
 * TOTP enrolment in two steps: a pending secret is stored (sealed) and shown once as an
 * otpauth URL; it becomes the account's factor only when a code from it is confirmed, which
 * also issues 10 fresh recovery codes (shown once, stored hashed). Activation (onboarding)
 * and candidates enrolling a factor both go through here.
 */
export async function startTotpEnrolment(ctx: AppContext, db: Kysely<DB>, account: { id: string; login: string }): Promise<string> {
  const secret = generateTotpSecret();
  await db.updateTable('account').set({ totp_pending_sealed: ctx.secretBox.seal(secret) }).where('id', '=', account.id).execute();
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
  const row = await ctx.db.selectFrom('account').select('totp_pending_sealed').where('id', '=', account.id).executeTakeFirst();
  if (!row?.totp_pending_sealed) return { ok: false };
  const now = ctx.clock.now();
  const verdict = verifyTotp({ secret: ctx.secretBox.open(row.totp_pending_sealed), code, now, lastUsedStep: null });
  if (!verdict.ok) return { ok: false };
  const recoveryCodes = generateRecoveryCodes();
  await ctx.db.transaction().execute(async (trx) => {
    await trx
      .updateTable('account')
      .set({ totp_secret_sealed: row.totp_pending_sealed, totp_pending_sealed: null, totp_last_step: verdict.step })
      .where('id', '=', account.id)
      .execute();
    await trx.deleteFrom('recovery_code').where('account_id', '=', account.id).execute();
    await trx
      .insertInto('recovery_code')
      .values(recoveryCodes.map((c) => ({ account_id: account.id, code_hash: hashRecoveryCode(c), used_at: null })))
      .execute();
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
  const row = await ctx.db.selectFrom('account').select('totp_secret_sealed').where('id', '=', accountId).executeTakeFirst();
  return !!row?.totp_secret_sealed;
}
