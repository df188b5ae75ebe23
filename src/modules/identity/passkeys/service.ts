/**
 * Passkeys (docs/decisions/0044-passkeys.md): listing, enrolling and removing one's own, each
 * change after a fresh authentication and audited; checking an assertion at sign-in; and the
 * obligation for holders of `PASSKEY_REQUIRED_ROLES`.
 */
import { createHash, randomBytes } from 'node:crypto';
import type { Transaction } from 'kysely';
import type { AuthenticationResponseJSON, RegistrationResponseJSON } from '@simplewebauthn/server';
import type { AppContext, RequestMeta } from '../../../context.js';
import type { DB } from '../../../db/schema.js';
import { HttpProblem, problems } from '../../../http/problem.js';
import { queueMail } from '../../../mail/mailer.js';
import { formatDateTime } from '../../../http/format.js';
import { byActor, recordAudit } from '../../audit/service.js';
import type { Actor } from '../../habilitations/policy.js';
import {
  countPasskeys,
  deleteOwnPasskey,
  findByCredentialId,
  habilitationsInForce,
  insertPasskey,
  listPasskeys,
  markReauthenticated,
  passkeyStanding,
  putChallenge,
  recordUse,
  sessionAuthTimes,
  startGrace,
  takeChallenge,
  type StoredPasskey,
} from './repository.js';
import {
  CHALLENGE_TTL_MS,
  MAX_PASSKEYS_PER_ACCOUNT,
  holdsRequiredRole,
  isFresh,
  lastAuthenticationAt,
  normalisePasskeyName,
  passkeyObligation,
  type PasskeyObligation,
} from './rules.js';
import { PASSKEY_NOT_FOUND, PASSKEY_REFUSED, REAUTH_NEEDED } from './schemas.js';
import { creationOptions, requestOptions, verifyAssertion, verifyRegistration } from './webauthn.js';

export interface PasskeyView {
  id: string;
  name: string;
  createdAt: Date;
  lastUsedAt: Date | null;
}

const view = (p: StoredPasskey): PasskeyView => ({ id: p.id, name: p.name, createdAt: p.created_at, lastUsedAt: p.last_used_at });

export async function myPasskeys(ctx: AppContext, actor: Actor): Promise<{ passkeys: PasskeyView[]; obligation: PasskeyObligation }> {
  const rows = await listPasskeys(ctx.db, actor.accountId);
  return { passkeys: rows.map(view), obligation: await obligationOf(ctx, actor, rows.length > 0) };
}

/** Whether the session's sign-in, or its last re-authentication, is recent enough for a change of passkeys. */
export async function freshlyAuthenticated(ctx: AppContext, actor: Actor): Promise<boolean> {
  const times = await sessionAuthTimes(ctx.db, actor.sessionId);
  return !!times && isFresh(lastAuthenticationAt(times), ctx.clock.now(), ctx.config.reauthMinutes);
}

async function ensureFresh(ctx: AppContext, actor: Actor): Promise<void> {
  // A stolen session cookie must not be enough to add the thief's passkey (lasting access) or remove the owner's.
  if (!(await freshlyAuthenticated(ctx, actor))) throw new HttpProblem(403, 'Confirmation d’identité requise', REAUTH_NEEDED);
}

export async function startEnrolment(ctx: AppContext, actor: Actor) {
  await ensureFresh(ctx, actor);
  const existing = await listPasskeys(ctx.db, actor.accountId);
  if (existing.length >= MAX_PASSKEYS_PER_ACCOUNT) throw problems.conflict(`Vous avez déjà ${MAX_PASSKEYS_PER_ACCOUNT} clés d’accès : retirez-en une avant d’en ajouter.`);
  const options = await creationOptions(
    ctx.config.passkeys,
    { id: actor.accountId, login: actor.login, displayName: actor.displayName },
    existing.map((p) => ({ credentialId: p.credential_id, transports: p.transports })),
  );
  const now = ctx.clock.now();
  // Bound to the session: the answer is accepted only from the session that asked.
  await putChallenge(ctx.db, { id: `reg:${actor.sessionId}`, challenge: options.challenge, accountId: actor.accountId, now, expiresAt: new Date(now.getTime() + CHALLENGE_TTL_MS) });
  return options;
}

export async function enrolPasskey(ctx: AppContext, actor: Actor, input: { name: string; response: RegistrationResponseJSON }, meta: RequestMeta): Promise<PasskeyView> {
  await ensureFresh(ctx, actor);
  const name = normalisePasskeyName(input.name);
  if (!name) throw problems.invalid([{ field: 'name', message: 'Nom de la clé (name) : champ obligatoire, par exemple « Ordinateur du bureau ».' }]);
  const now = ctx.clock.now();
  const pending = await takeChallenge(ctx.db, `reg:${actor.sessionId}`, now);
  const verified = pending && pending.accountId === actor.accountId ? await verifyRegistration(ctx.config.passkeys, input.response, pending.challenge) : null;
  if (!verified) throw problems.invalid([{ field: 'response', message: PASSKEY_REFUSED }], PASSKEY_REFUSED);
  return ctx.db.transaction().execute(async (trx) => {
    if ((await countPasskeys(trx, actor.accountId)) >= MAX_PASSKEYS_PER_ACCOUNT) throw problems.conflict(`Vous avez déjà ${MAX_PASSKEYS_PER_ACCOUNT} clés d’accès : retirez-en une avant d’en ajouter.`);
    const id = await insertPasskey(trx, { accountId: actor.accountId, ...verified, name, now });
    if (!id) throw problems.conflict('Cette clé d’accès est déjà enregistrée.');
    await recordAudit(trx, {
      at: now,
      action: 'passkey.enrolled',
      ...byActor(actor, meta),
      organisationId: actor.organisation?.id ?? null,
      target: { type: 'passkey', id },
    });
    return { id, name, createdAt: now, lastUsedAt: null };
  });
}

export async function removePasskey(ctx: AppContext, actor: Actor, id: string, meta: RequestMeta): Promise<void> {
  const now = ctx.clock.now();
  // Someone else's id is absent: the check of freshness comes after, so it tells nothing either.
  const own = (await listPasskeys(ctx.db, actor.accountId)).some((p) => p.id === id);
  if (!own) throw problems.notFound(PASSKEY_NOT_FOUND);
  await ensureFresh(ctx, actor);
  await ctx.db.transaction().execute(async (trx) => {
    const removed = await deleteOwnPasskey(trx, actor.accountId, id);
    if (!removed) throw problems.notFound(PASSKEY_NOT_FOUND);
    await recordAudit(trx, {
      at: now,
      action: 'passkey.removed',
      ...byActor(actor, meta),
      organisationId: actor.organisation?.id ?? null,
      target: { type: 'passkey', id },
    });
  });
}

const flowKey = (flowToken: string) => `auth:${createHash('sha256').update(flowToken).digest('hex')}`;

/** Sign-in options, with the random token of the flow (kept in a cookie) its challenge is bound to. */
export async function startPasskeySignIn(ctx: AppContext) {
  const options = await requestOptions(ctx.config.passkeys);
  const flowToken = randomBytes(32).toString('base64url');
  const now = ctx.clock.now();
  await putChallenge(ctx.db, { id: flowKey(flowToken), challenge: options.challenge, accountId: null, now, expiresAt: new Date(now.getTime() + CHALLENGE_TTL_MS) });
  return { options, flowToken };
}

export type AssertionVerdict =
  | { ok: true; accountId: string; passkeyId: string }
  | { ok: false; reason: 'no_challenge' | 'unknown_passkey' | 'not_verified' | 'replayed'; accountId: string | null };

/**
 * Checks a sign-in assertion: the flow's challenge (taken, so used once), the passkey it names,
 * the signature, origin, relying party, user verification and counter; then records the use.
 */
export async function checkPasskeyAssertion(ctx: AppContext, flowToken: string | null, response: AuthenticationResponseJSON): Promise<AssertionVerdict> {
  const now = ctx.clock.now();
  const pending = flowToken ? await takeChallenge(ctx.db, flowKey(flowToken), now) : null;
  const stored = await findByCredentialId(ctx.db, response.id);
  if (!pending) return { ok: false, reason: 'no_challenge', accountId: stored?.account_id ?? null };
  if (!stored) return { ok: false, reason: 'unknown_passkey', accountId: null };
  const verified = await verifyAssertion(ctx.config.passkeys, response, pending.challenge, {
    credentialId: stored.credential_id,
    publicKey: stored.public_key,
    counter: stored.counter,
    transports: stored.transports,
  });
  if (!verified) return { ok: false, reason: 'not_verified', accountId: stored.account_id };
  if (!(await recordUse(ctx.db, stored.id, stored.counter, verified.newCounter, now))) return { ok: false, reason: 'replayed', accountId: stored.account_id };
  return { ok: true, accountId: stored.account_id, passkeyId: stored.id };
}

/** Where the actor stands with the obligation; cheap (no query) for anyone without a required role. */
export async function obligationOf(ctx: AppContext, actor: Actor, hasPasskey?: boolean): Promise<PasskeyObligation> {
  const { requiredRoles, graceDays } = ctx.config.passkeys;
  if (actor.apiToken || !holdsRequiredRole(actor.habilitations, requiredRoles)) return { state: 'none' };
  const standing = await passkeyStanding(ctx.db, actor.accountId);
  return passkeyObligation({ holdsRequiredRole: true, hasPasskey: hasPasskey ?? standing.hasPasskey, graceStartedAt: standing.graceStartedAt, graceDays, now: ctx.clock.now() });
}

/**
 * At sign-in, in its transaction: an account that holds a required role and no passkey starts
 * its grace period (once), with a mail saying until when and how to enrol.
 */
export async function startGraceIfDue(
  ctx: AppContext,
  trx: Transaction<DB>,
  account: { id: string; login: string; email: string | null; organisationId: string | null },
  now: Date,
): Promise<void> {
  const { requiredRoles, graceDays } = ctx.config.passkeys;
  if (requiredRoles.length === 0) return;
  if (!holdsRequiredRole(await habilitationsInForce(trx, account.id), requiredRoles)) return;
  if ((await countPasskeys(trx, account.id)) > 0) return;
  if (!(await startGrace(trx, account.id, now))) return;
  const deadline = new Date(now.getTime() + graceDays * 86_400_000);
  if (account.email) {
    await queueMail(trx, now, {
      to: account.email,
      subject: 'Kairos : ajoutez une clé d’accès à votre compte',
      text:
        `Bonjour,\n\nVotre rôle dans Kairos demande désormais une clé d’accès (passkey) pour vous connecter : elle ne peut pas être ` +
        `interceptée par un faux site, contrairement à un mot de passe ou à un code.\n\n` +
        `Ajoutez-en une avant le ${formatDateTime(deadline)} (heure de Paris) : une fois connecté au portail, ouvrez « Clés d’accès » ` +
        `en haut de la page. Après cette date, vous ne pourrez plus rien faire d’autre dans Kairos tant qu’une clé n’est pas ajoutée.\n\n` +
        `L’équipe Kairos — ${ctx.config.operatorName}\nNous ne vous demanderons jamais vos mots de passe ni vos codes par courriel.`,
    });
  }
  await recordAudit(trx, {
    at: now,
    action: 'passkey.grace_started',
    actor: { id: account.id, login: account.login },
    organisationId: account.organisationId,
    target: { type: 'account', id: account.id },
    details: { deadline: deadline.toISOString(), mailed: !!account.email },
  });
}

/** The session's identity was just confirmed again (sign-in/reauth.ts). */
export async function markSessionReauthenticated(trx: Transaction<DB>, sessionId: string, now: Date): Promise<void> {
  await markReauthenticated(trx, sessionId, now);
}
