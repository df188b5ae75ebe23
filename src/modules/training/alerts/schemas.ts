/** What the advisor's alert list answers: each alert with its training and trainee. */
import { z } from 'zod';
import { isoDay, isoInstant } from '../../../http/schemas.js';
import { WITHDRAWAL_REASONS } from '../rules.js';

export const ALERT_KINDS = ['unjustified_absences', 'withdrawal', 'report_overdue'] as const;
export type AlertKind = (typeof ALERT_KINDS)[number];

/** What each kind of alert records when it is raised (alerts/service.ts). */
const alertDetailsSchema = z.union([
  z.object({ unjustifiedHalfDays: z.number().int(), threshold: z.number().int() }).describe('unjustified_absences'),
  z.object({ date: isoDay, reason: z.enum(WITHDRAWAL_REASONS) }).describe('withdrawal'),
  z.object({ dueDate: isoDay }).describe('report_overdue'),
]);
export type AlertDetails = z.input<typeof alertDetailsSchema>;

export const alertsSchema = z.object({
  alerts: z.array(
    z.object({
      id: z.uuid(),
      kind: z.enum(ALERT_KINDS),
      month: z.string().nullable().describe('aaaa-mm, pour les absences injustifiées.'),
      details: alertDetailsSchema,
      createdAt: isoInstant,
      training: z.object({ id: z.uuid(), title: z.string(), organisation: z.string() }),
      candidate: z.object({ identifier: z.string(), lastName: z.string(), firstName: z.string() }),
    }),
  ),
});
