/** The response of GET /api/v1/me/data-export: the JSON on the wire (dates as ISO strings). */
import { z } from 'zod';

const when = z.string().meta({ format: 'date-time' });
const day = z.string().meta({ format: 'date' });
const anyObject = z.record(z.string(), z.unknown());

export const dataExportSchema = z.object({
  generatedAt: when,
  account: z.object({
    login: z.string(), displayName: z.string(), email: z.string().nullable(), firstName: z.string().nullable(), lastName: z.string().nullable(),
    phone: z.string().nullable(), status: z.string(), createdAt: when, passwordChangedAt: when.nullable(),
  }),
  candidate: z.object({ identifier: z.string(), lastName: z.string(), firstName: z.string(), birthDate: day, email: z.string(), createdAt: when }).nullable(),
  quotes: z.array(z.object({
    id: z.string(), type: z.string(), status: z.string(), version: z.number(), organisation: z.string(), data: anyObject,
    createdAt: when, submittedAt: when.nullable(), acceptedAt: when.nullable(), decidedAt: when.nullable(), agreementReference: z.string().nullable(),
    history: z.array(z.object({ at: when, action: z.string(), fromStatus: z.string().nullable(), toStatus: z.string(), version: z.number(), comment: z.string().nullable() })),
    versions: z.array(z.object({ version: z.number(), type: z.string(), data: anyObject, submittedAt: when })),
  })),
  trainings: z.array(z.object({
    id: z.string(), quoteId: z.string(), title: z.string(), status: z.string(), organisation: z.string(), carifOrefSession: z.string(),
    startDate: day, endDate: day, entryDate: day.nullable(), exitDate: day.nullable(),
    withdrawal: z.object({ date: day, reason: z.string().nullable(), comment: z.string().nullable() }).nullable(),
    attendance: z.array(z.object({
      date: day, period: z.enum(['am', 'pm']), status: z.string(), lateMinutes: z.number().nullable(), reason: z.string().nullable(), justified: z.boolean().nullable(), recordedAt: when,
    })),
    statements: z.array(z.object({ month: z.string(), figures: anyObject, submittedAt: when })),
    report: z.object({
      outcome: z.string(), certification: z.string(), skills: z.string(), difficulties: z.string(), nextSteps: z.string(), employmentOutcome: z.string().nullable(), submittedAt: when,
    }).nullable(),
  })),
  supportRequests: z.array(z.object({
    number: z.number(), category: z.string(), subject: z.string(), description: z.string(), steps: z.string().nullable(), errorReference: z.string().nullable(),
    status: z.string(), createdAt: when, updatedAt: when,
    messages: z.array(z.object({ from: z.enum(['requester', 'agent']), body: z.string(), at: when })),
  })),
  signatures: z.array(anyObject).meta({ description: 'Les signatures des feuilles d’émargement (heure, adresse IP, navigateur, tracé) ; acceptations et décisions figurent dans l’historique des devis.' }),
  auditEvents: z.array(z.object({
    at: when, action: z.string(), byYou: z.boolean(), targetType: z.string().nullable(), targetId: z.string().nullable(), ip: z.string().nullable(),
  })),
});
