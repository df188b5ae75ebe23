import { createHash, randomBytes } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { DB } from '../../db/schema.js';

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

export async function createSession(
  db: Kysely<DB>,
  input: { accountId: string; ip: string | null; userAgent: string | null; now: Date },
): Promise<{ token: string; sessionId: string; csrfToken: string }> {
  const token = randomToken();
  const csrfToken = randomToken();
  const sessionId = sessionIdFromToken(token);
  await db
    .insertInto('session')
    .values({
      id: sessionId,
      account_id: input.accountId,
      csrf_token: csrfToken,
      created_at: input.now,
      last_seen_at: input.now,
      ended_at: null,
      end_reason: null,
      ip: input.ip,
      user_agent: input.userAgent?.slice(0, 300) ?? null,
    })
    .execute();
  return { token, sessionId, csrfToken };
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

export async function endSession(db: Kysely<DB>, sessionId: string, reason: SessionEndReason, now: Date): Promise<void> {
  await db
    .updateTable('session')
    .set({ ended_at: now, end_reason: reason })
    .where('id', '=', sessionId)
    .where('ended_at', 'is', null)
    .execute();
}

/** Ends every live session of an account; returns how many ended. */
export async function endAllSessions(
  db: Kysely<DB>,
  accountId: string,
  reason: SessionEndReason,
  now: Date,
): Promise<number> {
  const result = await db
    .updateTable('session')
    .set({ ended_at: now, end_reason: reason })
    .where('account_id', '=', accountId)
    .where('ended_at', 'is', null)
    .executeTakeFirst();
  return Number(result.numUpdatedRows ?? 0);
}

// Writing last_seen_at on every request would double the writes for no gain in precision.
const TOUCH_EVERY_MS = 30_000;

export function needsTouch(lastSeenAt: Date, now: Date): boolean {
  return now.getTime() - lastSeenAt.getTime() >= TOUCH_EVERY_MS;
}

export async function touchSession(db: Kysely<DB>, sessionId: string, now: Date): Promise<void> {
  await db.updateTable('session').set({ last_seen_at: now }).where('id', '=', sessionId).execute();
}
