/**
 * The applications of the portal and their roles
 * (docs/product/joining-and-habilitations.md#applications-and-roles). The database holds the same
 * rows (migration 0001) so habilitations can reference them; this copy gives the code types.
 */
export const APPLICATIONS = ['kairos', 'gid', 'support'] as const;
export type ApplicationCode = (typeof APPLICATIONS)[number];

export const ROLES = {
  kairos: ['quote_editor', 'attendance_officer', 'reader', 'trainer', 'advisor', 'agency_admin'],
  gid: ['account_manager', 'agency_admin'],
  support: ['user', 'agent'],
} as const satisfies Record<ApplicationCode, readonly string[]>;

export type RoleCode<A extends ApplicationCode = ApplicationCode> = (typeof ROLES)[A][number];

/** Roles that only the agency's own staff may hold. */
export const AGENCY_ONLY_ROLES: ReadonlyArray<{ application: ApplicationCode; role: string }> = [
  { application: 'kairos', role: 'advisor' },
  { application: 'kairos', role: 'agency_admin' },
  { application: 'gid', role: 'agency_admin' },
  { application: 'support', role: 'agent' },
];

export function isAgencyOnlyRole(application: string, role: string): boolean {
  return AGENCY_ONLY_ROLES.some((r) => r.application === application && r.role === role);
}

export function isKnownRole(application: string, role: string): boolean {
  return (APPLICATIONS as readonly string[]).includes(application) &&
    (ROLES[application as ApplicationCode] as readonly string[]).includes(role);
}
