/** What the change-of-account-manager routes declare: ids in the path, the answers on the wire, the forms. */
import { z } from 'zod';
import { idParams, isoInstant, uuidParam } from '../../../http/schemas.js';
import { apiForm } from '../forms.js';
import { CHANGE_STATUSES, approveSchema, changeRequestSchema, rejectSchema } from './rules.js';
import { CHANGE_NOT_FOUND } from './service.js';

export const CHANGE_TAGS = ['GID — changement de responsable'];

export const organisationParams = z.strictObject({ orgId: uuidParam() });
/** A malformed id answers the unknown request's 404. */
export const changeParams = idParams(CHANGE_NOT_FOUND);

/** Approval needs no body; Fastify hands the schema `null` for none. */
export const approveBody = z.preprocess((v) => (v === null ? undefined : v), approveSchema);

const person = z.object({ id: z.uuid(), login: z.string(), displayName: z.string() });
export const changeWire = z.object({
  id: z.uuid(),
  status: z.enum(CHANGE_STATUSES),
  organisation: z.object({ id: z.uuid(), name: z.string(), siret: z.string().nullable() }),
  requestedBy: person,
  newManager: person,
  reason: z.string(),
  createdAt: isoInstant,
  decidedAt: isoInstant.nullable(),
  decidedBy: z.string().nullable().describe('Identifiant de connexion de l’administrateur qui a décidé.'),
  decisionReason: z.string().nullable(),
});
export const changeListWire = z.object({ changes: z.array(changeWire) });
export const changeStateWire = z.object({ id: z.uuid(), status: z.enum(CHANGE_STATUSES) });

/** The pages post the same fields as the API. */
export const changeRequestForm = apiForm(['newManagerId', 'reason'], changeRequestSchema);
export const approveForm = apiForm(['reason'], approveSchema);
export const rejectForm = apiForm(['reason'], rejectSchema);
