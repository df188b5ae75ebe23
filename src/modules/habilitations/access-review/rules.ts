/**
 * Access review rules (docs/product/joining-and-habilitations.md#access-review), pure: when a
 * campaign opens, when reminders go out, what it covers. The sweep (jobs.ts) and the
 * decision service apply them; the tests read them as tables.
 */
import { z } from 'zod';

export const DAY_MS = 86_400_000;

export function daysBefore(now: Date, days: number): Date {
  return new Date(now.getTime() - days * DAY_MS);
}

export function daysAfter(at: Date, days: number): Date {
  return new Date(at.getTime() + days * DAY_MS);
}

/**
 * A campaign is due when the last one opened at least `periodDays` ago; an organisation that
 * never had one is counted from its creation, so a new member gets its first review after a
 * full period rather than on its first night.
 */
export function reviewOpeningDue(input: { lastOpenedAt: Date | null; organisationCreatedAt: Date; hasOpenReview: boolean }, now: Date, periodDays: number): boolean {
  if (input.hasOpenReview) return false;
  const since = input.lastOpenedAt ?? input.organisationCreatedAt;
  return since.getTime() <= daysBefore(now, periodDays).getTime();
}

/** Reminders repeat every `reminderDays` after the opening mail, while something is left to review. */
export function reminderDue(input: { lastReminderAt: Date | null; openedAt: Date; undecided: number }, now: Date, reminderDays: number): boolean {
  if (input.undecided === 0) return false;
  const last = input.lastReminderAt ?? input.openedAt;
  return last.getTime() <= daysBefore(now, reminderDays).getTime();
}

/**
 * The account manager's own role is not reviewed: the reviewer cannot meaningfully vouch for
 * themselves, suspending it would leave the organisation with nobody able to use GID (not even
 * to finish a later review), and who holds it is already controlled by the agency (a change of
 * account manager needs an agency administrator's approval).
 */
export function isReviewable(h: { application: string; role: string }): boolean {
  return !(h.application === 'gid' && h.role === 'account_manager');
}

export const DECISIONS = ['confirmed', 'revoked'] as const;
export type ReviewDecision = (typeof DECISIONS)[number];

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export const decisionSchema = z.strictObject(
  {
    habilitationId: z
      .string({ error: (i) => (i.input === undefined ? 'L’habilitation (habilitationId) est obligatoire.' : 'L’habilitation (habilitationId) doit être un identifiant texte.') })
      .regex(UUID, { error: 'L’habilitation (habilitationId) doit être un identifiant valide (UUID).' })
      .transform((v) => v.toLowerCase()),
    decision: z.enum(DECISIONS, { error: 'La décision (decision) doit être « confirmed » (confirmer) ou « revoked » (retirer).' }),
  },
  { error: 'Le corps de la requête doit être un objet JSON.' },
);
export type DecisionInput = z.infer<typeof decisionSchema>;
