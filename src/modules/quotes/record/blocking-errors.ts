/**
 * Which drafts `submit` would refuse today, judged in SQL so that a count or a list of them is one
 * statement (docs/decisions/0049-dashboard-figures-at-scale.md). The errors of the content alone
 * are stored with it (`quote.error_count`, stored-warnings.ts); the three error rules that read
 * something else are the same comparisons as in rules/quote-rules.ts, on the stored dates:
 * the lead time (today), the organisation's Qualiopi certificate, the candidate's other open quotes.
 * Dates are stored as 'yyyy-mm-dd' text, compared as text like the rules compare them.
 */
import { sql, type RawBuilder } from 'kysely';
import { addDays } from '../rules/holidays.js';
import { DEFAULT_QUOTE_SETTINGS } from '../rules/quote-rules.js';
import { OPEN_STATUSES } from './repository.js';

const start = (alias: string) => sql.raw(`(${alias}.data->'training'->>'startDate')`);
const end = (alias: string) => sql.raw(`(${alias}.data->'training'->>'endDate')`);

/**
 * True for a draft (row `quote`) with at least one blocking error on `today` (Paris day). A row
 * whose error count is not computed yet counts as without content error: callers fill the
 * missing counts first (`fillMissingWarnings`).
 */
export function blockedDraft(today: string): RawBuilder<boolean> {
  const earliest = addDays(today, DEFAULT_QUOTE_SETTINGS.leadTimeDays);
  const open = sql.join(OPEN_STATUSES.map((s) => sql`${s}`));
  return sql<boolean>`(quote.status = 'draft' and (
    coalesce(quote.error_count, 0) > 0
    or ${start('quote')} < ${earliest}
    or not exists (select 1 from organisation q_org where q_org.id = quote.organisation_id and q_org.qualiopi
                     and q_org.qualiopi_expiry is not null and to_char(q_org.qualiopi_expiry, 'YYYY-MM-DD') >= ${start('quote')})
    or exists (select 1 from quote q_other where q_other.candidate_id = quote.candidate_id and q_other.id <> quote.id
                 and q_other.status in (${open})
                 and ${start('q_other')} <= ${end('quote')} and ${start('quote')} <= ${end('q_other')})))`;
}
