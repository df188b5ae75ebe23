/** Pure rules of passkeys: freshness of an authentication, who must hold one and until when. */

/** A pending challenge lives this long: a ceremony takes seconds, a security key in a drawer a minute or two. */
export const CHALLENGE_TTL_MS = 5 * 60_000;
/** What the browser is told to wait for the person (WebAuthn `timeout`). */
export const CEREMONY_TIMEOUT_MS = 2 * 60_000;
/** A person rarely needs more: beyond, the list is harder to review than it helps. */
export const MAX_PASSKEYS_PER_ACCOUNT = 20;

/** The last authentication of a session: its sign-in, or a later re-authentication. */
export function lastAuthenticationAt(session: { createdAt: Date; reauthenticatedAt: Date | null }): Date {
  return session.reauthenticatedAt && session.reauthenticatedAt > session.createdAt ? session.reauthenticatedAt : session.createdAt;
}

/** Whether that authentication is recent enough to add or remove a passkey. */
export function isFresh(authenticatedAt: Date, now: Date, minutes: number): boolean {
  const age = now.getTime() - authenticatedAt.getTime();
  return age >= 0 && age <= minutes * 60_000;
}

/** Whether one of `habilitations` (`application/role`) is in `requiredRoles`. */
export function holdsRequiredRole(habilitations: ReadonlyArray<{ application: string; role: string }>, requiredRoles: readonly string[]): boolean {
  return habilitations.some((h) => requiredRoles.includes(`${h.application}/${h.role}`));
}

/**
 * Where an account stands with the passkey obligation:
 * - `none`: it holds no required role, or has a passkey;
 * - `grace`: it must enrol one before `deadline` (reminders, nothing refused);
 * - `enforced`: the deadline passed: only the enrolment pages are open.
 * A grace period not started yet (first sign-in under the rule) is `grace` from `now`.
 */
export type PasskeyObligation = { state: 'none' } | { state: 'grace'; deadline: Date } | { state: 'enforced' };

export function passkeyObligation(input: {
  holdsRequiredRole: boolean;
  hasPasskey: boolean;
  graceStartedAt: Date | null;
  graceDays: number;
  now: Date;
}): PasskeyObligation {
  if (!input.holdsRequiredRole || input.hasPasskey) return { state: 'none' };
  const start = input.graceStartedAt ?? input.now;
  const deadline = new Date(start.getTime() + input.graceDays * 86_400_000);
  return input.now < deadline ? { state: 'grace', deadline } : { state: 'enforced' };
}

/** A passkey's name as the person typed it: spaces trimmed and collapsed. */
export function normalisePasskeyName(name: string): string {
  return name.trim().replace(/\s+/g, ' ');
}

/**
 * What stays reachable once the obligation is enforced: enrolling (page and API), confirming
 * one's identity for it, signing in and out, help and static files. Route patterns, not URLs.
 */
export function reachableWhileEnforced(routePattern: string): boolean {
  return (
    routePattern.startsWith('/compte/cles-d-acces') ||
    routePattern.startsWith('/api/v1/me/passkeys') ||
    routePattern.startsWith('/api/v1/session') ||
    routePattern.startsWith('/aide') ||
    ['/compte/confirmation-identite', '/connexion', '/deconnexion', '/api/v1/me'].includes(routePattern)
  );
}
