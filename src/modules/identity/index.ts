/**
 * Identity as the application and other modules use it: its routes and pages, and the services
 * that sign in, resolve and end sessions, drive an account's life, check passwords, enrol a
 * second factor and throttle attempts. Inside, seven sub-domains (docs/product/security.md):
 * - accounts/: logins, staff account creation, suspension, reinstatement, deletion;
 * - sessions/: opening, resolving and ending sessions, "my sessions", signing out;
 * - throttling/: delays and lockout per identifier and per IP;
 * - passwords/: the policy, hashing, changing one's password;
 * - second-factor/: TOTP, recovery codes, sealed secrets, enrolment;
 * - passkeys/: WebAuthn credentials, their challenges, the obligation by role (decision 0044);
 * - sign-in/: the sign-in itself (password and code, or a passkey), the identity confirmation,
 *   the new-device alert, the sign-in page.
 * Why this layout and which way they depend: docs/decisions/0027-identity-sub-domains.md.
 */
export { identityPages, identityRoutes } from './routes.js';

export {
  createPendingStaffAccount,
  findAccountByLogin,
  isSecuritySuspension,
  markAccountDeleted,
  reinstateAccount,
  suspendAccount,
  type NewStaffAccount,
} from './accounts/service.js';
export { endOwnSession, mySessions, resolveSession, type ResolvedSession } from './sessions/service.js';
export { randomToken, sessionIdFromToken } from './sessions/session-rules.js';
export { SESSION_NOT_FOUND, sessionIdParams } from './sessions/schemas.js';
export { clearFailures, recordFailure, throttledUntil, throttleKeys, type ThrottleKey } from './throttling/service.js';
export { checkPassword, hashPassword, minPasswordLength } from './passwords/password-policy.js';
export { confirmTotpEnrolment, startTotpEnrolment } from './second-factor/service.js';
export { generateRecoveryCodes, hashRecoveryCode } from './second-factor/recovery-codes.js';
export { createSecretBox, type SecretBox } from './second-factor/secret-box.js';
export { describeUserAgent } from './user-agent.js';
