/**
 * Candidates: the advisor registers them (docs/product/quotes.md#candidates), as the product does,
 * a few a day in the weeks before their quotes. Registration creates no account, yet a candidate
 * answers a quote from their own account; only the demo candidates have one. The world gives one
 * to each of its candidates, never usable to sign in (no password, status pending), so that their
 * answers go through the same service as candidat.demo's. Why: docs/decisions/0028-demo-world.md.
 */
import { recordAudit } from '../../modules/audit/service.js';
import { registerCandidate } from '../../modules/candidates/service.js';
import { candidateInputSchema } from '../../modules/candidates/schemas.js';
import { parisDay } from '../../modules/onboarding/rules.js';
import { momentOf } from './clock.js';
import type { WorldCandidate, WorldContext } from './context.js';
import { fictitiousPeople, type FictitiousPerson } from './names.js';

export const CANDIDATES_PER_ORGANISATION = { formapro: 14, atelier: 12 } as const;

const ascii = (s: string) => s.normalize('NFD').replace(/\p{M}/gu, '').replace(/[^A-Za-z]+/g, '').toLowerCase();
const emailOf = (p: FictitiousPerson) => `${ascii(p.firstName)}.${ascii(p.lastName)}@exemple-candidat.fr`;

/** Registration by conseiller.demo from day -140, five a day; accounts follow the same day. */
export function registerCandidates(world: WorldContext): void {
  const people = [
    ...fictitiousPeople(0, CANDIDATES_PER_ORGANISATION.formapro).map((p) => ({ p, org: 'formapro' as const })),
    ...fictitiousPeople(CANDIDATES_PER_ORGANISATION.formapro, CANDIDATES_PER_ORGANISATION.atelier).map((p) => ({ p, org: 'atelier' as const })),
  ];
  people.forEach(({ p, org }, i) => {
    const day = world.day(-140 + Math.floor(i / 5));
    const entry: WorldCandidate = { identifier: p.identifier, lastName: p.lastName, firstName: p.firstName, birthDate: p.birthDate, accountId: '', login: `candidat.${p.identifier.toLowerCase()}` };
    world.candidates[org].push(entry);
    world.timeline.at(momentOf(day, `08:${String(10 + (i % 5) * 9).padStart(2, '0')}`), `inscription du candidat ${p.identifier}`, async () => {
      const advisor = await world.actor('conseiller.demo');
      const input = candidateInputSchema(() => parisDay(world.ctx.clock.now())).parse({ identifier: p.identifier, lastName: p.lastName, firstName: p.firstName, birthDate: p.birthDate, email: emailOf(p) });
      await registerCandidate(world.ctx, advisor, input, world.meta());
      entry.accountId = await giveCandidateAccount(world, entry, emailOf(p));
    });
  });
}

/** The account a candidate answers quotes from: pending, without password, linked to their record. */
async function giveCandidateAccount(world: WorldContext, c: WorldCandidate, email: string): Promise<string> {
  const now = world.ctx.clock.now();
  return world.ctx.db.transaction().execute(async (trx) => {
    const account = await trx
      .insertInto('account')
      .values({ login: c.login, display_name: `${c.firstName} ${c.lastName}`, email, organisation_id: null, kind: 'candidate', status: 'pending', password_hash: null, password_changed_at: null, totp_secret_sealed: null, totp_last_step: null, created_at: now })
      .returning('id')
      .executeTakeFirstOrThrow();
    const linked = await trx.updateTable('candidate').set({ account_id: account.id }).where('identifier', '=', c.identifier).where('account_id', 'is', null).executeTakeFirst();
    if (Number(linked.numUpdatedRows) !== 1) throw new Error(`candidate ${c.identifier} not found or already linked`);
    await recordAudit(trx, { at: now, action: 'demo.candidate_account_linked', target: { type: 'account', id: account.id }, details: { identifier: c.identifier } });
    return account.id;
  });
}
