/**
 * The token scope matrix, read by access-matrix.test.ts: every /api/v1 route called with an
 * organisation API token of each grantable role (organisation A) and with a token of
 * organisation B. A token holds its Kairos role inside its organisation and nothing else:
 * - a rule it does not meet → 403, and so are "any signed-in account" and candidate routes (a
 *   token is no person) and every GID or agency route (no token carries those roles);
 * - a rule it meets: the token reaches what a staff member of its organisation with that role
 *   reaches (its `proxy` among the matrix actors), else 404 like an unknown id;
 * - a token of B never sees anything of A.
 * Evaluated here against the rule kinds, independently of the product's decideAccess.
 */
import type { AccessRule } from '../../src/modules/habilitations/policy.js';
import { FIXTURES, type ActorName, type Expect, type FixtureKey, type RoutePolicy } from './access-policy.js';

export interface TokenActor {
  name: string;
  organisation: 'A' | 'B';
  role: 'quote_editor' | 'attendance_officer' | 'reader';
  /** The matrix actor whose reach of A's objects this token shares. */
  proxy: ActorName;
}

export const TOKEN_ACTORS: readonly TokenActor[] = [
  { name: 'jeton A rédaction', organisation: 'A', role: 'quote_editor', proxy: 'devis.demo' },
  { name: 'jeton A assiduité', organisation: 'A', role: 'attendance_officer', proxy: 'assiduite.demo' },
  { name: 'jeton A consultation', organisation: 'A', role: 'reader', proxy: 'devis.demo' },
  { name: 'jeton B rédaction', organisation: 'B', role: 'quote_editor', proxy: 'devis.demo2' },
];

/** Cells that differ from the computed expectation, by route then token name, each with its reason. */
export const TOKEN_CELLS: Record<string, { cells: Record<string, Expect>; why: string }> = {};

export function tokenRuleAllows(rule: AccessRule, role: string): boolean {
  switch (rule.kind) {
    case 'public':
      return true;
    case 'signedIn':
    case 'candidate':
      return false;
    case 'habilitation':
      return rule.application === 'kairos' && (!rule.roles || rule.roles.includes(role));
    case 'anyOf':
      return rule.rules.some((r) => tokenRuleAllows(r, role));
  }
}

export function expectedTokenCell(key: string, method: string, rule: AccessRule, policy: RoutePolicy, fixtures: readonly FixtureKey[], token: TokenActor): Expect {
  const override = TOKEN_CELLS[key]?.cells[token.name];
  if (override !== undefined) return override;
  if (!tokenRuleAllows(rule, token.role)) return 403;
  const reach = policy.reach ?? fixtures.reduce<readonly ActorName[] | null>((acc, f) => {
    const who = FIXTURES[f] as readonly ActorName[] | null;
    if (!who) return acc;
    return acc ? acc.filter((a) => who.includes(a)) : who;
  }, null);
  if (reach && !reach.includes(token.proxy)) return 404;
  return method === 'GET' ? 'ok' : 'allowed';
}
