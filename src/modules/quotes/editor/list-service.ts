/** The organisation's quote list: a page of summaries, own organisation only. */
import type { AppContext, RequestMeta } from '../../../context.js';
import { guardCandidateAccess } from '../../security/bulk-access.js';
import { problems } from '../../../http/problem.js';
import type { Actor } from '../../habilitations/policy.js';
import type { StoredQuoteData } from '../record/quote-json.js';
import { PAGE_SIZE, listOwnQuotes, type QuoteFilters } from '../record/repository.js';

/** The list shows candidates' names: each one counts as a read for bulk-access detection. */
export async function listQuotes(ctx: AppContext, actor: Actor, filters: QuoteFilters, meta: RequestMeta) {
  if (!actor.organisation) throw problems.forbidden();
  const { total, rows } = await listOwnQuotes(ctx.db, actor.organisation.id, filters);
  await guardCandidateAccess(ctx, actor, rows.map((r) => r.candidate_id), meta);
  return {
    page: filters.page,
    pageSize: PAGE_SIZE,
    total,
    quotes: rows.map((r) => {
      const { training } = r.data as unknown as StoredQuoteData;
      return {
        id: r.id,
        type: r.type,
        status: r.status,
        version: r.version,
        // Its own quote: the organisation already knows this candidate (it gave the trio).
        candidate: { identifier: r.identifier, lastName: r.last_name, birthDate: r.birth_date },
        title: training.title,
        startDate: training.startDate,
        endDate: training.endDate,
        updatedAt: r.updated_at.toISOString(),
      };
    }),
  };
}
