import { randomBytes } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { AppContext, RequestMeta } from '../../context.js';
import type { DB } from '../../db/schema.js';
import { formatDate } from '../../http/format.js';
import { HttpProblem, problems } from '../../http/problem.js';
import { enqueueJob } from '../../jobs/queue.js';
import { byActor, recordAudit } from '../audit/service.js';
import type { Actor } from '../habilitations/policy.js';
import { ACTIVATION_CODE_DAYS, issueActivationCode } from './activation-codes.js';
import { renderLetterPdf } from './letter-pdf.js';
import { insertLetter, letterById, letterToRender, lettersOf, lockAccountStatus, markSent, membershipRequestIdOfLetter, storeSealedPdf } from './letters-repository.js';

export const LETTER_JOB = 'letter.render';
const BEING_PREPARED = 'Ce courrier est en cours de préparation. Réessayez dans quelques instants.';

function letterReference(now: Date): string {
  const day = now.toISOString().slice(0, 10).replaceAll('-', '');
  return `KRS-${day}-${randomBytes(4).toString('hex').toUpperCase()}`;
}

/**
 * Records a letter and queues its rendering as a job of its own: the two letters of an
 * account never travel together (docs/product/joining-and-habilitations.md#approval-and-letters).
 * The activation code rides in the job sealed, never in clear.
 */
export async function createLetter(
  ctx: AppContext,
  trx: Kysely<DB>,
  input: { organisationId: string; accountId: string; kind: 'identifier' | 'activation'; now: Date; activationCode?: string },
): Promise<string> {
  const letterId = await insertLetter(trx, {
    organisation_id: input.organisationId,
    account_id: input.accountId,
    kind: input.kind,
    reference: letterReference(input.now),
    pdf_sealed: null,
    created_at: input.now,
    sent_at: null,
    sent_by: null,
  });
  await enqueueJob(trx, input.now, LETTER_JOB, {
    letterId,
    ...(input.activationCode ? { sealedCode: ctx.secretBox.seal(input.activationCode) } : {}),
  });
  return letterId;
}

/** The job: renders the PDF and keeps it sealed until the letter is marked as sent. */
export function letterJobHandler(ctx: AppContext) {
  return async (payload: Record<string, unknown>) => {
    const letterId = String(payload.letterId);
    const row = await letterToRender(ctx.db, letterId);
    if (!row) return; // the letter was removed meanwhile: nothing to render
    const code = typeof payload.sealedCode === 'string' ? ctx.secretBox.open(payload.sealedCode) : undefined;
    const pdf = await renderLetterPdf({
      kind: row.kind,
      reference: row.reference,
      issuedOn: formatDate(row.created_at),
      operatorName: ctx.config.operatorName,
      operatorAddress: ctx.config.operatorAddress,
      organisationName: row.name,
      organisationAddress: row.address,
      recipientName: row.display_name,
      portalUrl: ctx.config.publicUrl,
      ...(row.kind === 'identifier'
        ? { login: row.login }
        : { activationCode: code, expiresOn: formatDate(new Date(row.created_at.getTime() + ACTIVATION_CODE_DAYS * 86_400_000)) }),
    });
    await storeSealedPdf(ctx.db, letterId, ctx.secretBox.seal(pdf.toString('base64')));
  };
}

export function listLetters(ctx: AppContext, organisationId: string) {
  return lettersOf(ctx.db, organisationId);
}

/** The adhesion request behind a letter's organisation, to return to its page. */
export function membershipRequestOfLetter(ctx: AppContext, letterId: string): Promise<string | undefined> {
  return membershipRequestIdOfLetter(ctx.db, letterId);
}

async function findLetter(ctx: AppContext, id: string) {
  const letter = await letterById(ctx.db, id);
  if (!letter) throw problems.notFound('Ce courrier est introuvable.');
  return letter;
}

export async function letterPdf(ctx: AppContext, actor: Actor, id: string, meta: RequestMeta): Promise<{ pdf: Buffer; reference: string }> {
  const letter = await findLetter(ctx, id);
  if (!letter.pdf_sealed) {
    if (letter.sent_at) throw new HttpProblem(410, 'Courrier envoyé', 'Ce courrier a été envoyé : son contenu n’est plus conservé. Régénérez-le si le destinataire ne l’a pas reçu.');
    throw problems.conflict(BEING_PREPARED);
  }
  await ctx.db.transaction().execute((trx) =>
    recordAudit(trx, {
      at: ctx.clock.now(),
      action: 'letter.downloaded',
      ...byActor(actor, meta),
      organisationId: letter.organisation_id,
      target: { type: 'letter', id },
      details: { kind: letter.kind },
    }),
  );
  return { pdf: Buffer.from(ctx.secretBox.open(letter.pdf_sealed), 'base64'), reference: letter.reference };
}

/** Marks a letter as posted; an activation letter's content (the code) is then erased. */
export async function markLetterSent(ctx: AppContext, actor: Actor, id: string, meta: RequestMeta) {
  const letter = await findLetter(ctx, id);
  if (letter.sent_at) throw problems.conflict('Ce courrier est déjà marqué comme envoyé.');
  if (!letter.pdf_sealed) throw problems.conflict(BEING_PREPARED);
  const now = ctx.clock.now();
  await ctx.db.transaction().execute(async (trx) => {
    await markSent(trx, id, actor.accountId, now, letter.kind === 'activation');
    await recordAudit(trx, {
      at: now,
      action: 'letter.sent',
      ...byActor(actor, meta),
      organisationId: letter.organisation_id,
      target: { type: 'letter', id },
      details: { kind: letter.kind },
    });
  });
  return { id, sentAt: now.toISOString() };
}

/** A new activation letter for the same account; the previous code stops working at once. */
export async function regenerateActivationLetter(ctx: AppContext, actor: Actor, id: string, meta: RequestMeta) {
  const letter = await findLetter(ctx, id);
  if (letter.kind !== 'activation') throw problems.conflict('Seul un courrier d’activation peut être régénéré.');
  const now = ctx.clock.now();
  return ctx.db.transaction().execute(async (trx) => {
    const account = await lockAccountStatus(trx, letter.account_id);
    if (account.status !== 'pending') throw problems.conflict('Ce compte est déjà activé : aucun code d’activation n’est nécessaire.');
    const code = await issueActivationCode(trx, letter.account_id, now);
    const newId = await createLetter(ctx, trx, { organisationId: letter.organisation_id, accountId: letter.account_id, kind: 'activation', now, activationCode: code });
    await recordAudit(trx, {
      at: now,
      action: 'letter.activation_regenerated',
      ...byActor(actor, meta),
      organisationId: letter.organisation_id,
      target: { type: 'letter', id: newId },
      details: { replaces: id },
    });
    return { id: newId, kind: 'activation' as const };
  });
}
