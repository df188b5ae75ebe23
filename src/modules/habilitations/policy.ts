import type { ApplicationCode } from './catalogue.js';
import { isAgencyOnlyRole } from './catalogue.js';

export interface Habilitation {
  application: string;
  role: string;
}

/** Who is making the request, as loaded from their session. */
export interface Actor {
  accountId: string;
  sessionId: string;
  login: string;
  displayName: string;
  kind: 'staff' | 'candidate';
  organisation: { id: string; name: string; kind: 'agency' | 'training_provider' } | null;
  habilitations: Habilitation[];
  /**
   * Set when the request carries an organisation API token (src/modules/api-tokens): the actor
   * then holds the token's roles only, `accountId` is the account manager who issued it (the
   * account business rows point to) and the audit log names the token.
   */
  apiToken?: { id: string; name: string };
}

/** What a route requires; every route declares one (checked when routes are registered). */
export type AccessRule =
  | { kind: 'public' }
  | { kind: 'signedIn' }
  | { kind: 'candidate' }
  | { kind: 'habilitation'; application: ApplicationCode; roles?: readonly string[] }
  /** Allowed when any of the rules allows (e.g. a quote read by its organisation, the advisor or the candidate). */
  | { kind: 'anyOf'; rules: readonly AccessRule[] };

export const publicAccess: AccessRule = { kind: 'public' };
export const signedIn: AccessRule = { kind: 'signedIn' };
export const candidateOnly: AccessRule = { kind: 'candidate' };
export function anyOf(...rules: AccessRule[]): AccessRule {
  return { kind: 'anyOf', rules };
}
export function requireHabilitation(application: ApplicationCode, roles?: readonly string[]): AccessRule {
  return { kind: 'habilitation', application, ...(roles ? { roles } : {}) };
}

/**
 * Habilitations that count: the row's organisation must be the actor's own (tenant), and an
 * agency-only role counts only for agency staff, whatever the table says.
 */
export function effectiveHabilitations(
  rows: ReadonlyArray<Habilitation & { organisationId: string }>,
  organisation: Actor['organisation'],
): Habilitation[] {
  if (!organisation) return [];
  return rows
    .filter((h) => h.organisationId === organisation.id)
    .filter((h) => organisation.kind === 'agency' || !isAgencyOnlyRole(h.application, h.role))
    .map(({ application, role }) => ({ application, role }));
}

export function hasHabilitation(actor: Actor | null, application: string, roles?: readonly string[]): boolean {
  if (!actor) return false;
  return actor.habilitations.some((h) => h.application === application && (!roles || roles.includes(h.role)));
}

export type AccessDecision = 'allow' | 'unauthenticated' | 'forbidden';

/** Deny by default: anything not explicitly allowed by the rule is refused. */
export function decideAccess(rule: AccessRule | undefined, actor: Actor | null): AccessDecision {
  if (!rule) return actor ? 'forbidden' : 'unauthenticated';
  switch (rule.kind) {
    case 'public':
      return 'allow';
    case 'signedIn':
      if (!actor) return 'unauthenticated';
      // A token is no person: "any signed-in account" routes (my password, my sessions) are not its.
      return actor.apiToken ? 'forbidden' : 'allow';
    case 'candidate':
      if (!actor) return 'unauthenticated';
      return actor.kind === 'candidate' && !actor.apiToken ? 'allow' : 'forbidden';
    case 'habilitation':
      if (!actor) return 'unauthenticated';
      return hasHabilitation(actor, rule.application, rule.roles) ? 'allow' : 'forbidden';
    case 'anyOf': {
      const decisions = rule.rules.map((r) => decideAccess(r, actor));
      if (decisions.includes('allow')) return 'allow';
      return actor ? 'forbidden' : 'unauthenticated';
    }
    default:
      return 'forbidden';
  }
}

/** Tenant guard for services: a resource of another organisation is reported as absent. */
export function sameOrganisation(actor: Actor, organisationId: string | null): boolean {
  return !!actor.organisation && actor.organisation.id === organisationId;
}
