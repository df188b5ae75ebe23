import type { AppContext } from '../context.js';
import { getSetting, setSetting } from '../db/instance-settings.js';
import { recordAudit } from '../modules/audit/service.js';
import { hashPassword } from '../modules/identity/password-policy.js';
import { generateRecoveryCodes, hashRecoveryCode } from '../modules/identity/recovery-codes.js';
import { DEMO_ACCOUNTS, DEMO_ORGANISATIONS, DEMO_PENDING_REQUEST, DEMO_PASSWORD, DEMO_TOTP_SECRET, type DemoOrganisationKey } from './accounts.js';

const SEEDED_KEY = 'demo_seeded_at';

/** Seeds the demo organisations and accounts once; later starts keep whatever changed since. */
export async function seedDemoData(ctx: AppContext): Promise<boolean> {
  if (await getSetting(ctx.db, SEEDED_KEY)) return false;
  const now = ctx.clock.now();
  const passwordHash = await hashPassword(DEMO_PASSWORD);
  const sealedTotp = ctx.secretBox.seal(DEMO_TOTP_SECRET);
  await ctx.db.transaction().execute(async (trx) => {
    const orgIds = {} as Record<DemoOrganisationKey, string>;
    for (const [key, org] of Object.entries(DEMO_ORGANISATIONS) as Array<[DemoOrganisationKey, (typeof DEMO_ORGANISATIONS)[DemoOrganisationKey]]>) {
      const row = await trx.insertInto('organisation').values({ ...org, created_at: now }).returning('id').executeTakeFirstOrThrow();
      orgIds[key] = row.id;
    }
    for (const demo of DEMO_ACCOUNTS) {
      const organisationId = demo.organisation ? orgIds[demo.organisation] : null;
      const account = await trx
        .insertInto('account')
        .values({
          login: demo.login,
          display_name: demo.displayName,
          email: `${demo.login}@demo.kairos.example`,
          organisation_id: organisationId,
          kind: organisationId ? 'staff' : 'candidate',
          status: 'active',
          password_hash: passwordHash,
          password_changed_at: now,
          totp_secret_sealed: sealedTotp,
          totp_last_step: null,
          created_at: now,
        })
        .returning('id')
        .executeTakeFirstOrThrow();
      const codes = generateRecoveryCodes().map((c) => ({ account_id: account.id, code_hash: hashRecoveryCode(c), used_at: null }));
      await trx.insertInto('recovery_code').values(codes).execute();
      for (const [application, role] of demo.habilitations) {
        await trx
          .insertInto('habilitation')
          .values({ account_id: account.id, organisation_id: organisationId!, application, role, granted_by: null, granted_at: now })
          .execute();
      }
    }
    // An adhesion request waiting for review, so the agency's screens have something to show.
    await trx
      .insertInto('membership_request')
      .values({ ...DEMO_PENDING_REQUEST, status: 'pending', reason: null, created_at: now, decided_at: null, decided_by: null, organisation_id: null })
      .execute();
    await recordAudit(trx, { at: now, action: 'demo.seeded', details: { accounts: DEMO_ACCOUNTS.length } });
  });
  await setSetting(ctx.db, SEEDED_KEY, now.toISOString());
  return true;
}
