/** The mail that tells the owner their password changed (ASVS 2.2.3): a change by someone else does not go unnoticed. */
import type { Transaction } from 'kysely';
import type { AppContext } from '../../../context.js';
import type { DB } from '../../../db/schema.js';
import { formatDateTime } from '../../../http/format.js';
import { queueMail } from '../../../mail/mailer.js';

/** Sent when the password changes (all sessions have just ended). */
export async function passwordChangedMail(ctx: AppContext, trx: Transaction<DB>, to: string, now: Date, ip: string | null): Promise<void> {
  await queueMail(trx, now, {
    to,
    subject: 'Kairos : votre mot de passe a été changé',
    text:
      `Bonjour,\n\nLe mot de passe de votre compte Kairos a été changé le ${formatDateTime(now)} (heure de Paris), depuis l’adresse IP ${ip ?? 'inconnue'}. Toutes vos sessions ont été fermées.\n\n` +
      'Si ce n’était pas vous, prévenez immédiatement votre responsable de gestion des comptes (ou l’assistance) : il peut suspendre le compte.\n\n' +
      `L’équipe Kairos — ${ctx.config.operatorName}\nNous ne vous demanderons jamais vos mots de passe ni vos codes par courriel.`,
  });
}
