/**
 * Audit-log retention (one year, then purged — CNIL; docs/product/security.md#retention). Only the
 * oldest part of the log goes: rows older than the cut-off up to the first row that is not, so what
 * remains is one contiguous chain whose first row anchors verification (see verifyAuditChain). The
 * append-only trigger lets a delete through only when the transaction sets `kairos.audit_purge`.
 */
import type { AppContext } from '../../context.js';
import { DAY_MS, type RecurringJob, type SchedulingWorker } from '../../jobs/recurring.js';
import { deleteFinishedJobs, deleteLogHead } from './repository.js';
import { recordAudit } from './service.js';

/** Daily at 03:00 UTC. */
export const AUDIT_PURGE: RecurringJob = { kind: 'audit.purge', everyMs: DAY_MS, offsetMs: 3 * 3_600_000 };

export async function purgeAuditLog(ctx: AppContext, before: Date): Promise<number> {
  return ctx.db.transaction().execute(async (trx) => {
    const deleted = await deleteLogHead(trx, before);
    // The purge itself is recorded, so a shortened log is explained by the log.
    if (deleted > 0) await recordAudit(trx, { at: ctx.clock.now(), action: 'audit.purged', details: { rows: deleted, before: before.toISOString() } });
    return deleted;
  });
}

/**
 * Finished jobs keep their payload (a mail's recipient and text): kept a while for support,
 * then removed, so the job table does not become a second, unprotected archive of mails.
 */
export async function purgeFinishedJobs(ctx: AppContext, before: Date): Promise<number> {
  return deleteFinishedJobs(ctx.db, before);
}

export function registerAuditRetention(worker: SchedulingWorker, ctx: AppContext): void {
  worker.registerRecurring(AUDIT_PURGE, async () => {
    const now = ctx.clock.now().getTime();
    await purgeAuditLog(ctx, new Date(now - ctx.config.retention.auditDays * DAY_MS));
    await purgeFinishedJobs(ctx, new Date(now - ctx.config.retention.finishedJobDays * DAY_MS));
  });
}
