/**
 * Right of access (RGPD art. 15) for candidates: everything Kairos holds about the signed-in
 * candidate, as JSON (GET /api/v1/me/data-export) or a PDF summary (…/data-export.pdf). Read in one
 * transaction, so the parts agree, which also records the export in the audit log.
 */
import type { AppContext, RequestMeta } from '../../context.js';
import { byActor, recordAudit } from '../audit/service.js';
import type { Actor } from '../habilitations/policy.js';
import * as repo from './export-repository.js';

/** The newest audit events listed; a longer history is available on request (privacy notice). */
export const EXPORTED_AUDIT_EVENTS = 1000;

const iso = (d: Date | null | undefined) => (d ? new Date(d).toISOString() : null);

export async function candidateDataExport(ctx: AppContext, actor: Actor, meta: RequestMeta, format: 'json' | 'pdf') {
  const now = ctx.clock.now();
  return ctx.db.transaction().execute(async (trx) => {
    const account = (await repo.accountOf(trx, actor.accountId))!;
    const candidate = await repo.candidateOfAccount(trx, actor.accountId);
    const quotes = candidate ? await repo.quotesOf(trx, candidate.id) : [];
    const quoteIds = quotes.map((q) => q.id);
    const [events, versions, trainings, support] = await Promise.all([
      repo.quoteEventsOf(trx, quoteIds),
      repo.quoteVersionsOf(trx, quoteIds),
      candidate ? repo.trainingsOf(trx, candidate.id) : Promise.resolve([]),
      repo.supportRequestsOf(trx, actor.accountId),
    ]);
    const trainingIds = trainings.map((t) => t.id);
    const [attendance, statements, reports, messages, signatures] = await Promise.all([
      repo.attendanceOf(trx, trainingIds),
      repo.statementsOf(trx, trainingIds),
      repo.reportsOf(trx, trainingIds),
      repo.supportMessagesOf(trx, support.map((s) => s.id)),
      candidate ? repo.attendanceSignaturesOf(trx, candidate.id) : Promise.resolve([]),
    ]);
    const audit = await repo.auditEventsAbout(
      trx,
      actor.accountId,
      [
        { type: 'account', ids: [actor.accountId] },
        { type: 'candidate', ids: candidate ? [candidate.id] : [] },
        { type: 'quote', ids: quoteIds },
        { type: 'training', ids: trainingIds },
      ],
      EXPORTED_AUDIT_EVENTS,
    );
    await recordAudit(trx, {
      at: now,
      ...byActor(actor, meta),
      action: 'candidate.data_exported',
      target: candidate ? { type: 'candidate', id: candidate.id } : { type: 'account', id: actor.accountId },
      details: { format },
    });
    return {
      generatedAt: now.toISOString(),
      account: {
        login: account.login, displayName: account.display_name, email: account.email, firstName: account.first_name, lastName: account.last_name,
        phone: account.phone, status: account.status, createdAt: iso(account.created_at)!, passwordChangedAt: iso(account.password_changed_at),
      },
      candidate: candidate
        ? { identifier: candidate.identifier, lastName: candidate.last_name, firstName: candidate.first_name, birthDate: candidate.birth_date, email: candidate.email, createdAt: iso(candidate.created_at)! }
        : null,
      quotes: quotes.map((q) => ({
        id: q.id, type: q.type, status: q.status, version: q.version, organisation: q.organisation_name, data: q.data,
        createdAt: iso(q.created_at)!, submittedAt: iso(q.submitted_at), acceptedAt: iso(q.accepted_at), decidedAt: iso(q.decided_at), agreementReference: q.agreement_reference,
        history: events.filter((e) => e.quote_id === q.id).map((e) => ({ at: iso(e.at)!, action: e.action, fromStatus: e.from_status, toStatus: e.to_status, version: e.version, comment: e.comment })),
        versions: versions.filter((v) => v.quote_id === q.id).map((v) => ({ version: v.version, type: v.type, data: v.data, submittedAt: iso(v.submitted_at)! })),
      })),
      trainings: trainings.map((t) => ({
        id: t.id, quoteId: t.quote_id, title: t.title, status: t.status, organisation: t.organisation_name, carifOrefSession: t.carif_oref_session,
        startDate: t.start_date, endDate: t.end_date, entryDate: t.entry_date, exitDate: t.exit_date,
        withdrawal: t.withdrawal_date ? { date: t.withdrawal_date, reason: t.withdrawal_reason, comment: t.withdrawal_comment } : null,
        attendance: attendance.filter((a) => a.training_id === t.id).map((a) => ({ date: a.date, period: a.period, status: a.status, lateMinutes: a.late_minutes, reason: a.reason, justified: a.justified, recordedAt: iso(a.recorded_at)! })),
        statements: statements.filter((s) => s.training_id === t.id).map((s) => ({ month: s.month, figures: s.figures, submittedAt: iso(s.submitted_at)! })),
        report: reports.filter((r) => r.training_id === t.id).map((r) => ({
          outcome: r.outcome, certification: r.certification, skills: r.skills, difficulties: r.difficulties, nextSteps: r.next_steps, employmentOutcome: r.employment_outcome, submittedAt: iso(r.submitted_at)!,
        }))[0] ?? null,
      })),
      supportRequests: support.map((s) => ({
        number: s.number, category: s.category, subject: s.subject, description: s.description, steps: s.steps, errorReference: s.error_reference, status: s.status,
        createdAt: iso(s.created_at)!, updatedAt: iso(s.updated_at)!,
        messages: messages.filter((m) => m.request_id === s.id).map((m) => ({ from: m.author_role, body: m.body, at: iso(m.at)! })),
      })),
      // Signatures of attendance sheets, with what each one recorded; quote acceptances and decisions are in each quote's history.
      signatures: signatures.map((g) => ({
        sheetId: g.sheet_id, trainingId: g.training_id, session: g.carif_oref_session, date: String(g.date).slice(0, 10), period: g.period,
        signedAt: iso(g.signed_at)!, ip: g.ip, userAgent: g.user_agent, codeStep: Number(g.token_step), signature: g.signature as Record<string, unknown>,
      })) as Array<Record<string, unknown>>,
      // Staff are named by their role only: their identity is their own personal data.
      auditEvents: audit.map((e) => ({
        at: iso(e.at)!, action: e.action, byYou: e.actor_id === actor.accountId, targetType: e.target_type, targetId: e.target_id,
        ip: e.actor_id === actor.accountId ? e.ip : null,
      })),
    };
  });
}

export type CandidateDataExport = Awaited<ReturnType<typeof candidateDataExport>>;
