/**
 * Who may read or act on a quote, tenant first (docs/product/quotes.md#who-sees-a-quote). Three
 * parties see a quote: its organisation (quote editors and readers), the agency's advisors, and the
 * candidate it is for. The two last see it only once it has been submitted: a draft is the
 * organisation's work in progress. Whatever the reason a quote is out of reach, the answer is the
 * same 404.
 */
import type { Transaction } from 'kysely';
import type { AppContext } from '../../../context.js';
import type { DB, Quote } from '../../../db/schema.js';
import { problems } from '../../../http/problem.js';
import { anyOf, candidateOnly, hasHabilitation, requireHabilitation, type Actor } from '../../habilitations/policy.js';
import { QUOTE_NOT_FOUND } from './messages.js';
import { findQuoteForParty } from './repository.js';

export type QuoteParty = 'organisation' | 'advisor' | 'candidate';

export const ORGANISATION_QUOTE_ROLES = ['quote_editor', 'reader'] as const;

/** The route rule for reading a quote or its agreement; the service then applies the tenant rule. */
export const quoteReaders = anyOf(requireHabilitation('kairos', [...ORGANISATION_QUOTE_ROLES, 'advisor']), candidateOnly);
export const advisorOnly = requireHabilitation('kairos', ['advisor']);
/** The training organisation's side of a quote: editors change it, readers only read. */
export const quoteEditor = requireHabilitation('kairos', ['quote_editor']);
export const organisationReaders = requireHabilitation('kairos', [...ORGANISATION_QUOTE_ROLES]);

export function partyOf(actor: Actor): QuoteParty | null {
  if (actor.kind === 'candidate') return 'candidate';
  if (actor.organisation?.kind === 'agency' && hasHabilitation(actor, 'kairos', ['advisor'])) return 'advisor';
  if (actor.organisation?.kind === 'training_provider' && hasHabilitation(actor, 'kairos', ORGANISATION_QUOTE_ROLES)) return 'organisation';
  return null;
}

type Db = AppContext['db'] | Transaction<DB>;

/** The quote if `actor` may see it, else a 404; `lock` takes the row lock for a decision. */
export async function quoteFor(db: Db, actor: Actor, id: string, options: { lock?: boolean } = {}): Promise<{ quote: Quote; party: QuoteParty }> {
  const party = partyOf(actor);
  if (!party) throw problems.notFound(QUOTE_NOT_FOUND);
  const quote = await findQuoteForParty(db, id, { party, organisationId: actor.organisation?.id ?? null, accountId: actor.accountId }, options.lock ?? false);
  if (!quote) throw problems.notFound(QUOTE_NOT_FOUND);
  return { quote, party };
}
