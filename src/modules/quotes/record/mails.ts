/**
 * Mails about a quote. They say what happened and where to look, and carry no amounts or
 * personal details beyond the recipient's own first name: mail is not a safe channel.
 */
import type { Transaction } from 'kysely';
import type { AppContext } from '../../../context.js';
import type { Candidate, DB, Quote } from '../../../db/schema.js';
import { queueMail } from '../../../mail/mailer.js';
import { STATUS_LABELS, type QuoteStatus } from '../rules/lifecycle.js';
import { storedData } from './quote-json.js';
import { editorEmailsOf } from './repository.js';

const signature = (ctx: AppContext) =>
  `\n\nL’équipe Kairos — ${ctx.config.operatorName}\nNous ne vous demanderons jamais vos mots de passe ni vos codes par courriel.`;

export async function submittedMail(ctx: AppContext, trx: Transaction<DB>, now: Date, quote: Quote, candidate: Candidate, organisationName: string) {
  await queueMail(trx, now, {
    to: candidate.email,
    subject: 'Un devis de formation vous attend sur Kairos',
    text:
      `Bonjour ${candidate.first_name},\n\n${organisationName} vous propose un devis pour la formation « ${storedData(quote).training.title} ».\n` +
      `Consultez-le dans votre espace personnel (${ctx.config.publicUrl}/mon-espace/devis/${quote.id}) et indiquez si vous l’acceptez ou le déclinez dans les 15 jours ; sans réponse, il expirera.` +
      signature(ctx),
  });
}

export async function reminderMail(ctx: AppContext, trx: Transaction<DB>, now: Date, quote: Quote, candidate: Candidate) {
  await queueMail(trx, now, {
    to: candidate.email,
    subject: 'Rappel : un devis de formation attend votre réponse',
    text:
      `Bonjour ${candidate.first_name},\n\nLe devis pour la formation « ${storedData(quote).training.title} » attend votre réponse depuis 7 jours.\n` +
      `Sans réponse de votre part 15 jours après son envoi, il expirera. Répondez dans votre espace personnel : ${ctx.config.publicUrl}/mon-espace/devis/${quote.id}` +
      signature(ctx),
  });
}

/** Tells the organisation's quote editors that the candidate, the advisor or the expiry sweep moved their quote. */
export async function organisationNotice(ctx: AppContext, trx: Transaction<DB>, now: Date, quote: Quote, candidate: Candidate, comment?: string | null) {
  const status = quote.status as QuoteStatus;
  const recipients = await editorEmailsOf(trx, quote.organisation_id);
  for (const { email } of recipients) {
    await queueMail(trx, now, {
      to: email!,
      subject: `Devis ${candidate.identifier} : ${STATUS_LABELS[status]}`,
      text:
        `Bonjour,\n\nLe devis « ${storedData(quote).training.title} » (candidat ${candidate.identifier}, version ${quote.version}) est désormais « ${STATUS_LABELS[status]} ».\n` +
        (comment ? `Commentaire : ${comment}\n` : '') +
        `Consultez-le : ${ctx.config.publicUrl}/devis/${quote.id}` +
        signature(ctx),
    });
  }
}

export async function candidateNotice(ctx: AppContext, trx: Transaction<DB>, now: Date, quote: Quote, candidate: Candidate) {
  const status = quote.status as QuoteStatus;
  await queueMail(trx, now, {
    to: candidate.email,
    subject: `Votre devis de formation : ${STATUS_LABELS[status]}`,
    text:
      `Bonjour ${candidate.first_name},\n\nLe devis pour la formation « ${storedData(quote).training.title} » est désormais « ${STATUS_LABELS[status]} ».\n` +
      `Détails dans votre espace personnel : ${ctx.config.publicUrl}/mon-espace/devis/${quote.id}` +
      signature(ctx),
  });
}
