/**
 * The quote at rest and on the wire. The JSON contract uses euros with ≤ 2 decimals; the `data`
 * column stores the same sections with every amount as integer cents, so sums done in SQL or
 * by later modules never meet a float.
 * Hours stay decimal numbers (≤ 2 decimals, as validated): the contract does not ask otherwise.
 */
import type { Candidate, Quote } from '../../../db/schema.js';
import type { QuoteStatus, TimelineAction } from '../rules/lifecycle.js';
import { centsToEuros, eurosToCents } from '../rules/money.js';
import type { QuoteInput } from '../rules/quote-schema.js';
import { quoteTotals, type Finding } from '../rules/quote-rules.js';

export interface StoredCosts {
  hourlyRateCents: number;
  pedagogicalCostCents: number;
  otherLines: Array<{ label: string; amountCents: number }>;
}

export interface StoredQuoteData {
  training: QuoteInput['training'];
  costs: StoredCosts;
  poei: QuoteInput['poei'];
}

export function costsToStored(costs: QuoteInput['costs']): StoredCosts {
  return {
    hourlyRateCents: eurosToCents(costs.hourlyRate),
    pedagogicalCostCents: eurosToCents(costs.pedagogicalCost),
    otherLines: costs.otherLines.map((l) => ({ label: l.label, amountCents: eurosToCents(l.amount) })),
  };
}

export function costsFromStored(costs: StoredCosts): QuoteInput['costs'] {
  return {
    hourlyRate: centsToEuros(costs.hourlyRateCents),
    pedagogicalCost: centsToEuros(costs.pedagogicalCostCents),
    otherLines: costs.otherLines.map((l) => ({ label: l.label, amount: centsToEuros(l.amountCents) })),
  };
}

export function storedData(q: Pick<Quote, 'data'>): StoredQuoteData {
  return q.data as unknown as StoredQuoteData;
}

/** The quote as the rules see it: the contract shape, candidate section from the candidate record. */
export function quoteInputOf(q: Pick<Quote, 'type' | 'data'>, c: Pick<Candidate, 'identifier' | 'last_name' | 'birth_date'>): QuoteInput {
  const data = storedData(q);
  return {
    type: q.type,
    candidate: { identifier: c.identifier, lastName: c.last_name, birthDate: c.birth_date },
    training: data.training,
    costs: costsFromStored(data.costs),
    poei: data.poei,
  };
}

export interface TimelineRow {
  at: Date;
  actor_login: string | null;
  action: string;
  from_status: string | null;
  to_status: string;
  version: number;
  comment: string | null;
}

export const findingView = (f: Pick<Finding, 'field' | 'code' | 'message'>) => ({ field: f.field, code: f.code, message: f.message });

export function quoteView(
  q: Quote,
  c: Pick<Candidate, 'identifier' | 'last_name' | 'birth_date'>,
  organisation: { id: string; name: string },
  extra: { warnings: Array<Pick<Finding, 'field' | 'code' | 'message'>>; timeline: TimelineRow[]; trainingId: string | null },
) {
  const input = quoteInputOf(q, c);
  const totals = quoteTotals(input);
  return {
    id: q.id,
    ...input,
    // What the agency pays and what remains for someone else (AIF funds the pedagogical cost only).
    funding: { fundedAmount: centsToEuros(totals.fundedCents), notFundedAmount: centsToEuros(totals.notFundedCents), totalAmount: centsToEuros(totals.totalCents) },
    status: q.status as QuoteStatus,
    version: q.version,
    organisation,
    warnings: extra.warnings.map(findingView),
    submittedAt: q.submitted_at?.toISOString() ?? null,
    agreementReference: q.agreement_reference,
    trainingId: extra.trainingId,
    createdAt: q.created_at.toISOString(),
    updatedAt: q.updated_at.toISOString(),
    timeline: extra.timeline.map((e) => ({
      at: e.at.toISOString(),
      actor: e.actor_login,
      action: e.action as TimelineAction,
      fromStatus: e.from_status as QuoteStatus | null,
      toStatus: e.to_status as QuoteStatus,
      version: e.version,
      comment: e.comment,
    })),
  };
}
