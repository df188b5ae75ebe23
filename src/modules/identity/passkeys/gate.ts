/**
 * The passkey obligation at each request (docs/decisions/0044-passkeys.md): nothing to do, and
 * no query, for anyone without a role of PASSKEY_REQUIRED_ROLES; for the others, the deadline to
 * show during the grace period, or, once it passed, only the enrolment routes.
 */
import type { AppContext } from '../../../context.js';
import type { Actor } from '../../habilitations/policy.js';
import { reachableWhileEnforced } from './rules.js';
import { obligationOf } from './service.js';

export async function passkeyGate(ctx: AppContext, actor: Actor, routePattern: string): Promise<{ deadline: Date | null; blocked: boolean }> {
  if (ctx.config.passkeys.requiredRoles.length === 0) return { deadline: null, blocked: false };
  const obligation = await obligationOf(ctx, actor);
  if (obligation.state === 'grace') return { deadline: obligation.deadline, blocked: false };
  return { deadline: null, blocked: obligation.state === 'enforced' && !reachableWhileEnforced(routePattern) };
}
