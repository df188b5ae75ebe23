/**
 * Mails of the access review. They carry no link: the
 * partners' breaches came from stolen credentials, and a mail that never links to a sign-in page
 * teaches users to distrust those that do (the portal address comes by letter, see
 * docs/product/joining-and-habilitations.md#approval-and-letters).
 */
import { formatDate } from '../../../http/format.js';
import type { MailMessage } from '../../../mail/mailer.js';

export const WHERE_TO_ACT = 'Connectez-vous au portail partenaires à l’adresse habituelle (jamais par un lien reçu par courriel), application « GID Partenaires »';

function plural(n: number, one: string, many: string): string {
  return `${n} ${n === 1 ? one : many}`;
}

export function reviewOpenedMail(m: { to: string; organisationName: string; items: number; dueAt: Date; operatorName: string }): MailMessage {
  return {
    to: m.to,
    subject: `Revue des habilitations de ${m.organisationName} à effectuer avant le ${formatDate(m.dueAt)}`,
    text: [
      'Bonjour,',
      '',
      `Une revue des habilitations de ${m.organisationName} est ouverte : ${plural(m.items, 'habilitation est', 'habilitations sont')} à confirmer ou à retirer.`,
      `${WHERE_TO_ACT}, rubrique « Revue des habilitations ».`,
      '',
      `Sans décision au ${formatDate(m.dueAt)}, les habilitations non revues seront suspendues.`,
      '',
      m.operatorName,
    ].join('\n'),
  };
}

export function reviewReminderMail(m: { to: string; organisationName: string; undecided: number; dueAt: Date; operatorName: string }): MailMessage {
  return {
    to: m.to,
    subject: `Rappel : revue des habilitations de ${m.organisationName} avant le ${formatDate(m.dueAt)}`,
    text: [
      'Bonjour,',
      '',
      `La revue des habilitations de ${m.organisationName} n’est pas terminée : ${plural(m.undecided, 'habilitation attend', 'habilitations attendent')} votre décision.`,
      `${WHERE_TO_ACT}, rubrique « Revue des habilitations ».`,
      '',
      `Sans décision au ${formatDate(m.dueAt)}, elles seront suspendues.`,
      '',
      m.operatorName,
    ].join('\n'),
  };
}

export function reviewClosedMail(m: { to: string; organisationName: string; suspended: number; operatorName: string }): MailMessage {
  return {
    to: m.to,
    subject: `Revue des habilitations de ${m.organisationName} close : ${plural(m.suspended, 'habilitation suspendue', 'habilitations suspendues')}`,
    text: [
      'Bonjour,',
      '',
      `Le délai de la revue des habilitations de ${m.organisationName} est passé : ${plural(m.suspended, 'habilitation non revue a été suspendue', 'habilitations non revues ont été suspendues')}.`,
      `Pour rendre un accès à une personne qui en a encore besoin, accordez-lui de nouveau l’habilitation dans GID Partenaires (${WHERE_TO_ACT.charAt(0).toLowerCase()}${WHERE_TO_ACT.slice(1)}).`,
      '',
      m.operatorName,
    ].join('\n'),
  };
}
