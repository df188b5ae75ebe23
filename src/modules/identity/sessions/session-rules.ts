/**
 * Session rules (docs/product/security.md#sessions): the cookie's token and the id the table
 * keeps, and when a live session ends on its own. Pure, so the limits are tested without a
 * database.
 */
import { createHash, randomBytes } from 'node:crypto';

export interface SessionLimits {
  idleMinutes: number;
  absoluteHours: number;
}

/** The cookie carries a random token; the table keeps only its hash, useless if leaked. */
export function sessionIdFromToken(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}

export function randomToken(bytes = 32): string {
  return randomBytes(bytes).toString('base64url');
}

export type SessionEndReason = 'sign_out' | 'idle' | 'absolute' | 'revoked' | 'password_change' | 'suspended' | 'deleted' | 'rotated';

/** Why a live session should end now, or null if it is still valid. */
export function expiryReason(
  session: { created_at: Date; last_seen_at: Date },
  now: Date,
  limits: SessionLimits,
): 'idle' | 'absolute' | null {
  if (now.getTime() - session.created_at.getTime() >= limits.absoluteHours * 3_600_000) return 'absolute';
  if (now.getTime() - session.last_seen_at.getTime() >= limits.idleMinutes * 60_000) return 'idle';
  return null;
}

// Writing last_seen_at on every request would double the writes for no gain in precision.
const TOUCH_EVERY_MS = 30_000;

export function needsTouch(lastSeenAt: Date, now: Date): boolean {
  return now.getTime() - lastSeenAt.getTime() >= TOUCH_EVERY_MS;
}
