/**
 * What the OpenAPI document says about who may call an operation, derived from the access rule
 * the route declares (`config.access`): the rule that the access hook enforces is the one
 * documented, so the two cannot drift apart.
 */
import { isAgencyOnlyRole } from '../../modules/habilitations/catalogue.js';
import type { AccessRule } from '../../modules/habilitations/policy.js';

/** The rule in French, for the operation's description. */
export function describeAccess(rule: AccessRule): string {
  switch (rule.kind) {
    case 'public':
      return 'public, sans connexion';
    case 'signedIn':
      return 'toute personne connectée';
    case 'candidate':
      return 'un candidat connecté (son propre dossier)';
    case 'habilitation':
      return rule.roles
        ? `habilitation ${rule.application} avec le rôle ${rule.roles.map((r) => `\`${r}\``).join(' ou ')}`
        : `toute habilitation ${rule.application}`;
    case 'anyOf':
      return rule.rules.map(describeAccess).join(' ; ou ');
  }
}

/**
 * Whether an organisation API token may pass the rule: a token acts as staff of its organisation
 * holding only `kairos` roles (never the agency's own), so it passes a rule that admits such a
 * role, or any signed-in caller.
 */
export function admitsApiToken(rule: AccessRule): boolean {
  switch (rule.kind) {
    case 'signedIn':
      return true;
    case 'habilitation':
      return rule.application === 'kairos' && (!rule.roles || rule.roles.some((role) => !isAgencyOnlyRole('kairos', role)));
    case 'anyOf':
      return rule.rules.some(admitsApiToken);
    default:
      return false;
  }
}

/** Whether the rule can refuse a signed-in caller (then the operation may answer 403). */
export function canForbid(rule: AccessRule): boolean {
  return rule.kind !== 'public' && rule.kind !== 'signedIn';
}

const STATE_CHANGING = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

/**
 * The operation's security requirements (alternatives): the session cookie, with the CSRF header
 * on state-changing calls, or an organisation API token where the rule admits one. An empty list
 * means no authentication.
 */
export function securityFor(rule: AccessRule, method: string): Array<Record<string, string[]>> {
  if (rule.kind === 'public') return [];
  const session: Record<string, string[]> = STATE_CHANGING.has(method) ? { sessionCookie: [], csrfHeader: [] } : { sessionCookie: [] };
  return admitsApiToken(rule) ? [session, { bearerAuth: [] }] : [session];
}
