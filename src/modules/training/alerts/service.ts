/**
 * Alerts to the advisor who follows a trainee (docs/product/training-follow-up.md#alerts): too many
 * unjustified absences in a month, a withdrawal, an overdue report. Each is stored once per
 * training, kind and month (the dashboard lists them) and mailed once, in the transaction of the
 * change that raised it, with the organisation's `attendance.alert` webhook deliveries.
 */
import type { Transaction } from 'kysely';
import type { AppContext, RequestMeta } from '../../../context.js';
import type { DB } from '../../../db/schema.js';
import { queueMail } from '../../../mail/mailer.js';
import type { Actor } from '../../habilitations/policy.js';
import { emitWebhookEvent } from '../../webhooks/index.js';
import { formatFrenchDate } from '../../quotes/rules/holidays.js';
import { scopeOf } from '../policy.js';
import { auditCandidateViews } from '../service.js';
import { WITHDRAWAL_LABELS, exceedsUnjustifiedThreshold, monthBounds, monthLabel, reportDueDate, type WithdrawalReason } from '../rules.js';
import { alertsInScope, insertAlertOnce, referentAdvisor, trainingOrganisation, unjustifiedCount } from './repository.js';
import type { AlertDetails, AlertKind } from './schemas.js';

export interface AlertTraining {
  id: string;
  title: string;
  identifier: string;
}

function mailFor(ctx: AppContext, kind: AlertKind, t: AlertTraining, details: Record<string, unknown>, month: string) {
  const link = `${ctx.config.publicUrl}/kairos/formations/${t.id}`;
  // Identifier only: a mail leaves our systems, the name is one click away behind sign-in.
  const who = `le stagiaire ${t.identifier} (formation « ${t.title} »)`;
  switch (kind) {
    case 'unjustified_absences':
      return {
        subject: `Kairos : absences injustifiées de ${t.identifier} en ${monthLabel(month)}`,
        text: `Bonjour,\n\nEn ${monthLabel(month)}, ${who} compte ${details.unjustifiedHalfDays} demi-journées d’absence injustifiée (seuil : ${details.threshold}).\n\nConsultez son assiduité : ${link}\n\nKairos`,
      };
    case 'withdrawal':
      return {
        subject: `Kairos : abandon de formation de ${t.identifier}`,
        text: `Bonjour,\n\nL’organisme de formation a déclaré l’abandon de ${who} le ${formatFrenchDate(String(details.date))}, motif : ${WITHDRAWAL_LABELS[details.reason as WithdrawalReason]}.\n\nConsultez le dossier : ${link}\n\nKairos`,
      };
    case 'report_overdue':
      return {
        subject: `Kairos : bilan de formation en retard pour ${t.identifier}`,
        text: `Bonjour,\n\nLe bilan de formation de ${who} était attendu au plus tard le ${formatFrenchDate(String(details.dueDate))} et n’a pas encore été déposé par l’organisme.\n\nConsultez le dossier : ${link}\n\nKairos`,
      };
  }
}

/** Stores the alert unless it exists, and mails the referent advisor the first time. */
export async function raiseAlert(trx: Transaction<DB>, ctx: AppContext, t: AlertTraining, kind: AlertKind, month: string, details: Record<string, unknown>): Promise<boolean> {
  const now = ctx.clock.now();
  const advisor = await referentAdvisor(trx, t.id);
  const inserted = await insertAlertOnce(trx, { training_id: t.id, kind, month, advisor_id: advisor?.id ?? null, details: JSON.stringify(details), created_at: now });
  if (!inserted) return false;
  if (advisor?.email && advisor.status === 'active') await queueMail(trx, now, { to: advisor.email, ...mailFor(ctx, kind, t, details, month) });
  await emitWebhookEvent(trx, now, await trainingOrganisation(trx, t.id), 'attendance.alert', { trainingId: t.id, status: kind, ...(month ? { month } : {}) });
  return true;
}

/** After attendance changed in `months`: alert once per month whose unjustified absences pass the threshold. */
export async function checkUnjustifiedAbsences(trx: Transaction<DB>, ctx: AppContext, t: AlertTraining, months: Iterable<string>) {
  const threshold = ctx.config.training.unjustifiedAbsenceThreshold;
  for (const month of new Set(months)) {
    const n = await unjustifiedCount(trx, t.id, monthBounds(month));
    if (exceedsUnjustifiedThreshold(n, threshold)) await raiseAlert(trx, ctx, t, 'unjustified_absences', month, { unjustifiedHalfDays: n, threshold });
  }
}

export const overdueDetails = (closedOn: string) => ({ dueDate: reportDueDate(closedOn) });

/** The advisor's dashboard: alerts about their candidates, newest first (a view of their data, audited). */
export async function listAlerts(ctx: AppContext, actor: Actor, meta: RequestMeta) {
  const rows = await alertsInScope(ctx.db, scopeOf(actor));
  await auditCandidateViews(ctx, actor, meta, rows, 'training-alerts');
  return {
    alerts: rows.map((r) => ({
      id: r.id,
      kind: r.kind,
      month: r.month || null,
      // Written by raiseAlert with the shape of its kind.
      details: r.details as AlertDetails,
      createdAt: r.created_at.toISOString(),
      training: { id: r.training_id, title: r.title, organisation: r.organisation_name },
      candidate: { identifier: r.identifier, lastName: r.last_name, firstName: r.first_name },
    })),
  };
}
