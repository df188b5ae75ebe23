/**
 * Mails of the change of account manager. Like every Kairos mail, no link (see ../access-review/mails.ts).
 */
import type { MailMessage } from '../../../mail/mailer.js';

export function managerChangeRequestedMail(m: { to: string; organisationName: string; operatorName: string }): MailMessage {
  return {
    to: m.to,
    subject: `Demande de changement de responsable de gestion des comptes : ${m.organisationName}`,
    text: [
      'Bonjour,',
      '',
      `${m.organisationName} demande à changer de responsable de gestion des comptes.`,
      'La demande attend votre décision dans l’administration de Kairos, rubrique « Changements de responsable ».',
      '',
      m.operatorName,
    ].join('\n'),
  };
}

export function managerChangeDecidedMail(m: {
  to: string;
  organisationName: string;
  newManagerName: string;
  approved: boolean;
  role: 'requester' | 'new_manager';
  reason: string | null;
  operatorName: string;
}): MailMessage {
  const outcome = m.approved ? 'approuvée' : 'refusée';
  const lines = ['Bonjour,', '', `La demande de changement de responsable de gestion des comptes de ${m.organisationName} a été ${outcome} par ${m.operatorName}.`];
  if (m.approved && m.role === 'new_manager') {
    lines.push(
      'Vous êtes désormais responsable de gestion des comptes de votre organisme : vous gérez ses comptes et leurs habilitations dans GID Partenaires.',
      'Ce rôle exige un mot de passe d’au moins 15 caractères : si le vôtre est plus court, changez-le dès votre prochaine connexion (Mon compte → Mot de passe).',
    );
  } else if (m.approved) {
    lines.push(`${m.newManagerName} est désormais responsable de gestion des comptes ; votre habilitation à GID Partenaires vous a été retirée.`);
  }
  if (m.reason) lines.push('', `Motif : ${m.reason}`);
  lines.push('', m.operatorName);
  return { to: m.to, subject: `Changement de responsable de gestion des comptes ${outcome} : ${m.organisationName}`, text: lines.join('\n') };
}
