/**
 * New-device alert: a sign-in from a browser and IP address pair not seen for
 * the account in 90 days mails its owner the time, the address and the browser, with the page
 * where they can end sessions. A stolen password used from an infostealer's machine is then
 * noticed by the person who knows it was not them. The very first sign-in is not reported:
 * every device is new then, and the owner has just activated the account.
 */
import type { Transaction } from 'kysely';
import type { AppContext } from '../../../context.js';
import type { DB } from '../../../db/schema.js';
import { formatDateTime } from '../../../http/format.js';
import { queueMail } from '../../../mail/mailer.js';
import { describeUserAgent } from '../user-agent.js';
import { hasAnySession, seenDeviceSince } from './repository.js';

export const KNOWN_DEVICE_DAYS = 90;

export async function isNewDevice(trx: Transaction<DB>, accountId: string, ip: string | null, userAgent: string | null, now: Date): Promise<boolean> {
  if (!(await hasAnySession(trx, accountId))) return false;
  return !(await seenDeviceSince(trx, accountId, ip, userAgent, new Date(now.getTime() - KNOWN_DEVICE_DAYS * 86_400_000)));
}

export async function newDeviceMail(ctx: AppContext, trx: Transaction<DB>, to: string, now: Date, ip: string | null, userAgent: string | null): Promise<void> {
  await queueMail(trx, now, {
    to,
    subject: 'Kairos : connexion depuis un nouvel appareil',
    text:
      `Bonjour,\n\nUne connexion à votre compte Kairos a eu lieu le ${formatDateTime(now)} (heure de Paris), depuis l’adresse IP ${ip ?? 'inconnue'}, ${describeUserAgent(userAgent)}.\n` +
      'Nous ne l’avions pas vue pour votre compte depuis au moins 90 jours.\n\n' +
      `Si c’était vous, il n’y a rien à faire. Sinon, rendez-vous immédiatement sur ${ctx.config.publicUrl}/portail pour terminer les sessions ouvertes, ` +
      'changez votre mot de passe et prévenez votre responsable de gestion des comptes : votre mot de passe a peut-être été volé.\n\n' +
      `L’équipe Kairos — ${ctx.config.operatorName}\nNous ne vous demanderons jamais vos mots de passe ni vos codes par courriel.`,
  });
}
