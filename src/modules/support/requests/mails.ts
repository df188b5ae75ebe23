/**
 * Mails of support requests: a reply is announced to the other party. Like every Kairos mail
 * they carry no link (see habilitations/access-review/mails.ts: a mail that never links to the portal
 * teaches users to distrust those that do) and nothing the user typed: only the request's
 * number and where to read the reply.
 */
import type { MailMessage } from '../../../mail/mailer.js';

const WHERE = 'Connectez-vous à Kairos à l’adresse habituelle (jamais par un lien reçu par courriel)';

export function agentRepliedMail(m: { to: string; number: number; operatorName: string }): MailMessage {
  return {
    to: m.to,
    subject: `Réponse de l’assistance à votre demande n° ${m.number}`,
    text: [
      'Bonjour,',
      '',
      `L’assistance a répondu à votre demande n° ${m.number}.`,
      `${WHERE}, rubrique « Assistance » en haut de la page, pour lire la réponse, y répondre ou clore la demande.`,
      '',
      'L’assistance ne vous demandera jamais votre mot de passe ni vos codes de vérification.',
      '',
      m.operatorName,
    ].join('\n'),
  };
}

export function requesterRepliedMail(m: { to: string; number: number; operatorName: string }): MailMessage {
  return {
    to: m.to,
    subject: `Nouveau message sur la demande d’assistance n° ${m.number}`,
    text: [
      'Bonjour,',
      '',
      `Le demandeur a écrit sur la demande n° ${m.number}, à laquelle vous avez répondu. Elle est de nouveau ouverte dans la file de l’assistance.`,
      `${WHERE}, rubrique « Assistance » → « File de l’assistance ».`,
      '',
      m.operatorName,
    ].join('\n'),
  };
}
