/**
 * The two mails sent when an account manager creates a colleague's account: like the two
 * letters of an adhesion, each is useless alone. The first carries the identifier and where to
 * use it, the second only the activation code; neither repeats what the other holds, so one
 * intercepted or misdirected mail does not open the account.
 */
import type { MailMessage } from '../../mail/mailer.js';
import { ACTIVATION_CODE_DAYS } from '../onboarding/activation-codes.js';

export interface IdentifierMailInput {
  to: string;
  firstName: string;
  lastName: string;
  login: string;
  organisationName: string;
  managerName: string;
  /** `${publicUrl}/activation` */
  activationUrl: string;
  officialAddress: string;
  operatorName: string;
}

export function identifierMail(m: IdentifierMailInput): MailMessage {
  return {
    to: m.to,
    subject: 'Kairos : votre identifiant de connexion',
    text: [
      `Bonjour ${m.firstName} ${m.lastName},`,
      '',
      `${m.managerName}, responsable de gestion des comptes de ${m.organisationName}, vous a créé un compte sur Kairos, le portail partenaires de ${m.operatorName}.`,
      '',
      `Votre identifiant : ${m.login}`,
      '',
      'Pour activer votre compte :',
      `1. Ouvrez la page d’activation : ${m.activationUrl}`,
      `   Vérifiez que l’adresse affichée par votre navigateur est bien ${m.officialAddress}.`,
      '2. Saisissez votre identifiant et le code d’activation que vous recevez dans un second courriel, envoyé séparément.',
      '3. Choisissez votre mot de passe : au moins 12 caractères ; une phrase de plusieurs mots est plus sûre et plus facile à retenir.',
      '4. Activez la double authentification en scannant le code QR avec une application d’authentification.',
      '5. Conservez en lieu sûr les codes de secours affichés à la fin : ils ne seront plus montrés.',
      '',
      `Le code d’activation est valable ${ACTIVATION_CODE_DAYS} jours. Passé ce délai, demandez-en un nouveau à votre responsable de gestion des comptes.`,
      `${m.operatorName} ne vous demandera jamais votre mot de passe ni vos codes, ni par courriel ni par téléphone.`,
    ].join('\n'),
  };
}

export function activationCodeMail(m: { to: string; code: string; operatorName: string }): MailMessage {
  return {
    to: m.to,
    subject: 'Kairos : votre code d’activation',
    text: [
      'Bonjour,',
      '',
      `Voici votre code d’activation Kairos : ${m.code}`,
      '',
      `Il ne sert qu’une fois et reste valable ${ACTIVATION_CODE_DAYS} jours. Votre identifiant et l’adresse où saisir ce code vous ont été envoyés dans un autre courriel.`,
      `Ne communiquez ce code à personne : ${m.operatorName} ne vous le demandera jamais.`,
    ].join('\n'),
  };
}
