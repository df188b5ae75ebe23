import type { AppContext } from '../context.js';
import { getSetting, setSetting } from '../db/instance-settings.js';
import { recordAudit } from '../modules/audit/service.js';
import { generateRecoveryCodes, hashPassword, hashRecoveryCode } from '../modules/identity/index.js';
import { DEMO_ACCOUNTS, DEMO_ORGANISATIONS, DEMO_PENDING_REQUEST, DEMO_PASSWORD, DEMO_TOTP_SECRET, type DemoOrganisationKey } from './accounts.js';

const SEEDED_KEY = 'demo_seeded_at';

/** Fictitious candidate records for the two demo candidate accounts. */
const DEMO_CANDIDATES: Record<string, { identifier: string; last_name: string; first_name: string; birth_date: string }> = {
  'candidat.demo': { identifier: '1234567A', last_name: 'Martin', first_name: 'Camille', birth_date: '1990-04-12' },
  'candidat.demo2': { identifier: '7654321B', last_name: 'Bernard', first_name: 'Inès', birth_date: '1985-11-03' },
};
/** Quotes check the organisation's Qualiopi certificate on the start date (docs/product/quotes.md#validation). */
const DEMO_QUALIOPI_EXPIRY = '2030-12-31';

/** Seeds the demo organisations and accounts once; later starts keep whatever changed since. */
export async function seedDemoData(ctx: AppContext): Promise<boolean> {
  if (await getSetting(ctx.db, SEEDED_KEY)) return false;
  const now = ctx.clock.now();
  const passwordHash = await hashPassword(DEMO_PASSWORD);
  const sealedTotp = ctx.secretBox.seal(DEMO_TOTP_SECRET);
  await ctx.db.transaction().execute(async (trx) => {
    const orgIds = {} as Record<DemoOrganisationKey, string>;
    for (const [key, org] of Object.entries(DEMO_ORGANISATIONS) as Array<[DemoOrganisationKey, (typeof DEMO_ORGANISATIONS)[DemoOrganisationKey]]>) {
      const qualiopi = org.kind === 'training_provider' ? { qualiopi: true, qualiopi_expiry: DEMO_QUALIOPI_EXPIRY } : {};
      const row = await trx.insertInto('organisation').values({ ...org, ...qualiopi, created_at: now }).returning('id').executeTakeFirstOrThrow();
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
      const candidate = DEMO_CANDIDATES[demo.login];
      if (candidate) {
        await trx
          .insertInto('candidate')
          .values({ ...candidate, email: `${demo.login}@demo.kairos.example`, account_id: account.id, created_at: now, created_by: null })
          .execute();
      }
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
