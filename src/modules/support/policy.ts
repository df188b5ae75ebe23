/**
 * Who works the support side: agents (habilitation support/agent) read every request, work the
 * queue and look error references up. Everyone signed in may ask for help.
 */
import { hasHabilitation, requireHabilitation, type Actor } from '../habilitations/policy.js';

export const supportAgent = requireHabilitation('support', ['agent']);

export function isSupportAgent(actor: Actor): boolean {
  return hasHabilitation(actor, 'support', ['agent']);
}
