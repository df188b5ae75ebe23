/**
 * Digital attendance sheets (docs/decisions/0048-attendance-sheets.md): a trainer or an attendance
 * officer opens the sheet of a planned half-day; the trainees sign it from the QR code on the
 * trainer's screen; the trainer signs and closes it, which proposes each trainee's attendance
 * for the attendance officer to confirm. Every step is audited in the transaction of its change.
 */
import { createHash } from 'node:crypto';
import type { AppContext, RequestMeta } from '../../../context.js';
import { problems } from '../../../http/problem.js';
import { byActor, recordAudit, recordAuditAlone } from '../../audit/service.js';
import { formatDateTime } from '../../../http/format.js';
import { renderSheetPdf } from './pdf.js';
import { hasHabilitation, type Actor } from '../../habilitations/policy.js';
import { auditCandidateViews } from '../service.js';
import * as repo from './repository.js';
import {
  checkSheetToken,
  MAC_PURPOSE,
  openingRefusal,
  parisInstant,
  proposalsOf,
  sheetToken,
  stepAt,
  TOKEN_STEP_SECONDS,
  type Period,
  type SignatureInput,
} from './rules.js';

export const SHEET_NOT_FOUND = 'Feuille d’émargement introuvable : vérifiez le lien, ou elle appartient à un autre organisme.';

const SHEET_ROLES = ['trainer', 'attendance_officer'] as const;

/** The training organisation whose sheets the actor runs (trainer, attendance officer) or reads (reader too). */
function organisationOf(actor: Actor, roles: readonly string[]): string {
  if (actor.organisation?.kind !== 'training_provider' || !hasHabilitation(actor, 'kairos', roles)) throw problems.forbidden();
  return actor.organisation.id;
}

const mac = (ctx: AppContext) => (data: string) => ctx.secretBox.mac(MAC_PURPOSE, data);

async function viewOf(ctx: AppContext, sheet: repo.SheetRow) {
  const trainees = await repo.sheetTrainees(ctx.db, sheet);
  const now = ctx.clock.now();
  const step = stepAt(now);
  return {
    id: sheet.id,
    status: sheet.status,
    session: sheet.carif_oref_session,
    date: sheet.date,
    period: sheet.period,
    startsAt: sheet.starts_at,
    endsAt: sheet.ends_at,
    organisation: { id: sheet.organisation_id, name: sheet.organisation_name },
    openedAt: sheet.opened_at.toISOString(),
    openedBy: sheet.opened_by_name,
    closedAt: sheet.closed_at?.toISOString() ?? null,
    closedBy: sheet.closed_by_name ?? null,
    contentHash: sheet.content_hash,
    trainees: trainees.map((t) => ({
      trainingId: t.training_id,
      firstName: t.first_name,
      lastName: t.last_name,
      signedAt: t.signed_at?.toISOString() ?? null,
      signatureKind: (t.signature as SignatureInput | null)?.kind ?? null,
    })),
    // The code the trainer's screen shows now; it changes every 30 seconds.
    token: sheet.status === 'open' ? sheetToken(mac(ctx), sheet.id, step) : null,
    tokenRenewsAt: sheet.status === 'open' ? new Date((step + 1) * TOKEN_STEP_SECONDS * 1000).toISOString() : null,
    viewed: trainees.map((t) => ({ candidate_id: t.candidate_id, identifier: t.identifier })),
  };
}

async function readableSheet(ctx: AppContext, actor: Actor, id: string, meta: RequestMeta) {
  const organisationId = organisationOf(actor, [...SHEET_ROLES, 'reader']);
  const sheet = await repo.findSheet(ctx.db, id, organisationId);
  if (!sheet) throw problems.notFound(SHEET_NOT_FOUND);
  const { viewed, ...view } = await viewOf(ctx, sheet);
  await auditCandidateViews(ctx, actor, meta, viewed, 'feuille d’émargement');
  return view;
}

export async function getSheet(ctx: AppContext, actor: Actor, id: string, meta: RequestMeta) {
  return readableSheet(ctx, actor, id, meta);
}

export async function openSheet(ctx: AppContext, actor: Actor, input: { session: string; date: string; period: Period }, meta: RequestMeta) {
  const organisationId = organisationOf(actor, SHEET_ROLES);
  const halfDay = await repo.plannedHalfDay(ctx.db, organisationId, input.session, input.date, input.period);
  if (!halfDay) {
    throw problems.invalid([{ field: 'session', message: `Aucune formation de votre organisme ne prévoit la session ${input.session} le ${input.date} (${input.period === 'am' ? 'matin' : 'après-midi'}) : vérifiez la session, la date et la demi-journée.` }]);
  }
  const now = ctx.clock.now();
  const refusal = openingRefusal(now, { date: input.date, ...halfDay });
  if (refusal) throw problems.invalid([{ field: 'date', message: refusal }]);
  const id = await ctx.db.transaction().execute(async (trx) => {
    const created = await repo.insertSheet(trx, { organisationId, ...input, ...halfDay, openedBy: actor.accountId, at: now });
    if (!created) return undefined;
    await recordAudit(trx, { at: now, ...byActor(actor, meta), organisationId, action: 'attendance_sheet.opened', target: { type: 'attendance_sheet', id: created }, details: { session: input.session, date: input.date, period: input.period } });
    return created;
  });
  if (!id) {
    const existing = await repo.sheetIdOf(ctx.db, organisationId, input.session, input.date, input.period);
    throw problems.conflict(`La feuille de cette demi-journée est déjà ouverte : reprenez-la (${existing ?? 'identifiant inconnu'}).`);
  }
  return readableSheet(ctx, actor, id, meta);
}

type Db = AppContext['db'];

/** The sheet and the candidate's training a scanned token leads to, or the refusal naming why. */
async function signableSheet(ctx: AppContext, db: Db, actor: Actor, token: string, forUpdate: boolean) {
  if (actor.kind !== 'candidate') throw problems.forbidden();
  const checked = checkSheetToken(mac(ctx), token, ctx.clock.now());
  const invalid = (message: string) => problems.invalid([{ field: 'token', message }]);
  if (!checked.ok) {
    throw invalid(checked.reason === 'expired' ? 'Ce code a expiré (il change toutes les 30 secondes) : scannez de nouveau le code affiché par votre formateur.' : 'Ce code n’est pas valide : scannez le code affiché par votre formateur.');
  }
  const sheet = await repo.findSheet(db, checked.sheetId, null, forUpdate);
  if (!sheet) throw invalid('Ce code n’est pas valide : scannez le code affiché par votre formateur.');
  if (sheet.status !== 'open') throw invalid('La feuille d’émargement est close : votre formateur ne reçoit plus de signature pour cette demi-journée.');
  const trainee = await repo.traineeOfSheet(db, sheet, actor.accountId);
  if (!trainee) throw invalid('Vous n’êtes pas inscrit à cette session de formation ce jour-là : vérifiez que vous avez scanné le code de votre groupe.');
  if (trainee.withdrawal_date && trainee.withdrawal_date <= sheet.date) {
    throw invalid('Votre abandon de cette formation a été déclaré : vous ne pouvez plus émarger. Contactez l’organisme en cas d’erreur.');
  }
  return { sheet, trainee, step: checked.step };
}

/** What the trainee is about to sign (the signing page shows it first), or the refusal. */
export async function signingPreview(ctx: AppContext, actor: Actor, token: string) {
  const { sheet, trainee } = await signableSheet(ctx, ctx.db, actor, token, false);
  return { title: trainee.title, organisation: sheet.organisation_name, date: sheet.date, period: sheet.period, startsAt: sheet.starts_at, endsAt: sheet.ends_at };
}

/** The trainee's signature from a scanned token. */
export async function signSheet(ctx: AppContext, actor: Actor, input: { token: string; signature?: SignatureInput }, meta: RequestMeta) {
  const now = ctx.clock.now();
  const signature: SignatureInput = input.signature ?? { kind: 'confirmed' };
  return ctx.db.transaction().execute(async (trx) => {
    const { sheet, trainee, step } = await signableSheet(ctx, trx, actor, input.token, true);
    const stored = await repo.insertSignature(trx, { sheetId: sheet.id, trainingId: trainee.training_id, candidateId: trainee.candidate_id, at: now, step, ip: meta.ip, userAgent: meta.userAgent, signature });
    if (!stored) throw problems.conflict('Vous avez déjà signé cette feuille d’émargement.');
    await recordAudit(trx, {
      at: now,
      ...byActor(actor, meta),
      organisationId: sheet.organisation_id,
      action: 'attendance_sheet.signed',
      target: { type: 'attendance_sheet', id: sheet.id },
      details: { training: trainee.training_id, step, kind: signature.kind },
    });
    return { sheetId: sheet.id, trainingId: trainee.training_id, title: trainee.title, date: sheet.date, period: sheet.period, signedAt: now.toISOString() };
  });
}

/** The SHA-256 of what the closed sheet attests, in a fixed order. */
function contentHashOf(sheet: repo.SheetRow, trainer: { id: string; signature: SignatureInput }, trainees: Awaited<ReturnType<typeof repo.sheetTrainees>>): string {
  const content = {
    sheet: sheet.id,
    organisation: sheet.organisation_id,
    session: sheet.carif_oref_session,
    date: sheet.date,
    period: sheet.period,
    hours: [sheet.starts_at, sheet.ends_at],
    trainer,
    signatures: trainees.filter((t) => t.signed_at).map((t) => ({ training: t.training_id, at: t.signed_at!.toISOString(), signature: t.signature })),
  };
  return createHash('sha256').update(JSON.stringify(content)).digest('hex');
}

export async function closeSheetBy(ctx: AppContext, actor: Actor, id: string, signature: SignatureInput, meta: RequestMeta) {
  const organisationId = organisationOf(actor, SHEET_ROLES);
  const now = ctx.clock.now();
  await ctx.db.transaction().execute(async (trx) => {
    const sheet = await repo.findSheet(trx, id, organisationId, true);
    if (!sheet) throw problems.notFound(SHEET_NOT_FOUND);
    if (sheet.status !== 'open') throw problems.conflict('Cette feuille d’émargement est déjà close.');
    const trainees = await repo.sheetTrainees(trx, sheet);
    const contentHash = contentHashOf(sheet, { id: actor.accountId, signature }, trainees);
    await repo.closeSheet(trx, sheet.id, { by: actor.accountId, at: now, signature, contentHash });
    const start = parisInstant(sheet.date, sheet.starts_at);
    const proposed = await repo.insertProposals(trx, sheet, proposalsOf(start, trainees.map((t) => ({ trainingId: t.training_id, signedAt: t.signed_at }))), now);
    await recordAudit(trx, {
      at: now,
      ...byActor(actor, meta),
      organisationId,
      action: 'attendance_sheet.closed',
      target: { type: 'attendance_sheet', id: sheet.id },
      details: { contentHash, signed: trainees.filter((t) => t.signed_at).length, trainees: trainees.length, proposed },
    });
  });
  return readableSheet(ctx, actor, id, meta);
}

/** The organisation's sheets, or for an advisor those where one of their candidates is planned. */
export async function listSheetsOf(ctx: AppContext, actor: Actor, filters: { session?: string; month?: string }) {
  const advisor = actor.organisation?.kind === 'agency' && hasHabilitation(actor, 'kairos', ['advisor']);
  const reader = advisor ? { advisorId: actor.accountId } : { organisationId: organisationOf(actor, [...SHEET_ROLES, 'reader']) };
  const rows = await repo.listSheets(ctx.db, reader, filters);
  return {
    sheets: rows.map((s) => ({
      id: s.id,
      status: s.status,
      session: s.carif_oref_session,
      date: s.date,
      period: s.period,
      startsAt: s.starts_at,
      endsAt: s.ends_at,
      openedAt: s.opened_at.toISOString(),
      closedAt: s.closed_at?.toISOString() ?? null,
      contentHash: s.content_hash,
    })),
  };
}

/**
 * The sheet as a PDF: the organisation's readers get every line; an advisor the lines of their
 * candidates, a trainee their own line (the others' names and signatures are not theirs to see);
 * anyone with no line on the sheet gets the 404 of an unknown sheet. Audited.
 */
export async function sheetPdf(ctx: AppContext, actor: Actor, id: string, meta: RequestMeta): Promise<Buffer> {
  const sheet = await repo.findSheet(ctx.db, id, null);
  if (!sheet) throw problems.notFound(SHEET_NOT_FOUND);
  let only: repo.TraineeFilter;
  if (actor.kind === 'candidate') only = { kind: 'candidate', accountId: actor.accountId };
  else if (actor.organisation?.kind === 'agency' && hasHabilitation(actor, 'kairos', ['advisor'])) only = { kind: 'advisor', accountId: actor.accountId };
  else if (actor.organisation?.id === sheet.organisation_id && hasHabilitation(actor, 'kairos', [...SHEET_ROLES, 'reader'])) only = { kind: 'all' };
  else throw problems.notFound(SHEET_NOT_FOUND);
  const trainees = await repo.sheetTrainees(ctx.db, sheet, only);
  if (only.kind !== 'all' && trainees.length === 0) throw problems.notFound(SHEET_NOT_FOUND);
  await auditCandidateViews(ctx, actor, meta, trainees, 'feuille d’émargement (PDF)');
  const time = (d: Date | null) => (d ? formatDateTime(d).split(' à ')[1]! : null);
  const pdf = await renderSheetPdf({
    operatorName: ctx.config.operatorName,
    organisationName: sheet.organisation_name,
    session: sheet.carif_oref_session,
    date: sheet.date,
    period: sheet.period,
    hours: `${sheet.starts_at}–${sheet.ends_at}`,
    status: sheet.status,
    trainer: { name: sheet.closed_by_name ?? null, signature: (sheet.trainer_signature as SignatureInput | null) ?? null, closedAt: sheet.closed_at ? formatDateTime(sheet.closed_at) : null },
    lines: trainees.map((t) => ({ name: `${t.last_name} ${t.first_name}`, identifier: t.identifier, signedAt: time(t.signed_at), signature: (t.signature as SignatureInput | null) ?? null })),
    contentHash: sheet.content_hash,
    auditReference: sheet.status === 'closed' ? String(await repo.closingAuditId(ctx.db, sheet.id) ?? '') || null : null,
    partial: only.kind !== 'all',
  });
  await recordAuditAlone(ctx.db, { at: ctx.clock.now(), ...byActor(actor, meta), organisationId: sheet.organisation_id, action: 'attendance_sheet.downloaded', target: { type: 'attendance_sheet', id: sheet.id }, details: { lines: trainees.length } });
  return pdf;
}

/** The trainee's own signatures of a month, for their calendar (never anyone else's). */
export async function mySignatures(ctx: AppContext, actor: Actor, trainingId: string, month: string) {
  if (actor.kind !== 'candidate') return [];
  const rows = await repo.signaturesOf(ctx.db, actor.accountId, trainingId, month);
  return rows.map((r) => ({ sheetId: r.sheet_id, date: String(r.date).slice(0, 10), period: r.period, signedAt: r.signed_at, kind: (r.signature as SignatureInput).kind }));
}
