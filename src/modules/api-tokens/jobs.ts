/**
 * The daily expiry reminder: each live token's account managers are mailed once, 14 days before
 * it expires, so the software that uses it can get a new one before its calls start failing.
 */
import type { AppContext } from '../../context.js';
import { type RecurringJob, type SchedulingWorker } from '../../jobs/recurring.js';
import { queueMail } from '../../mail/mailer.js';
import { recordAudit } from '../audit/service.js';
import * as repo from './repository.js';
import { REMINDER_BEFORE_MS } from './rules.js';

/** Hourly, so a token created 14 days and a few hours before its end is still reminded in time. */
export const TOKEN_EXPIRY_REMINDER: RecurringJob = { kind: 'api_tokens.expiry_reminder', everyMs: 3_600_000, offsetMs: 25 * 60_000 };

function frenchDate(d: Date): string {
  return new Intl.DateTimeFormat('fr-FR', { dateStyle: 'long', timeStyle: 'short', timeZone: 'Europe/Paris' }).format(d);
}

/** Sends the reminders that are due; returns how many tokens were reminded. */
export async function remindExpiringTokens(ctx: AppContext): Promise<number> {
  const now = ctx.clock.now();
  let reminded = 0;
  for (const token of await repo.tokensToRemind(ctx.db, now, new Date(now.getTime() + REMINDER_BEFORE_MS))) {
    await ctx.db.transaction().execute(async (trx) => {
      // Another instance may have sent it since the list was read: only the one that marks it mails.
      if (!(await repo.markReminded(trx, token.id, now))) return;
      for (const to of await repo.accountManagerEmails(trx, token.organisation_id)) {
        await queueMail(trx, now, {
          to,
          subject: `Kairos : le jeton d’API « ${token.name} » expire le ${frenchDate(token.expires_at)}`,
          text:
            `Bonjour,\n\nLe jeton d’API « ${token.name} » de votre organisme expire le ${frenchDate(token.expires_at)}. ` +
            'Passé cette date, le logiciel qui l’utilise ne pourra plus appeler Kairos.\n\n' +
            `Créez un nouveau jeton et installez-le dans ce logiciel, puis révoquez l’ancien : ${ctx.config.publicUrl}/gid/api\n\n` +
            `L’équipe Kairos — ${ctx.config.operatorName}`,
        });
      }
      await recordAudit(trx, { at: now, organisationId: token.organisation_id, action: 'api_token.expiry_reminded', target: { type: 'api_token', id: token.id }, details: { expiresAt: token.expires_at.toISOString() } });
      reminded++;
    });
  }
  return reminded;
}

export function registerApiTokenJobs(worker: SchedulingWorker, ctx: AppContext): void {
  worker.registerRecurring(TOKEN_EXPIRY_REMINDER, async () => {
    await remindExpiringTokens(ctx);
  });
}

