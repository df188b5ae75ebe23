/** What GET /api/v1/dashboard answers, and the sort of its table by organisation. */
import { z } from 'zod';
import { formField } from '../../http/forms.js';
import { isoDay, isoInstant } from '../../http/schemas.js';
import { ORGANISATION_SORTS } from './repository.js';

export const TASK_CODES = [
  'drafts_with_errors',
  'drafts_flagged',
  'changes_requested',
  'quotes_expiring',
  'entries_to_declare',
  'months_to_submit',
  'reports_due',
  'reports_overdue',
  'unjustified_absences',
  'queue_waiting_long',
  'alerts',
  'trainees_at_risk',
  'adhesions_pending',
  'security_alerts_open',
  'sheets_to_open',
  'sheets_open_today',
  'sheets_past_open',
] as const;
export type TaskCode = (typeof TASK_CODES)[number];

const todo = z.array(
  z.object({
    code: z.enum(TASK_CODES),
    label: z.string(),
    count: z.number().int(),
    href: z.string().describe('La liste filtrée où traiter ces éléments.'),
  }),
);
const rate = z.number().nullable().describe('Entre 0 et 1 ; null sans donnée.');
const days = z.number().nullable().describe('En jours ; null sans décision.');
const byReason = z.array(z.object({ reason: z.string(), label: z.string(), count: z.number().int() }));
const attendance = z.object({ recorded: z.number().int().describe('Demi-journées déclarées.'), attended: z.number().int().describe('Présent ou en retard.'), rate });

export const dashboardSchema = z.object({
  generatedAt: isoInstant,
  today: isoDay,
  organisation: z
    .object({
      todo,
      quotes: z
        .object({
          byStatus: z.array(z.object({ status: z.string(), label: z.string(), count: z.number().int() })),
          approved: z.number().int(),
          refused: z.number().int(),
          approvalRate: rate,
          medianDecisionDays: days.describe('Médiane du délai de la dernière soumission à la décision (validé ou refusé), en jours.'),
        })
        .nullable()
        .describe('Rédacteurs de devis seulement.'),
      training: z
        .object({
          from: isoDay,
          to: isoDay,
          attendanceBySession: z.array(attendance.extend({ session: z.string() })),
          withdrawalsByReason: byReason,
        })
        .nullable()
        .describe('Gestionnaires d’assiduité et lecteurs seulement.'),
    })
    .nullable()
    .describe('Organisme de formation : rédacteur de devis, gestionnaire d’assiduité, lecteur.'),
  advisor: z
    .object({
      todo,
      queueByWaiting: z.array(z.object({ label: z.string(), minDays: z.number().int(), maxDays: z.number().int().nullable(), count: z.number().int() })),
      alerts: z.array(z.object({ kind: z.string(), label: z.string(), count: z.number().int() })).describe('Alertes des 30 derniers jours.'),
      atRisk: z.array(z.object({ trainingId: z.uuid(), identifier: z.string(), lastName: z.string(), firstName: z.string(), rate, unjustified: z.number().int() })),
      overdueReports: z.number().int(),
    })
    .nullable()
    .describe('Conseiller.'),
  agency: z
    .object({
      todo,
      pipeline: z.array(z.object({ month: z.string(), submitted: z.number().int(), approved: z.number().int(), refused: z.number().int() })).describe('Les 12 derniers mois.'),
      decisionDelay: z.object({ decided: z.number().int(), medianDays: days, p90Days: days }).describe('Décisions des 12 derniers mois.'),
      attendance: attendance.extend({ from: isoDay, to: isoDay }),
      withdrawalsByReason: byReason,
      organisations: z.object({
        sort: z.enum(ORGANISATION_SORTS),
        rows: z.array(
          z.object({
            id: z.uuid(),
            name: z.string(),
            overdueReports: z.number().int(),
            withdrawals: z.number().int(),
            withdrawalsByReason: z.record(z.string(), z.number().int()),
            attendance: attendance.describe('Assiduité de l’organisme sur la même période que `attendance` (mise à jour toutes les 10 minutes).'),
          }),
        ),
      }),
      adhesionsPending: z.number().int().nullable().describe('Null sans le rôle d’administrateur GID.'),
      securityAlertsOpen: z.number().int().nullable(),
    })
    .nullable()
    .describe('Administrateur de l’agence.'),
  trainer: z
    .object({
      todo,
      today: z
        .array(
          z.object({
            session: z.string(),
            period: z.enum(['am', 'pm']),
            startsAt: z.string(),
            endsAt: z.string(),
            trainees: z.number().int().describe('Stagiaires prévus sur la demi-journée (non sortis ce jour-là).'),
            sheetId: z.uuid().nullable().describe('Null tant que la feuille n’est pas ouverte.'),
            sheetStatus: z.enum(['open', 'closed']).nullable(),
          }),
        )
        .describe('Les demi-journées prévues aujourd’hui dans l’organisme, par demi-journée puis session.'),
      week: z.object({ from: isoDay, to: isoDay, sessions: z.number().int().describe('Sessions Carif-Oref ayant au moins une demi-journée prévue.'), halfDays: z.number().int() }).describe('Du lundi au dimanche de la semaine en cours.'),
      pastOpenSheets: z.number().int().describe('Feuilles des jours passés encore ouvertes.'),
    })
    .nullable()
    .describe('Formateur : les feuilles d’émargement de son organisme.'),
});
export type Dashboard = z.output<typeof dashboardSchema>;

export const dashboardQuery = z.strictObject({
  tri: z.enum(ORGANISATION_SORTS, { error: `Tri (tri) : choisissez parmi ${ORGANISATION_SORTS.join(', ')}.` }).optional(),
});

/** The page reads its sort leniently: an unknown one falls back to the default. */
export const dashboardPageQuery = z.object({ tri: formField(20) });
