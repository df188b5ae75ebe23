/** The funding agreement PDF, for the three parties of an approved quote. */
import type { AppContext, RequestMeta } from '../../../context.js';
import { problems } from '../../../http/problem.js';
import type { Actor } from '../../habilitations/policy.js';
import { renderAgreementPdf } from './pdf.js';
import { organisationForAgreement } from './repository.js';
import { quoteFor } from '../record/access.js';
import { quoteInputOf } from '../record/quote-json.js';
import { findCandidateById } from '../record/repository.js';
import { quoteTotals } from '../rules/quote-rules.js';
import { recordQuoteAudit } from '../record/timeline.js';
import { parisDay } from '../../onboarding/rules.js';
import { guardCandidateAccess } from '../../security/bulk-access.js';

export const NO_AGREEMENT = 'Aucun accord de prise en charge pour ce devis : il n’existe qu’une fois le devis validé par le conseiller.';

export async function agreementPdf(ctx: AppContext, actor: Actor, id: string, meta: RequestMeta): Promise<{ filename: string; pdf: Buffer }> {
  const { quote, party } = await quoteFor(ctx.db, actor, id);
  if (quote.status !== 'approved' || !quote.agreement_reference || !quote.decided_at) throw problems.notFound(NO_AGREEMENT);
  await guardCandidateAccess(ctx, actor, [quote.candidate_id], meta, 'export');
  const [candidate, organisation] = await Promise.all([
    findCandidateById(ctx.db, quote.candidate_id),
    organisationForAgreement(ctx.db, quote.organisation_id),
  ]);
  const input = quoteInputOf(quote, candidate);
  const totals = quoteTotals(input);
  const pdf = await renderAgreementPdf({
    reference: quote.agreement_reference,
    approvedOn: parisDay(quote.decided_at),
    version: quote.version,
    operatorName: ctx.config.operatorName,
    operatorAddress: ctx.config.operatorAddress,
    organisation,
    candidate: { identifier: candidate.identifier, lastName: candidate.last_name, firstName: candidate.first_name, birthDate: candidate.birth_date },
    quote: input,
    fundedCents: totals.fundedCents,
    notFundedCents: totals.notFundedCents,
  });
  // An export of the candidate's personal data, whoever asks.
  await ctx.db.transaction().execute((trx) =>
    recordQuoteAudit(trx, { quote, actor, meta, at: ctx.clock.now(), action: 'quote.agreement_downloaded', details: { party, reference: quote.agreement_reference } }),
  );
  return { filename: `accord-${quote.agreement_reference}.pdf`, pdf };
}
