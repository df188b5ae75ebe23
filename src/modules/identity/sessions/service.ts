/**
 * Server-side sessions (docs/product/security.md#sessions): opening one at sign-in, finding the
 * actor behind a cookie at each request, and ending them (sign-out, the owner's choice, a
 * password change, a suspension).
 */
import type { Kysely } from 'kysely';
import type { AppContext, RequestMeta } from '../../../context.js';
import type { DB } from '../../../db/schema.js';
import { byActor, recordAudit } from '../../audit/service.js';
import { effectiveHabilitations, type Actor } from '../../habilitations/policy.js';
import {
  findLiveSession,
  insertSession,
  listSessions,
  markAccountSessionsEnded,
  markOwnSessionEnded,
  markSessionEnded,
  setLastSeen,
  type LiveSession,
} from './repository.js';
import { expiryReason, needsTouch, randomToken, sessionIdFromToken, type SessionEndReason } from './session-rules.js';

export async function createSession(
  db: Kysely<DB>,
  input: { accountId: string; ip: string | null; userAgent: string | null; now: Date },
): Promise<{ token: string; sessionId: string; csrfToken: string }> {
  const token = randomToken();
  const csrfToken = randomToken();
  const sessionId = sessionIdFromToken(token);
  await insertSession(db, {
    id: sessionId,
    account_id: input.accountId,
    csrf_token: csrfToken,
    created_at: input.now,
    last_seen_at: input.now,
    ended_at: null,
    end_reason: null,
    ip: input.ip,
    user_agent: input.userAgent?.slice(0, 300) ?? null,
  });
  return { token, sessionId, csrfToken };
}

export async function endSession(db: Kysely<DB>, sessionId: string, reason: SessionEndReason, now: Date): Promise<void> {
  await markSessionEnded(db, sessionId, reason, now);
}

/** Ends every live session of an account; returns how many ended. */
export async function endAllSessions(db: Kysely<DB>, accountId: string, reason: SessionEndReason, now: Date): Promise<number> {
  return markAccountSessionsEnded(db, accountId, reason, now);
}

function actorOf(s: LiveSession): Actor {
  const organisation =
    s.organisationId && s.organisationName && s.organisationKind
      ? { id: s.organisationId, name: s.organisationName, kind: s.organisationKind }
      : null;
  return {
    accountId: s.accountId,
    sessionId: s.sessionId,
    login: s.login,
    displayName: s.displayName,
    kind: s.kind,
    organisation,
    habilitations: effectiveHabilitations(organisation ? s.habilitations : [], organisation),
  };
}

export interface ResolvedSession {
  actor: Actor;
  csrfToken: string;
}

/** The actor behind a session cookie, or null when the session is unknown, ended or expired. */
export async function resolveSession(ctx: AppContext, token: string): Promise<ResolvedSession | null> {
  if (!token || token.length > 100) return null;
  const sessionId = sessionIdFromToken(token);
  const session = await findLiveSession(ctx.db, sessionId);
  if (!session) return null;
  const now = ctx.clock.now();
  const expired = expiryReason(session, now, ctx.config.session);
  if (expired) {
    await endSession(ctx.db, sessionId, expired, now);
    return null;
  }
  if (session.status !== 'active' || session.organisationStatus === 'suspended') {
    await endSession(ctx.db, sessionId, 'suspended', now);
    return null;
  }
  if (needsTouch(session.last_seen_at, now)) await setLastSeen(ctx.db, sessionId, now);
  return { actor: actorOf(session), csrfToken: session.csrfToken };
}

export async function signOut(ctx: AppContext, actor: Actor, meta: RequestMeta): Promise<void> {
  const now = ctx.clock.now();
  await ctx.db.transaction().execute(async (trx) => {
    await endSession(trx, actor.sessionId, 'sign_out', now);
    await recordAudit(trx, {
      at: now,
      action: 'sign_out',
      ...byActor(actor, meta),
      organisationId: actor.organisation?.id ?? null,
    });
  });
}

export async function mySessions(ctx: AppContext, actor: Actor) {
  const rows = await listSessions(ctx.db, actor.accountId);
  return {
    active: rows.filter((s) => !s.ended_at),
    // The sign-in before the current one: what the user should recognise as theirs.
    previousSignIn: rows.find((s) => s.id !== actor.sessionId) ?? null,
    currentId: actor.sessionId,
  };
}

/** Ends one of the actor's own sessions; false when it is not theirs or already ended. */
export async function endOwnSession(ctx: AppContext, actor: Actor, sessionId: string, meta: RequestMeta): Promise<boolean> {
  const now = ctx.clock.now();
  return ctx.db.transaction().execute(async (trx) => {
    if (!(await markOwnSessionEnded(trx, actor.accountId, sessionId, 'revoked', now))) return false;
    await recordAudit(trx, {
      at: now,
      action: 'session.revoked',
      ...byActor(actor, meta),
      organisationId: actor.organisation?.id ?? null,
      target: { type: 'session', id: sessionId.slice(0, 16) },
    });
    return true;
  });
}
