/** What the access-review routes declare: the organisation in the path, the answers on the wire, the decision form. */
import { z } from 'zod';
import { isoInstant, uuidParam } from '../../../http/schemas.js';
import { apiForm } from '../forms.js';
import { DECISIONS, decisionSchema } from './rules.js';

export const REVIEW_TAGS = ['GID — revue des habilitations'];

export const organisationParams = z.strictObject({ orgId: uuidParam() });

export const reviewWire = z.object({
  id: z.uuid(),
  openedAt: isoInstant,
  dueAt: isoInstant.describe('Passé ce délai, les habilitations non revues sont suspendues.'),
  items: z.array(
    z.object({
      habilitationId: z.uuid(),
      userId: z.uuid(),
      displayName: z.string(),
      application: z.string(),
      role: z.string(),
      suspended: z.boolean().describe('Suspendue par une revue précédente restée sans décision.'),
      decision: z.enum(DECISIONS).nullable(),
    }),
  ),
});

export const decisionWire = z.object({ habilitationId: z.uuid(), decision: z.enum(DECISIONS), reviewClosed: z.boolean() });

/** The page's buttons post the same fields as the API. */
export const decisionForm = apiForm(['habilitationId', 'decision'], decisionSchema);
